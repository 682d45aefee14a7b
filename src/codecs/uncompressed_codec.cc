#include "codecs/codec.h"

namespace sluice::codecs {
namespace {

class PassThrough final : public ObjectCompressor {
 public:
  explicit PassThrough(EmitBytes emit) : emit_(std::move(emit)) {}
  Status Write(std::string_view body_piece) override { return Emit(emit_, body_piece); }
  Status Finish() override { return {}; }

 private:
  EmitBytes emit_;
};

class UncompressedCodec final : public Codec {
 public:
  Result<std::unique_ptr<ObjectCompressor>> Start(EmitBytes emit, std::optional<uint64_t>) override {
    return std::make_unique<PassThrough>(std::move(emit));
  }
  std::string_view Extension() const override { return ""; }
};

}  // namespace

std::unique_ptr<Codec> MakeUncompressed() { return std::make_unique<UncompressedCodec>(); }

}  // namespace sluice::codecs
