#include "codecs/codec.h"

namespace sluice::codecs {
namespace {

class WholeBodyCompressor final : public ObjectCompressor {
 public:
  WholeBodyCompressor(EmitBytes emit, CompressWhole compress_whole)
      : emit_(std::move(emit)), compress_whole_(std::move(compress_whole)) {}

  Status Write(std::string_view body_piece) override {
    body_.append(body_piece);
    return {};
  }
  Status Finish() override { return compress_whole_(body_, emit_); }

 private:
  EmitBytes emit_;
  CompressWhole compress_whole_;
  std::string body_;
};

}  // namespace

Status Codec::CompressTo(std::string_view input, const EmitBytes& emit) {
  auto object = Start(emit, input.size());
  if (!object) return std::unexpected(object.error());
  if (auto written = (*object)->Write(input); !written) return written;
  return (*object)->Finish();
}

Result<std::string> Codec::Compress(std::string_view input) {
  std::string out;
  auto done = CompressTo(input, [&](std::string_view piece) {
    out += piece;
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return out;
}

Status Emit(const EmitBytes& emit, std::string_view piece) {
  if (!emit(piece)) return Fail(ErrorCode::kUnavailable, "the destination stopped taking the object");
  return {};
}

std::unique_ptr<ObjectCompressor> MakeWholeBodyCompressor(EmitBytes emit, CompressWhole compress_whole) {
  return std::make_unique<WholeBodyCompressor>(std::move(emit), std::move(compress_whole));
}

}  // namespace sluice::codecs
