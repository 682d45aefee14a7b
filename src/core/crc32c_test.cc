#include "core/crc32c.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

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

// Bit by bit, from the definition: the reference for the table and instruction paths.
uint32_t ReferenceCrc32c(std::string_view bytes) {
  uint32_t crc = ~0u;
  for (unsigned char byte : bytes) {
    crc ^= byte;
    for (int i = 0; i < 8; ++i) crc = (crc >> 1) ^ ((crc & 1) ? 0x82F63B78u : 0);
  }
  return ~crc;
}

std::string RandomBytes(size_t n) {
  std::string data(n, '\0');
  uint32_t x = 2463534242u;
  for (char& c : data) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    c = static_cast<char>(x);
  }
  return data;
}

// Lengths around every way the input is cut: 8-byte words, rounds of 3 x 128 and 3 x 1024
// bytes, and mixes of both, at every alignment of the start.
TEST(Crc32cTest, MatchesTheDefinitionAtEveryLengthAndAlignment) {
  const std::string data = RandomBytes(8 * 3072 + 64);
  std::vector<size_t> lengths;
  for (size_t n = 0; n <= 800; ++n) lengths.push_back(n);
  for (size_t round : {384, 3072}) {
    for (size_t k : {1, 2, 3, 5}) {
      for (size_t delta = 0; delta <= 17; ++delta) lengths.push_back(k * round + delta);
    }
  }
  lengths.push_back(3072 + 384 + 100);
  lengths.push_back(8 * 3072 + 7);
  for (size_t align = 0; align < 8; ++align) {
    for (size_t n : lengths) {
      const std::string_view piece = std::string_view(data).substr(align, n);
      ASSERT_EQ(Crc32c(piece), ReferenceCrc32c(piece)) << "length " << n << " at offset " << align;
    }
  }
}

TEST(Crc32cTest, ExtendAcrossRoundsEqualsWholeComputation) {
  const std::string data = RandomBytes(10000);
  const uint32_t whole = Crc32c(data);
  for (size_t split : {1, 383, 384, 385, 1000, 3071, 3072, 3073, 5000, 9999}) {
    const uint32_t first = Crc32c(std::string_view(data).substr(0, split));
    EXPECT_EQ(Crc32cExtend(first, std::string_view(data).substr(split)), whole) << "split at " << split;
  }
}

}  // namespace
}  // namespace sluice
