#pragma once
// Backoff between delivery attempts.

#include <cstdint>
#include <functional>

#include "core/result.h"

namespace sluice::delivery {

// Defaults follow Firehose's documented HTTP-endpoint backoff (firehose.md §4.6): 1 s
// initial, doubling, capped at 120 s, +-15 % jitter. The cap bounds how long a destination
// that has recovered waits before the next try; the total retry time is bounded elsewhere
// (RetryOptions.DurationInSeconds), not by the number of attempts.
struct RetryConfig {
  int64_t base_delay_ms = 1'000;
  int64_t max_delay_ms = 120'000;
  double jitter = 0.15;  // delays are spread uniformly over [1 - jitter, 1 + jitter)
};

// delay(n) = min(max_delay, base_delay * 2^n) * U(1 - jitter, 1 + jitter), n = 0 for the
// first retry. Jitter keeps many streams that failed together from retrying in lockstep.
class RetryPolicy {
 public:
  // Returns values in [0, 1); the default is a per-thread generator seeded from the OS.
  using UniformSource = std::function<double()>;

  // kInvalidArgument unless 1 <= base_delay_ms <= max_delay_ms <= one day and
  // 0 <= jitter < 1.
  static Result<RetryPolicy> Create(const RetryConfig& config, UniformSource uniform = {});

  // Thread-safe with the default source; an injected source must be safe to call from
  // wherever DelayMs is. A negative `retry` counts as 0.
  int64_t DelayMs(int retry) const;

 private:
  RetryPolicy(const RetryConfig& config, UniformSource uniform);

  RetryConfig config_;
  UniformSource uniform_;
};

}  // namespace sluice::delivery
