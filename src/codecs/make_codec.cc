#include <array>
#include <string>

#include "codecs/codec.h"

namespace sluice::codecs {
namespace {

using Maker = std::unique_ptr<Codec> (*)();

struct Registration {
  std::string_view firehose_name;
  Maker make;
};

// Every CompressionFormat Sluice knows, in one list. A new codec is one line here.
constexpr std::array kRegistry{
    Registration{"UNCOMPRESSED", &MakeUncompressed},
    Registration{"GZIP", [] { return MakeGzip(); }},
    Registration{"ZIP", [] { return MakeZip(); }},
    Registration{"Snappy", &MakeSnappy},
    Registration{"HADOOP_SNAPPY", &MakeHadoopSnappy},
    Registration{"ZSTD", [] { return MakeZstd(); }},
};

std::string KnownNames() {
  std::string names;
  for (const auto& entry : kRegistry) {
    if (!names.empty()) names += ", ";
    names += entry.firehose_name;
  }
  return names;
}

}  // namespace

Result<std::unique_ptr<Codec>> MakeCodec(std::string_view firehose_name) {
  for (const auto& entry : kRegistry) {
    if (entry.firehose_name == firehose_name) return entry.make();
  }
  return InvalidArgument("CompressionFormat '" + std::string(firehose_name) +
                         "' is not a known format; expected one of: " + KnownNames());
}

}  // namespace sluice::codecs
