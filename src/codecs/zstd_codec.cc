#include <zstd.h>

#include <algorithm>

#include "codecs/codec.h"

namespace sluice::codecs {
namespace {

struct ContextDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};

Status CheckZstd(size_t rc, std::string_view what) {
  if (!ZSTD_isError(rc)) return {};
  return Fail(ErrorCode::kInternal,
              "ZSTD: " + std::string(what) + " failed: " + ZSTD_getErrorName(rc));
}

// One frame per batch. ZSTD_compress2 sees the whole input, so the frame header always carries
// the content size; the optional 32-bit content checksum is switched on (as the zstd CLI does)
// so readers can verify the object end to end. The context is reused across batches.
class ZstdCodec final : public Codec {
 public:
  explicit ZstdCodec(int level)
      : level_(std::clamp(level, ZSTD_minCLevel(), ZSTD_maxCLevel())),
        context_(ZSTD_createCCtx()) {}

  Result<std::string> Compress(std::string_view input) override {
    if (context_ == nullptr) {
      return Fail(ErrorCode::kInternal, "ZSTD: libzstd could not allocate a compression context");
    }
    ZSTD_CCtx* cctx = context_.get();
    if (auto s = CheckZstd(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level_),
                           "setting the compression level");
        !s) {
      return std::unexpected(s.error());
    }
    if (auto s = CheckZstd(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1),
                           "enabling the content checksum");
        !s) {
      return std::unexpected(s.error());
    }
    std::string out(ZSTD_compressBound(input.size()), '\0');
    const size_t written = ZSTD_compress2(cctx, out.data(), out.size(), input.data(), input.size());
    if (auto s = CheckZstd(written, "compressing a batch"); !s) return std::unexpected(s.error());
    out.resize(written);
    return out;
  }

  std::string_view Extension() const override { return ".zst"; }

 private:
  int level_;
  std::unique_ptr<ZSTD_CCtx, ContextDeleter> context_;
};

}  // namespace

std::unique_ptr<Codec> MakeZstd(int level) { return std::make_unique<ZstdCodec>(level); }

}  // namespace sluice::codecs
