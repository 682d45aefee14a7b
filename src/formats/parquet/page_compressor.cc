#include "formats/parquet/page_compressor.h"

#include <libdeflate.h>
#include <snappy.h>
#include <zstd.h>

namespace sluice::formats::parquet {
namespace {

constexpr int kGzipLevel = 6;
constexpr int kZstdLevel = 3;

}  // namespace

struct PageCompressor::Contexts {
  libdeflate_compressor* deflate = nullptr;
  ZSTD_CCtx* zstd = nullptr;
  ~Contexts() {
    if (deflate != nullptr) libdeflate_free_compressor(deflate);
    if (zstd != nullptr) ZSTD_freeCCtx(zstd);
  }
};

PageCompressor::PageCompressor(Compression compression)
    : compression_(compression), contexts_(std::make_unique<Contexts>()) {}

PageCompressor::~PageCompressor() = default;

Result<std::string_view> PageCompressor::Compress(std::string_view input) {
  switch (compression_) {
    case Compression::kUncompressed:
      return input;
    case Compression::kSnappy: {
      buffer_.resize(snappy::MaxCompressedLength(input.size()));
      size_t size = 0;
      snappy::RawCompress(input.data(), input.size(), buffer_.data(), &size);
      return std::string_view(buffer_.data(), size);
    }
    case Compression::kGzip: {
      if (contexts_->deflate == nullptr) contexts_->deflate = libdeflate_alloc_compressor(kGzipLevel);
      if (contexts_->deflate == nullptr) {
        return Fail(ErrorCode::kInternal, "Parquet GZIP: libdeflate could not allocate a compressor");
      }
      buffer_.resize(libdeflate_gzip_compress_bound(contexts_->deflate, input.size()));
      const size_t size = libdeflate_gzip_compress(contexts_->deflate, input.data(), input.size(),
                                                   buffer_.data(), buffer_.size());
      if (size == 0) return Fail(ErrorCode::kInternal, "Parquet GZIP: output exceeded its bound");
      return std::string_view(buffer_.data(), size);
    }
    case Compression::kZstd: {
      if (contexts_->zstd == nullptr) contexts_->zstd = ZSTD_createCCtx();
      if (contexts_->zstd == nullptr) {
        return Fail(ErrorCode::kInternal, "Parquet ZSTD: libzstd could not allocate a context");
      }
      buffer_.resize(ZSTD_compressBound(input.size()));
      const size_t size = ZSTD_compressCCtx(contexts_->zstd, buffer_.data(), buffer_.size(),
                                            input.data(), input.size(), kZstdLevel);
      if (ZSTD_isError(size)) {
        return Fail(ErrorCode::kInternal,
                    std::string("Parquet ZSTD: ") + ZSTD_getErrorName(size));
      }
      return std::string_view(buffer_.data(), size);
    }
  }
  return Fail(ErrorCode::kInternal, "unknown Parquet compression");
}

}  // namespace sluice::formats::parquet
