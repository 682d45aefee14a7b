#include "formats/orc/bloom_filter.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace sluice::formats::orc {
namespace {

constexpr uint64_t kC1 = 0x87c37b91114253d5ull;
constexpr uint64_t kC2 = 0x4cf5ad432745937full;
constexpr uint64_t kSeed = 104729;

uint64_t Mix(uint64_t k) {
  k *= kC1;
  k = std::rotl(k, 31);
  return k * kC2;
}

uint64_t Finalize(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

}  // namespace

uint64_t Murmur3Hash64(std::string_view bytes) {
  uint64_t hash = kSeed;
  const size_t blocks = bytes.size() / 8;
  for (size_t i = 0; i < blocks; ++i) {
    uint64_t k = 0;
    for (size_t b = 0; b < 8; ++b) k |= uint64_t{static_cast<uint8_t>(bytes[i * 8 + b])} << (8 * b);
    hash ^= Mix(k);
    hash = std::rotl(hash, 27) * 5 + 0x52dce729;
  }
  const size_t tail = blocks * 8;
  if (tail < bytes.size()) {
    uint64_t k = 0;
    for (size_t b = bytes.size() - tail; b > 0; --b) {
      k ^= uint64_t{static_cast<uint8_t>(bytes[tail + b - 1])} << (8 * (b - 1));
    }
    hash ^= Mix(k);
  }
  hash ^= bytes.size();
  return Finalize(hash);
}

uint64_t IntegerHash64(int64_t value) {
  // Arithmetic right shifts, as on a signed 64-bit integer.
  auto key = static_cast<uint64_t>(value);
  const auto shift_right = [](uint64_t v, int n) {
    return static_cast<uint64_t>(static_cast<int64_t>(v) >> n);
  };
  key = ~key + (key << 21);
  key ^= shift_right(key, 24);
  key = (key + (key << 3)) + (key << 8);
  key ^= shift_right(key, 14);
  key = (key + (key << 2)) + (key << 4);
  key ^= shift_right(key, 28);
  key += key << 31;
  return key;
}

BloomFilter::BloomFilter(uint64_t expected_entries, double false_positive_probability) {
  const double n = static_cast<double>(std::max<uint64_t>(expected_entries, 1));
  const double ln2 = std::log(2.0);
  const auto bits = static_cast<int64_t>(-n * std::log(false_positive_probability) / (ln2 * ln2));
  // Rounded up to whole 64-bit words (a multiple of 64 gains one more word, as in the
  // reference writers).
  const int64_t words = bits / 64 + 1;
  words_.assign(static_cast<size_t>(words), 0);
  hash_functions_ = std::max(1, static_cast<int>(std::round(
                                    static_cast<double>(words * 64) / n * ln2)));
}

void BloomFilter::AddDouble(double value) {
  AddInteger(std::bit_cast<int64_t>(value));
}

void BloomFilter::AddHash(uint64_t hash) {
  ForEachBloomBit(hash, hash_functions_, words_.size(),
                  [&](size_t word, unsigned bit) { words_[word] |= uint64_t{1} << bit; });
}

std::string BloomFilter::Bits() const {
  std::string out;
  out.reserve(words_.size() * 8);
  for (uint64_t word : words_) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(word >> (8 * i)));
  }
  return out;
}

}  // namespace sluice::formats::orc
