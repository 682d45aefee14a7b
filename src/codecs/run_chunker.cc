#include "codecs/run_chunker.h"

#include <algorithm>

namespace sluice::codecs {

RunChunker::RunChunker(size_t run_bytes) : run_bytes_(std::max<size_t>(run_bytes, 1)) {}

Status RunChunker::Add(std::string_view piece, const TakeRun& take) {
  if (!partial_.empty()) {
    const size_t fill = std::min(run_bytes_ - partial_.size(), piece.size());
    partial_.append(piece.substr(0, fill));
    piece.remove_prefix(fill);
    if (partial_.size() < run_bytes_) return {};
    if (auto taken = take(partial_); !taken) return taken;
    partial_.clear();
  }
  while (piece.size() >= run_bytes_) {
    if (auto taken = take(piece.substr(0, run_bytes_)); !taken) return taken;
    piece.remove_prefix(run_bytes_);
  }
  partial_.assign(piece);
  return {};
}

namespace {

class ChunkedCompressor final : public ObjectCompressor {
 public:
  ChunkedCompressor(EmitBytes emit, size_t run_bytes, std::string_view prefix, EncodeRun encode)
      : emit_(std::move(emit)), chunker_(run_bytes), out_(prefix), encode_(std::move(encode)) {}

  Status Write(std::string_view body_piece) override {
    return chunker_.Add(body_piece, [this](std::string_view run) {
      encode_(run, out_);
      return EmitOut();
    });
  }
  Status Finish() override {
    if (!chunker_.Rest().empty()) encode_(chunker_.Rest(), out_);
    return out_.empty() ? Status{} : EmitOut();
  }

 private:
  Status EmitOut() {
    auto emitted = Emit(emit_, out_);
    out_.clear();
    return emitted;
  }

  EmitBytes emit_;
  RunChunker chunker_;
  std::string out_;
  EncodeRun encode_;
};

}  // namespace

std::unique_ptr<ObjectCompressor> MakeChunkedCompressor(EmitBytes emit, size_t run_bytes, std::string_view prefix,
                                                        EncodeRun encode) {
  return std::make_unique<ChunkedCompressor>(std::move(emit), run_bytes, prefix, std::move(encode));
}

}  // namespace sluice::codecs
