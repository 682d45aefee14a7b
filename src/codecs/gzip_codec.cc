#include <libdeflate.h>

#include <algorithm>

#include "codecs/codec.h"

namespace sluice::codecs {
namespace {

constexpr int kMinLevel = 0;
constexpr int kMaxLevel = 12;

struct CompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

// Allocating a libdeflate compressor costs hundreds of KiB at high levels, so one is kept
// for the codec's lifetime and reused for every batch.
class GzipCodec final : public Codec {
 public:
  explicit GzipCodec(int level)
      : compressor_(libdeflate_alloc_compressor(std::clamp(level, kMinLevel, kMaxLevel))) {}

  Result<std::string> Compress(std::string_view input) override {
    if (compressor_ == nullptr) {
      return Fail(ErrorCode::kInternal, "gzip: libdeflate could not allocate a compressor");
    }
    const size_t bound = libdeflate_gzip_compress_bound(compressor_.get(), input.size());
    std::string out(bound, '\0');
    const size_t written =
        libdeflate_gzip_compress(compressor_.get(), input.data(), input.size(), out.data(), bound);
    // The bound is libdeflate's own worst case, so 0 (did not fit) means a broken invariant.
    if (written == 0) {
      return Fail(ErrorCode::kInternal, "gzip: compressed output exceeded libdeflate's bound");
    }
    out.resize(written);
    return out;
  }

  std::string_view Extension() const override { return ".gz"; }

 private:
  std::unique_ptr<libdeflate_compressor, CompressorDeleter> compressor_;
};

}  // namespace

std::unique_ptr<Codec> MakeGzip(int level) { return std::make_unique<GzipCodec>(level); }

}  // namespace sluice::codecs
