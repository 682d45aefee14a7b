#pragma once
// Reference line: one core's gzip rate on the workload, with the library (libdeflate) and
// level the server's GZIP codec uses.

#include <cstddef>
#include <string>
#include <vector>

namespace sluice::bench {

struct CompressRate {
  double input_mb_s = 0;  // 10^6 bytes of input per second
  double ratio = 0;       // input bytes / output bytes
  size_t batches = 0;
};

// Compresses batches of `batch_bytes` (records concatenated, as delivered objects are) on the
// calling thread for about `seconds`.
CompressRate MeasureGzip(const std::vector<std::string>& records, int level, size_t batch_bytes,
                         double seconds);

}  // namespace sluice::bench
