#pragma once
// ORC's bloom filter (ORC specification v1, "Bloom Filter Index"): a bit set of m bits probed by
// k hash functions derived from one 64-bit hash, h1 + i * h2 (i = 1..k). The 64-bit hash is
// Murmur3's 64-bit variant (seed 104729) of the value's bytes for strings and binary, and
// Thomas Wang's 64-bit integer hash for integers, dates and floating point (IEEE 754 bits of
// the value widened to double), as every ORC reader computes them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::formats::orc {

uint64_t Murmur3Hash64(std::string_view bytes);
uint64_t IntegerHash64(int64_t value);

// Calls `visit(word, bit)` for each of the `hash_functions` bits that `hash` sets in a filter
// of `words` 64-bit words.
template <typename Visit>
void ForEachBloomBit(uint64_t hash, int hash_functions, size_t words, Visit&& visit) {
  const auto h1 = static_cast<uint32_t>(hash);
  const auto h2 = static_cast<uint32_t>(hash >> 32);
  const auto bits = static_cast<int64_t>(words * 64);
  for (int i = 1; i <= hash_functions; ++i) {
    // 32-bit signed arithmetic, as the reference implementation does it.
    auto combined = static_cast<int32_t>(h1 + static_cast<uint32_t>(i) * h2);
    if (combined < 0) combined = ~combined;
    const int64_t position = combined % bits;
    visit(static_cast<size_t>(position >> 6), static_cast<unsigned>(position & 63));
  }
}

class BloomFilter {
 public:
  // Sized for `expected_entries` values at `false_positive_probability`, as the reference
  // writers size it.
  BloomFilter(uint64_t expected_entries, double false_positive_probability);

  void AddBytes(std::string_view bytes) { AddHash(Murmur3Hash64(bytes)); }
  void AddInteger(int64_t value) { AddHash(IntegerHash64(value)); }
  void AddDouble(double value);

  int hash_functions() const { return hash_functions_; }
  // The bit set as little-endian 64-bit words (BloomFilter.utf8bitset).
  std::string Bits() const;

 private:
  void AddHash(uint64_t hash);

  int hash_functions_;
  std::vector<uint64_t> words_;
};

}  // namespace sluice::formats::orc
