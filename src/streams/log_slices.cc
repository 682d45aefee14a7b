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

Result<LogExtent> MeasureLog(wal::Log& log, uint64_t from_seq, uint64_t through_seq, uint64_t max_bytes) {
  LogExtent extent;
  auto read = log.Visit(from_seq, through_seq, max_bytes,
                        [&extent](uint64_t seq, int64_t arrival_ms, std::string_view payload) {
                          if (extent.records == 0) {
                            extent.first_seq = seq;
                            extent.first_arrival_ms = arrival_ms;
                          }
                          extent.last_seq = seq;
                          extent.last_arrival_ms = arrival_ms;
                          ++extent.records;
                          extent.bytes += payload.size();
                        });
  if (!read) return std::unexpected(read.error());
  return extent;
}

}  // namespace sluice::streams
