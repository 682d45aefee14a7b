#include <array>
#include <string>

#include "codecs/codec.h"

namespace sluice::codecs {
namespace {

using Maker = std::unique_ptr<Codec> (*)();

struct Registration {
  std::string_view firehose_name;
  Maker make;  // nullptr: a valid Firehose format this build does not implement yet
};

// Every CompressionFormat Sluice knows, in one list. A new codec is one line here.
constexpr std::array kRegistry{
    Registration{"UNCOMPRESSED", &MakeUncompressed},
    Registration{"GZIP", [] { return MakeGzip(); }},
    Registration{"ZIP", nullptr},
    Registration{"Snappy", nullptr},
    Registration{"HADOOP_SNAPPY", nullptr},
    Registration{"ZSTD", nullptr},
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
    if (entry.firehose_name != firehose_name) continue;
    if (entry.make == nullptr) {
      return InvalidArgument("CompressionFormat " + std::string(firehose_name) +
                             " is not supported yet");
    }
    return entry.make();
  }
  return InvalidArgument("CompressionFormat '" + std::string(firehose_name) +
                         "' is not a known format; expected one of: " + KnownNames());
}

}  // namespace sluice::codecs
