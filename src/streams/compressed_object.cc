#include "streams/compressed_object.h"

namespace sluice::streams {

sinks::DeliveryResult StoreCompressed(sinks::Sink& sink, codecs::Codec& codec, const sinks::Delivery& d) {
  // A body held whole is one slice; it cannot fail to be read.
  return *StoreCompressedSlices(sink, codec, d, d.body.size(),
                                [&](const WriteSlice& write) { return write(d.body); });
}

Result<sinks::DeliveryResult> StoreCompressedSlices(sinks::Sink& sink, codecs::Codec& codec, const sinks::Delivery& d,
                                                    std::optional<uint64_t> body_bytes, const BodySlices& slices) {
  const auto object = sink.Begin(d);
  sinks::DeliveryResult written{sinks::Outcome::kOk, ""};
  const auto codec_failed = [&](const Error& error) {
    return sinks::DeliveryResult{sinks::Outcome::kRetryable,
                                 "cannot compress s3://" + d.bucket + "/" + d.key + ": " + error.message};
  };
  auto compressor = codec.Start(
      [&](std::string_view piece) {
        written = object->Write(piece);
        return written.outcome == sinks::Outcome::kOk;
      },
      body_bytes);
  if (!compressor) return codec_failed(compressor.error());
  // Whether the error `slices` returns came from writing (else: from reading the body).
  std::optional<Error> write_error;
  const Status produced = slices([&](std::string_view slice) -> Status {
    auto compressed = (*compressor)->Write(slice);
    if (!compressed) write_error = compressed.error();
    return compressed;
  });
  if (written.outcome != sinks::Outcome::kOk) return written;
  if (!produced) {
    if (write_error) return codec_failed(*write_error);
    return std::unexpected(produced.error());
  }
  if (auto finished = (*compressor)->Finish(); !finished) {
    if (written.outcome != sinks::Outcome::kOk) return written;
    return codec_failed(finished.error());
  }
  return object->Finish();
}

}  // namespace sluice::streams
