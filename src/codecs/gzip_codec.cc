#include <algorithm>

#include "codecs/codec.h"
#include "codecs/deflate_compressor.h"

namespace sluice::codecs {
namespace {

// libdeflate compresses whole buffers only, so a large input becomes several members, each
// compressed into one reused buffer. Members of 8 MiB cost nothing measurable in ratio: deflate
// never looks back further than 32 KiB, and a member adds 18 bytes of header and trailer.
class GzipCodec final : public Codec {
 public:
  GzipCodec(int level, size_t member_input_bytes)
      : compressor_(AllocDeflateCompressor(level)), member_input_bytes_(std::max<size_t>(member_input_bytes, 1)) {}

  Result<std::string> Compress(std::string_view input) override { return CollectPieces(*this, input); }

  Status CompressTo(std::string_view input, const EmitBytes& emit) override {
    if (compressor_ == nullptr) {
      return Fail(ErrorCode::kInternal, "gzip: libdeflate could not allocate a compressor");
    }
    // An empty input is still one (empty) member: a valid gzip file.
    do {
      const std::string_view piece = input.substr(0, member_input_bytes_);
      input.remove_prefix(piece.size());
      const size_t bound = libdeflate_gzip_compress_bound(compressor_.get(), piece.size());
      if (member_.size() < bound) member_.resize(bound);
      const size_t written =
          libdeflate_gzip_compress(compressor_.get(), piece.data(), piece.size(), member_.data(), bound);
      // The bound is libdeflate's own worst case, so 0 (did not fit) means a broken invariant.
      if (written == 0) {
        return Fail(ErrorCode::kInternal, "gzip: compressed output exceeded libdeflate's bound");
      }
      if (auto emitted = Emit(emit, std::string_view(member_).substr(0, written)); !emitted) return emitted;
    } while (!input.empty());
    return {};
  }

  std::string_view Extension() const override { return ".gz"; }

 private:
  DeflateCompressor compressor_;
  size_t member_input_bytes_;
  std::string member_;  // one compressed member; kept across calls
};

}  // namespace

std::unique_ptr<Codec> MakeGzip(int level, size_t member_input_bytes) {
  return std::make_unique<GzipCodec>(level, member_input_bytes);
}

}  // namespace sluice::codecs
