// Bloom filter hashing is proven on Apache ORC's files in test_reader/orc_fixture_test.cc
// (RowIndexes/bad_bloom_filter_*); these pin what those files cannot show.
#include "formats/orc/bloom_filter.h"

#include <gtest/gtest.h>

#include <limits>

namespace sluice::formats::orc {
namespace {

TEST(OrcBloomFilter, SizedAsTheReferenceWriters) {
  // The C++ writer's filters in bad_bloom_filter_1.6.*.orc: stride 10000, fpp 0.05.
  const BloomFilter filter(10000, 0.05);
  EXPECT_EQ(filter.Bits().size(), 7800u);
  EXPECT_EQ(filter.hash_functions(), 4);
}

TEST(OrcBloomFilter, IntegerHashShiftsWithSignExtension) {
  // With arithmetic shifts 0 hashes to 0 (~0 is -1, and -1 ^ (-1 >> 24) is 0); the faulty
  // writers' logical shifts give something else.
  EXPECT_EQ(IntegerHash64(0), 0u);
  EXPECT_NE(IntegerHash64(-1), IntegerHash64(std::numeric_limits<int64_t>::max()));
}

TEST(OrcBloomFilter, SetsTheBitsItsHashNames) {
  BloomFilter filter(100, 0.05);
  filter.AddBytes("hello");
  const std::string bits = filter.Bits();
  int set = 0;
  ForEachBloomBit(Murmur3Hash64("hello"), filter.hash_functions(), bits.size() / 8,
                  [&](size_t word, unsigned bit) {
                    set += (static_cast<uint8_t>(bits[word * 8 + bit / 8]) >> (bit % 8)) & 1;
                  });
  EXPECT_EQ(set, filter.hash_functions());
}

}  // namespace
}  // namespace sluice::formats::orc
