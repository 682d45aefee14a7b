#include "formats/parquet/byte_dictionary.h"

#include <algorithm>
#include <cstring>

namespace sluice::formats::parquet {
namespace {

constexpr uint64_t kMultiplier = 0x9E3779B97F4A7C15ull;
constexpr size_t kInitialSlots = 1024;

uint64_t Mix(uint64_t h) {
  h ^= h >> 32;
  h *= kMultiplier;
  return h ^ (h >> 29);
}

}  // namespace

uint64_t ByteDictionary::Hash(std::string_view value) {
  uint64_t h = value.size() * kMultiplier;
  size_t i = 0;
  for (; i + 8 <= value.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, value.data() + i, sizeof word);
    h = (h ^ word) * kMultiplier;
    h ^= h >> 31;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, value.data() + i, value.size() - i);
  return Mix(h ^ tail);
}

std::string_view ByteDictionary::ValueAt(uint32_t index) const {
  uint32_t length;
  std::memcpy(&length, plain_.data() + offsets_[index], sizeof length);
  return std::string_view(plain_).substr(offsets_[index] + sizeof length, length);
}

uint32_t ByteDictionary::Add(std::string_view value) {
  if ((offsets_.size() + 1) * 2 > slots_.size()) Grow();
  const uint64_t hash = Hash(value);
  const size_t mask = slots_.size() - 1;
  for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const uint32_t entry = slots_[slot];
    if (entry == 0) {
      const auto index = static_cast<uint32_t>(offsets_.size());
      slots_[slot] = index + 1;
      offsets_.push_back(static_cast<uint32_t>(plain_.size()));
      hashes_.push_back(hash);
      const auto length = static_cast<uint32_t>(value.size());
      plain_.append(reinterpret_cast<const char*>(&length), sizeof length);
      plain_.append(value);
      return index;
    }
    if (hashes_[entry - 1] == hash && ValueAt(entry - 1) == value) return entry - 1;
  }
}

void ByteDictionary::Grow() {
  slots_.assign(std::max(kInitialSlots, slots_.size() * 2), 0);
  const size_t mask = slots_.size() - 1;
  for (uint32_t index = 0; index < offsets_.size(); ++index) {
    size_t slot = hashes_[index] & mask;
    while (slots_[slot] != 0) slot = (slot + 1) & mask;
    slots_[slot] = index + 1;
  }
}

void ByteDictionary::Clear() {
  plain_.clear();
  offsets_.clear();
  hashes_.clear();
  std::fill(slots_.begin(), slots_.end(), 0);
}

}  // namespace sluice::formats::parquet
