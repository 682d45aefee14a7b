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

// One frame per object, streamed out piece by piece. When the caller knows the body's size it is
// pledged first, so the frame header carries the content size as a one-shot compression would
// (and libzstd picks the same parameters for it). The optional 32-bit content checksum is switched
// on (as the zstd CLI does) so readers can verify the object end to end. The context is reused
// across objects.
class ZstdCodec final : public Codec {
 public:
  ZstdCodec(int level, size_t piece_bytes, int threads)
      : level_(std::clamp(level, ZSTD_minCLevel(), ZSTD_maxCLevel())),
        workers_(threads > 1 ? std::min(threads, 64) : 0),
        context_(ZSTD_createCCtx()),
        piece_(std::max<size_t>(piece_bytes, 1), '\0') {}

  Result<std::unique_ptr<ObjectCompressor>> Start(EmitBytes emit, std::optional<uint64_t> body_bytes) override;
  std::string_view Extension() const override { return ".zst"; }

  // Runs the body (`in`) through the context with `mode`, emitting what comes out. Returns
  // libzstd's count of bytes still to flush (0 once a frame is complete with ZSTD_e_end).
  Result<size_t> Stream(ZSTD_inBuffer& in, ZSTD_EndDirective mode, const EmitBytes& emit) {
    size_t remaining;
    do {
      ZSTD_outBuffer out{piece_.data(), piece_.size(), 0};
      remaining = ZSTD_compressStream2(context_.get(), &out, &in, mode);
      if (auto s = CheckZstd(remaining, "compressing a batch"); !s) return std::unexpected(s.error());
      if (out.pos > 0) {
        if (auto emitted = Emit(emit, std::string_view(piece_).substr(0, out.pos)); !emitted) {
          return std::unexpected(emitted.error());
        }
      }
    } while (in.pos < in.size || (mode == ZSTD_e_end && remaining != 0));
    return remaining;
  }

 private:
  Status Reset(std::optional<uint64_t> body_bytes) {
    ZSTD_CCtx* cctx = context_.get();
    // A previous object stopped by its destination may have left a frame unfinished.
    if (auto s = CheckZstd(ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only), "resetting the context"); !s) return s;
    if (auto s = CheckZstd(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level_),
                           "setting the compression level");
        !s) {
      return s;
    }
    if (auto s = CheckZstd(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1), "enabling the content checksum");
        !s) {
      return s;
    }
    if (auto s = CheckZstd(ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, workers_), "starting worker threads"); !s) {
      return s;
    }
    if (!body_bytes) return {};
    return CheckZstd(ZSTD_CCtx_setPledgedSrcSize(cctx, *body_bytes), "pledging the input size");
  }

  int level_;
  int workers_;  // libzstd's worker threads; 0: compression on the calling thread
  std::unique_ptr<ZSTD_CCtx, ContextDeleter> context_;
  std::string piece_;  // compressed bytes not yet emitted; reused across objects
};

class ZstdObject final : public ObjectCompressor {
 public:
  ZstdObject(ZstdCodec& codec, EmitBytes emit) : codec_(codec), emit_(std::move(emit)) {}

  Status Write(std::string_view body_piece) override {
    ZSTD_inBuffer in{body_piece.data(), body_piece.size(), 0};
    if (auto streamed = codec_.Stream(in, ZSTD_e_continue, emit_); !streamed) return std::unexpected(streamed.error());
    return {};
  }
  Status Finish() override {
    ZSTD_inBuffer in{nullptr, 0, 0};
    if (auto streamed = codec_.Stream(in, ZSTD_e_end, emit_); !streamed) return std::unexpected(streamed.error());
    return {};
  }

 private:
  ZstdCodec& codec_;
  EmitBytes emit_;
};

Result<std::unique_ptr<ObjectCompressor>> ZstdCodec::Start(EmitBytes emit, std::optional<uint64_t> body_bytes) {
  if (context_ == nullptr) return Fail(ErrorCode::kInternal, "ZSTD: libzstd could not allocate a compression context");
  if (auto reset = Reset(body_bytes); !reset) return std::unexpected(reset.error());
  return std::make_unique<ZstdObject>(*this, std::move(emit));
}

}  // namespace

std::unique_ptr<Codec> MakeZstd(int level, size_t piece_bytes, int threads) {
  return std::make_unique<ZstdCodec>(level, piece_bytes, threads);
}

}  // namespace sluice::codecs
