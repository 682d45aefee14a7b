#pragma once
// Drives PutRecordBatch from C connections (one thread each) and counts only what the server
// acknowledged.

#include <cstdint>
#include <string>
#include <vector>

#include "loadgen/workload.h"

namespace sluice::bench {

struct LoadOptions {
  uint16_t port = 0;
  std::string stream;
  size_t connections = 4;
  double duration_s = 10;   // stop starting requests after this long...
  uint64_t total_bytes = 0;  // ...or once this much payload has been claimed, if not 0
  double rate_mb_s = 0;     // total payload rate limit (10^6 bytes/s); 0: as fast as acknowledged
};

struct Ack {
  uint64_t tag;
  int64_t steady_ns;  // std::chrono::steady_clock
};

// One HTTP request: when its answer came, how long it took, what it got acknowledged.
struct RequestSample {
  int64_t answered_steady_ns;
  int64_t latency_us;
  uint64_t acked_bytes;  // 0 for a retried (503, refused, broken) request
};

struct LoadResult {
  int64_t start_steady_ns = 0;
  int64_t start_unix_ns = 0;      // the same instant on the wall clock, to line up outside samples
  double elapsed_s = 0;
  uint64_t requests = 0;          // HTTP requests sent, retries included
  uint64_t acked_records = 0;
  uint64_t acked_bytes = 0;       // decoded record payload
  uint64_t throttled = 0;         // 503 answers, resent whole
  uint64_t failed_entries = 0;    // entries refused inside a 200 answer, resent
  uint64_t transport_errors = 0;  // connection failures, resent on a new connection
  std::vector<RequestSample> samples;  // one per request, in each connection's order
  std::vector<Ack> acks;          // one per acknowledged request (or retried part of one)
  std::string fatal;              // not empty: the run stopped on an unexpected answer
};

LoadResult RunLoad(const LoadOptions& options, const std::vector<BatchBody>& bodies);

}  // namespace sluice::bench
