#pragma once
// Whole-batch compression of an encoded object body before it is handed to a sink.

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sluice::codecs {

// A codec compresses one complete object body per call; the output is a self-contained file
// in the codec's format (a gzip member, a ZIP archive, ...). Not thread-safe: implementations keep
// compressor state between calls, so each delivery loop owns its own instance.
class Codec {
 public:
  virtual ~Codec() = default;
  virtual Result<std::string> Compress(std::string_view input) = 0;
  // The default object-key extension Firehose uses for this format, with its dot ("" if none).
  virtual std::string_view Extension() const = 0;
};

std::unique_ptr<Codec> MakeUncompressed();

// RFC 1952 gzip via libdeflate. `level` is libdeflate's 0-12 (out-of-range values are clamped).
std::unique_ptr<Codec> MakeGzip(int level = 6);

// A ZIP archive with one deflated entry named "data" (level as for MakeGzip). No ZIP64: a batch
// whose worst-case archive would reach 4 GiB is refused with kInvalidArgument.
std::unique_ptr<Codec> MakeZip(int level = 6);

// The Snappy framing format (stream identifier, then chunks of at most 64 KiB of input).
std::unique_ptr<Codec> MakeSnappy();

// Hadoop SnappyCodec's BlockCompressorStream framing, readable by Hadoop, Hive and Athena.
std::unique_ptr<Codec> MakeHadoopSnappy();

// One zstd frame with content size and checksum. `level` is clamped to libzstd's range.
std::unique_ptr<Codec> MakeZstd(int level = 3);

// Compression levels of the codecs that have one (server config `compression.*`).
struct CodecLevels {
  int deflate = 6;  // GZIP and ZIP: libdeflate's level
  int zstd = 3;
};

// Builds the codec for a Firehose `CompressionFormat` value (exact, case-sensitive spelling,
// e.g. "GZIP", "Snappy"). Unknown names are kInvalidArgument.
Result<std::unique_ptr<Codec>> MakeCodec(std::string_view firehose_name, const CodecLevels& levels = {});

}  // namespace sluice::codecs
