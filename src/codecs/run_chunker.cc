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
  ChunkedCompressor(EmitBytes emit, const ChunkFormat& format, size_t chunks_per_emit, std::string_view prefix)
      : emit_(std::move(emit)), format_(format), chunker_(chunks_per_emit * format.input_bytes), out_(prefix) {}

  Status Write(std::string_view body_piece) override {
    return chunker_.Add(body_piece, [this](std::string_view run) {
      Encode(run);
      return EmitOut();
    });
  }
  Status Finish() override {
    if (!chunker_.Rest().empty()) Encode(chunker_.Rest());
    return out_.empty() ? Status{} : EmitOut();
  }

 private:
  // Appends the encoding of `run`'s chunks to out_.
  void Encode(std::string_view run) {
    const size_t chunks = (run.size() + format_.input_bytes - 1) / format_.input_bytes;
    size_t at = out_.size();
    out_.resize(at + chunks * format_.max_encoded_bytes);
    for (size_t offset = 0; offset < run.size(); offset += format_.input_bytes) {
      at += format_.encode(run.substr(offset, format_.input_bytes), out_.data() + at);
    }
    out_.resize(at);
  }

  Status EmitOut() {
    auto emitted = Emit(emit_, out_);
    out_.clear();
    return emitted;
  }

  EmitBytes emit_;
  ChunkFormat format_;
  RunChunker chunker_;
  std::string out_;
};

}  // namespace

std::unique_ptr<ObjectCompressor> MakeChunkedCompressor(EmitBytes emit, const ChunkFormat& format,
                                                        size_t chunks_per_emit, std::string_view prefix) {
  return std::make_unique<ChunkedCompressor>(std::move(emit), format, chunks_per_emit, prefix);
}

}  // namespace sluice::codecs
