#include "core/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice {
namespace {

TEST(Crc32cTest, MatchesKnownVectors) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(Crc32c(std::string(32, '\0')), 0x8A9136AAu);  // RFC 3720 B.4
  EXPECT_EQ(Crc32c(std::string(32, '\xFF')), 0x62A8AB43u);
  EXPECT_EQ(Crc32c(""), 0u);
}

TEST(Crc32cTest, ExtendEqualsWholeComputation) {
  const std::string data = "The quick brown fox jumps over the lazy dog, twice over.";
  for (size_t split = 0; split <= data.size(); ++split) {
    const uint32_t first = Crc32c(std::string_view(data).substr(0, split));
    EXPECT_EQ(Crc32cExtend(first, std::string_view(data).substr(split)), Crc32c(data));
  }
}

}  // namespace
}  // namespace sluice
