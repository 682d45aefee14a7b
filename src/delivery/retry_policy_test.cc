#include "delivery/retry_policy.h"

#include <gtest/gtest.h>

#include <limits>

namespace sluice::delivery {
namespace {

RetryPolicy Make(RetryConfig config, double u) {
  auto policy = RetryPolicy::Create(config, [u] { return u; });
  EXPECT_TRUE(policy.has_value()) << policy.error().message;
  return *policy;
}

TEST(RetryPolicy, DoublesFromBaseUpToCapWithoutJitterAtMidpoint) {
  const RetryPolicy policy = Make({}, 0.5);
  const int64_t expected[] = {1'000, 2'000, 4'000, 8'000, 16'000, 32'000, 64'000, 120'000, 120'000};
  for (int n = 0; n < 9; ++n) EXPECT_EQ(policy.DelayMs(n), expected[n]) << "retry " << n;
  EXPECT_EQ(policy.DelayMs(std::numeric_limits<int>::max()), 120'000);
  EXPECT_EQ(policy.DelayMs(-3), 1'000);
}

TEST(RetryPolicy, JitterSpansPlusMinus15Percent) {
  EXPECT_EQ(Make({}, 0.0).DelayMs(0), 850);
  EXPECT_EQ(Make({}, 1.0).DelayMs(0), 1'150);
  EXPECT_EQ(Make({}, 0.25).DelayMs(3), 7'400);  // 8000 * (0.85 + 0.3 * 0.25)
  EXPECT_EQ(Make({}, 0.0).DelayMs(20), 102'000);
  EXPECT_EQ(Make({}, 1.0).DelayMs(20), 138'000) << "jitter applies on top of the cap";
  EXPECT_EQ(Make({}, 7.0).DelayMs(0), 1'150) << "out-of-range source values are clamped";
}

TEST(RetryPolicy, CustomBaseCapAndJitter) {
  const RetryPolicy policy =
      Make({.base_delay_ms = 300, .max_delay_ms = 1'000, .jitter = 0.0}, 0.9);
  EXPECT_EQ(policy.DelayMs(0), 300);
  EXPECT_EQ(policy.DelayMs(1), 600);
  EXPECT_EQ(policy.DelayMs(2), 1'000);
  EXPECT_EQ(Make({.base_delay_ms = 5, .max_delay_ms = 5, .jitter = 0.0}, 0).DelayMs(9), 5);
}

TEST(RetryPolicy, DefaultSourceStaysWithinJitterBounds) {
  auto policy = RetryPolicy::Create({});
  ASSERT_TRUE(policy.has_value());
  for (int i = 0; i < 1000; ++i) {
    const int64_t delay = policy->DelayMs(2);
    EXPECT_GE(delay, 3'400);
    EXPECT_LE(delay, 4'600);
  }
}

TEST(RetryPolicy, RejectsInvalidConfig) {
  struct Case {
    RetryConfig config;
    std::string message;
  };
  const Case cases[] = {
      {{.base_delay_ms = 0}, "retry base_delay_ms is 0; it must be at least 1"},
      {{.base_delay_ms = 2'000, .max_delay_ms = 1'000},
       "retry max_delay_ms is 1000; it must be between base_delay_ms (2000) and 86400000 (one "
       "day)"},
      {{.max_delay_ms = 86'400'001},
       "retry max_delay_ms is 86400001; it must be between base_delay_ms (1000) and 86400000 "
       "(one day)"},
      {{.jitter = 1.0}, "retry jitter is 1; it must be in [0, 1)"},
      {{.jitter = -0.1}, "retry jitter is -0.1; it must be in [0, 1)"},
      {{.jitter = std::numeric_limits<double>::quiet_NaN()},
       "retry jitter is nan; it must be in [0, 1)"},
  };
  for (const auto& c : cases) {
    auto policy = RetryPolicy::Create(c.config);
    ASSERT_FALSE(policy.has_value()) << c.message;
    EXPECT_EQ(policy.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(policy.error().message, c.message);
  }
}

}  // namespace
}  // namespace sluice::delivery
