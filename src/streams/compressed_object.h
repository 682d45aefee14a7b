#pragma once
// One object of a batch, compressed straight into the sink.

#include "codecs/codec.h"
#include "sinks/sink.h"

namespace sluice::streams {

// Stores `d.body` compressed by `codec` under `d.bucket` / `d.key`, handing the sink each piece
// as it is compressed (see Codec::CompressTo), so no compressed copy of the whole body is held.
// A codec failure is kRetryable: the records stay in the log meanwhile.
sinks::DeliveryResult StoreCompressed(sinks::Sink& sink, codecs::Codec& codec, const sinks::Delivery& d);

}  // namespace sluice::streams
