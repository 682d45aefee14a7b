#include "codecs/codec.h"
#include "codecs/deflate_compressor.h"

namespace sluice::codecs {
namespace {

class GzipCodec final : public Codec {
 public:
  explicit GzipCodec(int level) : compressor_(AllocDeflateCompressor(level)) {}

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
  DeflateCompressor compressor_;
};

}  // namespace

std::unique_ptr<Codec> MakeGzip(int level) { return std::make_unique<GzipCodec>(level); }

}  // namespace sluice::codecs
