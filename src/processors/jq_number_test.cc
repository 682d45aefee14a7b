#include "processors/jq_number.h"

#include <gtest/gtest.h>

#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>

extern "C" {
#include <jv.h>
}

namespace sluice::processors {
namespace {

// jq 1.6's own printing of a number, through libjq.
std::string JqPrints(double value) {
  jv text = jv_dump_string(jv_number(value), 0);
  std::string out = jv_string_value(text);
  jv_free(text);
  return out;
}

TEST(JqNumberTextTest, PrintsAsJq16Does) {
  // What `jq -c '.a|tostring'` prints for these inputs.
  EXPECT_EQ(JqNumberText(1.0), "1");
  EXPECT_EQ(JqNumberText(1e3), "1000");
  EXPECT_EQ(JqNumberText(12345678901234567890.0), "12345678901234567000");
  EXPECT_EQ(JqNumberText(1e17), "1e+17");
  EXPECT_EQ(JqNumberText(1e15), "1000000000000000");
  EXPECT_EQ(JqNumberText(0.0001), "0.0001");
  EXPECT_EQ(JqNumberText(0.00001), "1e-05");
  EXPECT_EQ(JqNumberText(-0.0), "-0");
  EXPECT_EQ(JqNumberText(0.0), "0");
  EXPECT_EQ(JqNumberText(-12.5), "-12.5");
  EXPECT_EQ(JqNumberText(0.1), "0.1");
  EXPECT_EQ(JqNumberText(1.5e-300), "1.5e-300");
  EXPECT_EQ(JqNumberText(HUGE_VAL), "1.7976931348623157e+308");
  EXPECT_EQ(JqNumberText(-HUGE_VAL), "-1.7976931348623157e+308");
  EXPECT_EQ(JqNumberText(NAN), "null");
}

TEST(JqNumberTextTest, MatchesLibjqOnEdgesAndManyRandomNumbers) {
  std::vector<double> values = {DBL_MIN, DBL_TRUE_MIN, DBL_MAX, 9007199254740993.0, 123456.789, 1e-4,
                                9.999e-5, 1e16, 1e21, 123e20, 5e-324, 0.3, 2.0 / 3.0};
  std::mt19937_64 random(42);
  for (int i = 0; i < 20000; ++i) {
    const double any = std::bit_cast<double>(random());
    if (std::isfinite(any)) values.push_back(any);
    // Numbers as data holds them: a few digits at every scale.
    values.push_back(static_cast<double>(random() % 100000) * std::pow(10.0, static_cast<int>(random() % 40) - 20));
    values.push_back(static_cast<double>(static_cast<int64_t>(random() >> (random() % 64))));
  }
  for (double value : values) {
    ASSERT_EQ(JqNumberText(value), JqPrints(value)) << "value bits " << std::bit_cast<uint64_t>(value);
  }
}

}  // namespace
}  // namespace sluice::processors
