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

struct LoadResult {
  int64_t start_steady_ns = 0;
  double elapsed_s = 0;
  uint64_t requests = 0;          // HTTP requests sent, retries included
  uint64_t acked_records = 0;
  uint64_t acked_bytes = 0;       // decoded record payload
  uint64_t throttled = 0;         // 503 answers, resent whole
  uint64_t failed_entries = 0;    // entries refused inside a 200 answer, resent
  uint64_t transport_errors = 0;  // connection failures, resent on a new connection
  std::vector<int64_t> latencies_us;
  std::vector<Ack> acks;          // one per acknowledged request (or retried part of one)
  std::string fatal;              // not empty: the run stopped on an unexpected answer
};

LoadResult RunLoad(const LoadOptions& options, const std::vector<BatchBody>& bodies);

}  // namespace sluice::bench
