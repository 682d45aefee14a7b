#include "codecs/codec.h"

namespace sluice::codecs {
namespace {

class UncompressedCodec final : public Codec {
 public:
  Result<std::string> Compress(std::string_view input) override { return std::string(input); }
  Status CompressTo(std::string_view input, const EmitBytes& emit) override { return Emit(emit, input); }
  std::string_view Extension() const override { return ""; }
};

}  // namespace

std::unique_ptr<Codec> MakeUncompressed() { return std::make_unique<UncompressedCodec>(); }

}  // namespace sluice::codecs
