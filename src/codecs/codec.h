#pragma once
// Whole-batch compression of an encoded object body before it is handed to a sink.

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sluice::codecs {

// A codec compresses one complete object body per call; the output is a self-contained file
// in the codec's format (a gzip member, ...). Not thread-safe: implementations keep
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

// Builds the codec for a Firehose `CompressionFormat` value (exact, case-sensitive spelling,
// e.g. "GZIP", "Snappy"). Known but unimplemented formats and unknown names are kInvalidArgument.
Result<std::unique_ptr<Codec>> MakeCodec(std::string_view firehose_name);

}  // namespace sluice::codecs
