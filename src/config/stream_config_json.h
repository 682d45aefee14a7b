#pragma once
// Serialises the stream model: Describe output shapes (defaults materialised as Firehose does)
// and a CreateDeliveryStream body from which the same model parses back (for persistence).

#include <string>

#include "config/stream_config.h"
#include "core/json_writer.h"

namespace sluice::config {

// Writes, as members of the caller's open destination object, ExtendedS3DestinationDescription
// (extended destinations only) and S3DestinationDescription.
void WriteDestinationDescriptions(JsonWriter& writer, const StreamConfig& config);

// A CreateDeliveryStream body; ParseCreateDeliveryStream(ToCreateJson(c)) == c.
std::string ToCreateJson(const StreamConfig& config);

}  // namespace sluice::config
