#include "delivery/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <utility>

namespace sluice::delivery {
namespace {

// Firehose keeps undelivered data for one day; no single wait may be longer.
constexpr int64_t kMaxDelayLimitMs = 86'400'000;

double DefaultUniform() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace

Result<RetryPolicy> RetryPolicy::Create(const RetryConfig& config, UniformSource uniform) {
  if (config.base_delay_ms < 1) {
    return InvalidArgument("retry base_delay_ms is " + std::to_string(config.base_delay_ms) +
                           "; it must be at least 1");
  }
  if (config.max_delay_ms < config.base_delay_ms || config.max_delay_ms > kMaxDelayLimitMs) {
    return InvalidArgument("retry max_delay_ms is " + std::to_string(config.max_delay_ms) +
                           "; it must be between base_delay_ms (" +
                           std::to_string(config.base_delay_ms) + ") and 86400000 (one day)");
  }
  if (!(config.jitter >= 0.0 && config.jitter < 1.0)) {
    char jitter[32];
    std::snprintf(jitter, sizeof(jitter), "%g", config.jitter);
    return InvalidArgument("retry jitter is " + std::string(jitter) + "; it must be in [0, 1)");
  }
  if (!uniform) uniform = &DefaultUniform;
  return RetryPolicy(config, std::move(uniform));
}

RetryPolicy::RetryPolicy(const RetryConfig& config, UniformSource uniform)
    : config_(config), uniform_(std::move(uniform)) {}

int64_t RetryPolicy::DelayMs(int retry) const {
  // Doubling stops at the cap, so this neither overflows nor loops more than ~63 times.
  int64_t delay = config_.base_delay_ms;
  for (int i = 0; i < retry && delay < config_.max_delay_ms; ++i) delay *= 2;
  delay = std::min(delay, config_.max_delay_ms);
  const double u = std::clamp(uniform_(), 0.0, 1.0);
  const double factor = 1.0 - config_.jitter + 2.0 * config_.jitter * u;
  return std::llround(static_cast<double>(delay) * factor);
}

}  // namespace sluice::delivery
