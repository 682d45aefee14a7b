#pragma once
// A stream's batches read from its log a slice at a time, so that a batch of up to 128 MiB is
// never whole in memory.

#include <cstdint>
#include <functional>

#include "core/result.h"
#include "wal/log.h"
#include "wal/record_batch.h"

namespace sluice::streams {

// The records of the log a slice holds at most (one record may be larger).
inline constexpr uint64_t kLogSliceBytes = 8 << 20;

// Reads what one Log::Read(from_seq, through_seq, max_bytes) would return, in slices of at most
// kLogSliceBytes of payload read into `slice` (cleared before each): each is handed to `each`
// and valid during its call only. The first error, the log's or `each`'s, ends it.
using EachLogSlice = std::function<Status(const wal::RecordBatch& slice)>;
Status ReadLogSlices(wal::Log& log, uint64_t from_seq, uint64_t through_seq, uint64_t max_bytes,
                     wal::RecordBatch& slice, const EachLogSlice& each);

// What such a read covers.
struct LogExtent {
  uint64_t first_seq = 0;
  uint64_t last_seq = 0;
  uint64_t records = 0;  // 0: nothing to read
  uint64_t bytes = 0;    // the records' payload
  int64_t first_arrival_ms = 0;
  int64_t last_arrival_ms = 0;
};
// Walks the frames once without copying their payload.
Result<LogExtent> MeasureLog(wal::Log& log, uint64_t from_seq, uint64_t through_seq, uint64_t max_bytes);

}  // namespace sluice::streams
