#include "streams/compressed_object.h"

namespace sluice::streams {

sinks::DeliveryResult StoreCompressed(sinks::Sink& sink, codecs::Codec& codec, const sinks::Delivery& d) {
  const auto object = sink.Begin(d);
  sinks::DeliveryResult written{sinks::Outcome::kOk, ""};
  const auto compressed = codec.CompressTo(d.body, [&](std::string_view piece) {
    written = object->Write(piece);
    return written.outcome == sinks::Outcome::kOk;
  });
  if (written.outcome != sinks::Outcome::kOk) return written;
  if (!compressed) {
    return {sinks::Outcome::kRetryable,
            "cannot compress s3://" + d.bucket + "/" + d.key + ": " + compressed.error().message};
  }
  return object->Finish();
}

}  // namespace sluice::streams
