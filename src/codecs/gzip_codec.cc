#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "codecs/codec.h"
#include "codecs/deflate_compressor.h"

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

  Result<std::string> Compress(std::string_view input) override { return CollectPieces(*this, input); }

  Status CompressTo(std::string_view input, const EmitBytes& emit) override {
    for (const MemberCompressor& member : members_) {
      if (member.compressor == nullptr) {
        return Fail(ErrorCode::kInternal, "gzip: libdeflate could not allocate a compressor");
      }
    }
    std::vector<std::string_view> pieces;
    std::vector<std::thread> helpers;
    // An empty input is still one (empty) member: a valid gzip file.
    do {
      // A round: one member per compressor, the first on this thread, then emitted in order.
      pieces.clear();
      do {
        pieces.push_back(input.substr(0, member_input_bytes_));
        input.remove_prefix(pieces.back().size());
      } while (pieces.size() < members_.size() && !input.empty());
      for (size_t k = 1; k < pieces.size(); ++k) helpers.emplace_back([this, &pieces, k] { members_[k].Compress(pieces[k]); });
      members_[0].Compress(pieces[0]);
      for (std::thread& helper : helpers) helper.join();
      helpers.clear();
      for (size_t k = 0; k < pieces.size(); ++k) {
        // The bound is libdeflate's own worst case, so 0 (did not fit) means a broken invariant.
        if (members_[k].written == 0) {
          return Fail(ErrorCode::kInternal, "gzip: compressed output exceeded libdeflate's bound");
        }
        if (auto emitted = Emit(emit, std::string_view(members_[k].out).substr(0, members_[k].written)); !emitted) {
          return emitted;
        }
      }
    } while (!input.empty());
    return {};
  }

  std::string_view Extension() const override { return ".gz"; }

 private:
  std::vector<MemberCompressor> members_;  // one per thread compressing at once
  size_t member_input_bytes_;
};

}  // namespace

std::unique_ptr<Codec> MakeGzip(int level, size_t member_input_bytes, int threads) {
  return std::make_unique<GzipCodec>(level, member_input_bytes, threads);
}

}  // namespace sluice::codecs
