#pragma once
// One object of a batch, compressed straight into the sink.

#include <functional>
#include <optional>

#include "codecs/codec.h"
#include "sinks/sink.h"

namespace sluice::streams {

// Stores `d.body` compressed by `codec` under `d.bucket` / `d.key`, handing the sink each piece
// as it is compressed (see Codec::CompressTo), so no compressed copy of the whole body is held.
// A codec failure is kRetryable: the records stay in the log meanwhile.
sinks::DeliveryResult StoreCompressed(sinks::Sink& sink, codecs::Codec& codec, const sinks::Delivery& d);

// A body produced slice by slice: calls `write` with each slice in order and returns the first
// error, whether its own (the body could not be read) or `write`'s.
using WriteSlice = std::function<Status(std::string_view slice)>;
using BodySlices = std::function<Status(const WriteSlice& write)>;

// As StoreCompressed, for a body that is never whole in memory: `slices` produces it (`d.body`
// is unused) and `body_bytes` is its size if known. An error means the body could not be read
// (the object is abandoned); otherwise the result is the sink's, or kRetryable for a codec failure.
Result<sinks::DeliveryResult> StoreCompressedSlices(sinks::Sink& sink, codecs::Codec& codec, const sinks::Delivery& d,
                                                    std::optional<uint64_t> body_bytes, const BodySlices& slices);

}  // namespace sluice::streams
