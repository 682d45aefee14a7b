#pragma once
// Decides the objects of a batch when it is sealed: the data object's key from the stream's
// Prefix, and the error object's key from its ErrorOutputPrefix, both for the arrival time of
// the batch's oldest record and sharing one UUID (so the pair is recognisable).

#include <cstdint>
#include <string_view>

#include "config/stream_config.h"
#include "config/time_zone.h"
#include "core/result.h"
#include "streams/sealed_batch.h"

namespace sluice::streams {


// Object-name extensions of the codecs in use (".gz", "" for none).
struct Extensions {
  std::string_view data;    // of the stream's CompressionFormat; FileExtension replaces it
  std::string_view backup;  // of the backup destination's CompressionFormat
};

// Times in keys are wall-clock times in `zone` (the stream's CustomTimeZone, UTC by default).
// Failed records go to the backup bucket when there is one (S3BackupConfiguration), else to
// the destination bucket; with S3BackupMode Enabled the batch also gets a backup object under
// the backup destination's Prefix.
Result<SealedBatch> PlanBatch(const config::StreamConfig& config, int64_t version,
                              int64_t oldest_arrival_ms, Extensions extensions,
                              const config::TimeZone& zone);

}  // namespace sluice::streams
