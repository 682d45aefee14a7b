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

// One frame per batch, streamed out piece by piece. The input's size is pledged first, so the
// frame header carries the content size as a one-shot compression would (and libzstd picks the
// same parameters for it); the optional 32-bit content checksum is switched on (as the zstd CLI
// does) so readers can verify the object end to end. The context is reused across batches.
class ZstdCodec final : public Codec {
 public:
  ZstdCodec(int level, size_t piece_bytes)
      : level_(std::clamp(level, ZSTD_minCLevel(), ZSTD_maxCLevel())),
        context_(ZSTD_createCCtx()),
        piece_bytes_(std::max<size_t>(piece_bytes, 1)) {}

  Result<std::string> Compress(std::string_view input) override { return CollectPieces(*this, input); }

  Status CompressTo(std::string_view input, const EmitBytes& emit) override {
    if (context_ == nullptr) {
      return Fail(ErrorCode::kInternal, "ZSTD: libzstd could not allocate a compression context");
    }
    ZSTD_CCtx* cctx = context_.get();
    // A previous call stopped by `emit` may have left a frame unfinished.
    if (auto s = CheckZstd(ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only), "resetting the context"); !s) return s;
    if (auto s = CheckZstd(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level_),
                           "setting the compression level");
        !s) {
      return s;
    }
    if (auto s = CheckZstd(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1),
                           "enabling the content checksum");
        !s) {
      return s;
    }
    if (auto s = CheckZstd(ZSTD_CCtx_setPledgedSrcSize(cctx, input.size()), "pledging the input size"); !s) {
      return s;
    }
    piece_.resize(piece_bytes_);
    ZSTD_inBuffer in{input.data(), input.size(), 0};
    size_t remaining;
    do {
      ZSTD_outBuffer out{piece_.data(), piece_.size(), 0};
      remaining = ZSTD_compressStream2(cctx, &out, &in, ZSTD_e_end);
      if (auto s = CheckZstd(remaining, "compressing a batch"); !s) return s;
      if (out.pos > 0) {
        if (auto emitted = Emit(emit, std::string_view(piece_).substr(0, out.pos)); !emitted) return emitted;
      }
    } while (remaining != 0);
    return {};
  }

  std::string_view Extension() const override { return ".zst"; }

 private:
  int level_;
  std::unique_ptr<ZSTD_CCtx, ContextDeleter> context_;
  size_t piece_bytes_;
  std::string piece_;  // compressed bytes not yet emitted; kept across calls
};

}  // namespace

std::unique_ptr<Codec> MakeZstd(int level, size_t piece_bytes) {
  return std::make_unique<ZstdCodec>(level, piece_bytes);
}

}  // namespace sluice::codecs
