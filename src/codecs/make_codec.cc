#include <array>
#include <string>

#include "codecs/codec.h"

namespace sluice::codecs {
namespace {

using Maker = std::unique_ptr<Codec> (*)(const CodecLevels&);

struct Registration {
  std::string_view firehose_name;
  Maker make;
};

// Every CompressionFormat Sluice knows, in one list. A new codec is one line here.
constexpr std::array kRegistry{
    Registration{"UNCOMPRESSED", [](const CodecLevels&) { return MakeUncompressed(); }},
    Registration{"GZIP", [](const CodecLevels& levels) { return MakeGzip(levels.deflate); }},
    Registration{"ZIP", [](const CodecLevels& levels) { return MakeZip(levels.deflate); }},
    Registration{"Snappy", [](const CodecLevels&) { return MakeSnappy(); }},
    Registration{"HADOOP_SNAPPY", [](const CodecLevels&) { return MakeHadoopSnappy(); }},
    Registration{"ZSTD", [](const CodecLevels& levels) { return MakeZstd(levels.zstd); }},
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

Result<std::unique_ptr<Codec>> MakeCodec(std::string_view firehose_name, const CodecLevels& levels) {
  for (const auto& entry : kRegistry) {
    if (entry.firehose_name == firehose_name) return entry.make(levels);
  }
  return InvalidArgument("CompressionFormat '" + std::string(firehose_name) +
                         "' is not a known format; expected one of: " + KnownNames());
}

}  // namespace sluice::codecs
