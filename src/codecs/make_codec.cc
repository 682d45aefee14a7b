#include <array>
#include <string>

#include "codecs/codec.h"

namespace sluice::codecs {
namespace {

using Maker = std::unique_ptr<Codec> (*)(const CodecSettings&);

struct Registration {
  std::string_view firehose_name;
  Maker make;
};

// Every CompressionFormat Sluice knows, in one list. A new codec is one line here.
constexpr std::array kRegistry{
    Registration{"UNCOMPRESSED", [](const CodecSettings&) { return MakeUncompressed(); }},
    Registration{"GZIP", [](const CodecSettings& levels) { return MakeGzip(levels.deflate, kGzipMemberInputBytes, levels.gzip_threads); }},
    Registration{"ZIP", [](const CodecSettings& levels) { return MakeZip(levels.deflate); }},
    Registration{"Snappy", [](const CodecSettings&) { return MakeSnappy(); }},
    Registration{"HADOOP_SNAPPY", [](const CodecSettings&) { return MakeHadoopSnappy(); }},
    Registration{"ZSTD", [](const CodecSettings& levels) { return MakeZstd(levels.zstd, kZstdPieceBytes, levels.zstd_threads); }},
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

Result<std::unique_ptr<Codec>> MakeCodec(std::string_view firehose_name, const CodecSettings& levels) {
  for (const auto& entry : kRegistry) {
    if (entry.firehose_name == firehose_name) return entry.make(levels);
  }
  return InvalidArgument("CompressionFormat '" + std::string(firehose_name) +
                         "' is not a known format; expected one of: " + KnownNames());
}

}  // namespace sluice::codecs
