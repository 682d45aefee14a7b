#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "codecs/codec.h"
#include "codecs/deflate_compressor.h"
#include "codecs/run_chunker.h"

namespace sluice::codecs {
namespace {

// One member's compression: a compressor (not thread-safe, so one per thread) and its output
// buffer, both reused across members and calls.
struct MemberCompressor {
  DeflateCompressor compressor;
  std::string out;
  size_t written = 0;  // bytes of `out` holding the last member; 0 if it failed

  void Compress(std::string_view piece) {
    const size_t bound = libdeflate_gzip_compress_bound(compressor.get(), piece.size());
    if (out.size() < bound) out.resize(bound);
    written = libdeflate_gzip_compress(compressor.get(), piece.data(), piece.size(), out.data(), bound);
  }
};

// libdeflate compresses whole buffers only, so a large input becomes several members, each
// compressed into one reused buffer. Members of 8 MiB cost nothing measurable in ratio: deflate
// never looks back further than 32 KiB, and a member adds 18 bytes of header and trailer.
class GzipCodec final : public Codec {
 public:
  GzipCodec(int level, size_t member_input_bytes, int threads)
      : members_(static_cast<size_t>(std::clamp(threads, 1, 64))),
        member_input_bytes_(std::max<size_t>(member_input_bytes, 1)) {
    for (MemberCompressor& member : members_) member.compressor = AllocDeflateCompressor(level);
  }

  Result<std::unique_ptr<ObjectCompressor>> Start(EmitBytes emit, std::optional<uint64_t>) override;
  std::string_view Extension() const override { return ".gz"; }

  // One member per compressor at most, the first on this thread, then emitted in order.
  Status CompressRound(std::string_view round, const EmitBytes& emit) {
    std::vector<std::string_view> pieces;
    // An empty round is still one (empty) member: an empty body is a valid gzip file.
    do {
      pieces.push_back(round.substr(0, member_input_bytes_));
      round.remove_prefix(pieces.back().size());
    } while (!round.empty());
    std::vector<std::thread> helpers;
    for (size_t k = 1; k < pieces.size(); ++k) helpers.emplace_back([this, &pieces, k] { members_[k].Compress(pieces[k]); });
    members_[0].Compress(pieces[0]);
    for (std::thread& helper : helpers) helper.join();
    for (size_t k = 0; k < pieces.size(); ++k) {
      // The bound is libdeflate's own worst case, so 0 (did not fit) means a broken invariant.
      if (members_[k].written == 0) return Fail(ErrorCode::kInternal, "gzip: compressed output exceeded libdeflate's bound");
      if (auto emitted = Emit(emit, std::string_view(members_[k].out).substr(0, members_[k].written)); !emitted) {
        return emitted;
      }
    }
    return {};
  }

  size_t round_bytes() const { return member_input_bytes_ * members_.size(); }

 private:
  std::vector<MemberCompressor> members_;  // one per thread compressing at once
  size_t member_input_bytes_;
};

// Members are cut at the same body offsets however the body arrives, so its bytes are those of
// a whole-body compression.
class GzipObject final : public ObjectCompressor {
 public:
  GzipObject(GzipCodec& codec, EmitBytes emit) : codec_(codec), emit_(std::move(emit)), chunker_(codec.round_bytes()) {}

  Status Write(std::string_view body_piece) override {
    return chunker_.Add(body_piece, [this](std::string_view round) {
      any_member_ = true;
      return codec_.CompressRound(round, emit_);
    });
  }
  Status Finish() override {
    if (chunker_.Rest().empty() && any_member_) return {};
    return codec_.CompressRound(chunker_.Rest(), emit_);
  }

 private:
  GzipCodec& codec_;
  EmitBytes emit_;
  RunChunker chunker_;
  bool any_member_ = false;
};

Result<std::unique_ptr<ObjectCompressor>> GzipCodec::Start(EmitBytes emit, std::optional<uint64_t>) {
  for (const MemberCompressor& member : members_) {
    if (member.compressor == nullptr) return Fail(ErrorCode::kInternal, "gzip: libdeflate could not allocate a compressor");
  }
  return std::make_unique<GzipObject>(*this, std::move(emit));
}

}  // namespace

std::unique_ptr<Codec> MakeGzip(int level, size_t member_input_bytes, int threads) {
  return std::make_unique<GzipCodec>(level, member_input_bytes, threads);
}

}  // namespace sluice::codecs
