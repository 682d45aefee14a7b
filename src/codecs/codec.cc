#include "codecs/codec.h"

namespace sluice::codecs {

Status Codec::CompressTo(std::string_view input, const EmitBytes& emit) {
  auto compressed = Compress(input);
  if (!compressed) return std::unexpected(compressed.error());
  return Emit(emit, *compressed);
}

Status Emit(const EmitBytes& emit, std::string_view piece) {
  if (!emit(piece)) return Fail(ErrorCode::kUnavailable, "the destination stopped taking the object");
  return {};
}

Result<std::string> CollectPieces(Codec& codec, std::string_view input) {
  std::string out;
  auto done = codec.CompressTo(input, [&](std::string_view piece) {
    out += piece;
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return out;
}

}  // namespace sluice::codecs
