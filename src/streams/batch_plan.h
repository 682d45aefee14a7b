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



// Times in keys are wall-clock times in `zone` (the stream's CustomTimeZone, UTC by default).
// Failed records go to the backup bucket when there is one (S3BackupConfiguration), else to
// the destination bucket. `extension` is the object extension of the stream's format
// (".gz", ".parquet", "" for none); FileExtension replaces it.
Result<SealedBatch> PlanBatch(const config::StreamConfig& config, int64_t version,
                              int64_t oldest_arrival_ms, std::string_view extension,
                              const config::TimeZone& zone);

// A batch of source records for the backup destination (S3BackupMode Enabled, which needs
// S3BackupConfiguration), named under the backup's Prefix with `extension` of its
// CompressionFormat.
Result<SealedBatch> PlanBackupBatch(const config::StreamConfig& config, int64_t version,
                                    int64_t oldest_arrival_ms, std::string_view extension,
                                    const config::TimeZone& zone);

}  // namespace sluice::streams
