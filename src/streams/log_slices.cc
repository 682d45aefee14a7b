#include "streams/log_slices.h"

#include <algorithm>

namespace sluice::streams {

Status ReadLogSlices(wal::Log& log, uint64_t from_seq, uint64_t through_seq, uint64_t max_bytes,
                     wal::RecordBatch& slice, const EachLogSlice& each) {
  uint64_t taken = 0;
  for (uint64_t next = from_seq; next <= through_seq && taken < max_bytes;) {
    slice.Clear();
    if (auto read = log.Read(next, through_seq, std::min(kLogSliceBytes, max_bytes - taken), slice); !read) {
      return read;
    }
    if (slice.entries.empty()) break;
    // Read returns one record even over its budget; over max_bytes, that record belongs to the
    // next batch unless it is this one's first (as in a whole read).
    if (taken > 0 && slice.entries.front().data.size() > max_bytes - taken) break;
    taken += slice.arena.size();
    if (auto taken_slice = each(slice); !taken_slice) return taken_slice;
    if (slice.entries.back().seq == through_seq) break;
    next = slice.entries.back().seq + 1;
  }
  return {};
}

Result<LogExtent> MeasureLog(wal::Log& log, uint64_t from_seq, uint64_t through_seq, uint64_t max_bytes,
                             wal::RecordBatch& slice) {
  LogExtent extent;
  auto read = ReadLogSlices(log, from_seq, through_seq, max_bytes, slice, [&](const wal::RecordBatch& s) -> Status {
    if (extent.records == 0) {
      extent.first_seq = s.entries.front().seq;
      extent.first_arrival_ms = s.entries.front().arrival_ms;
    }
    extent.last_seq = s.entries.back().seq;
    extent.last_arrival_ms = s.entries.back().arrival_ms;
    extent.records += s.entries.size();
    extent.bytes += s.arena.size();
    return {};
  });
  if (!read) return std::unexpected(read.error());
  return extent;
}

}  // namespace sluice::streams
