#include "core/random.h"

#include <cstdint>
#include <random>

namespace sluice {
namespace {

std::mt19937_64& Generator() {
  thread_local std::mt19937_64 generator([] {
    std::random_device device;
    return (uint64_t{device()} << 32) ^ device();
  }());
  return generator;
}

}  // namespace

std::string RandomUuid() {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t hi = Generator()();
  uint64_t lo = Generator()();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                      // version 4
  lo = (lo & ~(0xC0ULL << 56)) | (0x80ULL << 56);          // RFC 4122 variant
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    const uint64_t word = i < 16 ? hi : lo;
    out += kHex[(word >> (60 - 4 * (i % 16))) & 0xF];
  }
  return out;
}

std::string RandomAlnum(size_t length) {
  static constexpr char kChars[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::uniform_int_distribution<int> pick(0, 35);
  std::string out(length, '0');
  for (auto& c : out) c = kChars[pick(Generator())];
  return out;
}

}  // namespace sluice
