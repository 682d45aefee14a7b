#pragma once
// Page compression with the codecs Parquet names (CompressionCodec in parquet.thrift): raw Snappy
// blocks, gzip members and zstd frames. Not thread-safe: reuses its buffers and contexts.

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sluice::formats::parquet {

// Values are parquet.thrift's CompressionCodec numbers.
enum class Compression { kUncompressed = 0, kSnappy = 1, kGzip = 2, kZstd = 6 };

class PageCompressor {
 public:
  explicit PageCompressor(Compression compression);
  ~PageCompressor();
  PageCompressor(const PageCompressor&) = delete;
  PageCompressor& operator=(const PageCompressor&) = delete;

  // The compressed form of `input`; the view is valid until the next call.
  Result<std::string_view> Compress(std::string_view input);

 private:
  struct Contexts;
  Compression compression_;
  std::unique_ptr<Contexts> contexts_;
  std::string buffer_;
};

}  // namespace sluice::formats::parquet
