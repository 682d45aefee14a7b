#pragma once
// Flatness (issue 5: throughput held within 10% from 1 to 10 GB): a run cut into consecutive
// segments of acknowledged payload, each with its own rate and request latencies, so a server
// that slows down or stalls as data accumulates shows up as a later segment unlike the first.

#include <cstdint>
#include <vector>

#include "core/json_writer.h"
#include "loadgen/load.h"

namespace sluice::bench {

struct Segment {
  int64_t start_steady_ns = 0;  // the answer that closed the previous segment (or the run's start)
  int64_t end_steady_ns = 0;    // the answer that closed this one
  uint64_t acked_bytes = 0;
  uint64_t requests = 0;
  std::vector<int64_t> latencies_us;
  bool full = false;            // false only for a trailing remainder of at least half a segment
};

// Orders the requests by answer time and closes a segment each time the acknowledged payload
// so far reaches the next multiple of `segment_bytes`; every request falls in exactly one
// segment. A remainder after the last full segment smaller than half a segment is counted into
// that segment (with --total-mb it is the requests still in flight when the total was reached);
// a larger one is kept as a last segment that is not `full`.
std::vector<Segment> SplitIntoSegments(std::vector<RequestSample> samples, int64_t start_steady_ns,
                                       uint64_t segment_bytes);

// Writes the segments as a JSON array: per segment its index (from 1), acknowledged bytes and
// requests, start and end in seconds since `start_steady_ns`, MB/s and latency percentiles.
void WriteSegments(JsonWriter& json, std::vector<Segment>& segments, int64_t start_steady_ns);

}  // namespace sluice::bench
