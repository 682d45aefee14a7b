#include "core/crc32c.h"

#include <array>
#include <cstring>
#include <string>

#if defined(__x86_64__)
#include <cpuid.h>
#include <nmmintrin.h>
#endif

namespace sluice {
namespace {

constexpr uint32_t kPolynomial = 0x82F63B78;  // reflected Castagnoli polynomial

// Slicing-by-8 tables: table[k][b] is the CRC of byte b followed by k zero bytes.
constexpr std::array<std::array<uint32_t, 256>, 8> MakeTables() {
  std::array<std::array<uint32_t, 256>, 8> t{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t crc = b;
    for (int i = 0; i < 8; ++i) crc = (crc >> 1) ^ ((crc & 1) ? kPolynomial : 0);
    t[0][b] = crc;
  }
  for (uint32_t b = 0; b < 256; ++b) {
    for (int k = 1; k < 8; ++k) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFF];
  }
  return t;
}
constexpr auto kTables = MakeTables();

uint32_t ExtendPortable(uint32_t crc, const unsigned char* p, size_t n) {
  while (n >= 8) {
    uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + 4, 4);
    lo ^= crc;
    crc = kTables[7][lo & 0xFF] ^ kTables[6][(lo >> 8) & 0xFF] ^ kTables[5][(lo >> 16) & 0xFF] ^
          kTables[4][lo >> 24] ^ kTables[3][hi & 0xFF] ^ kTables[2][(hi >> 8) & 0xFF] ^
          kTables[1][(hi >> 16) & 0xFF] ^ kTables[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) crc = (crc >> 8) ^ kTables[0][(crc ^ *p++) & 0xFF];
  return crc;
}

#if defined(__x86_64__)
uint64_t Load64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

__attribute__((target("sse4.2"))) uint32_t ExtendSerial(uint64_t c, const unsigned char* p, size_t n) {
  for (; n >= 8; p += 8, n -= 8) c = _mm_crc32_u64(c, Load64(p));
  auto c32 = static_cast<uint32_t>(c);
  while (n-- > 0) c32 = _mm_crc32_u8(c32, *p++);
  return c32;
}

// Shift(c): the CRC register `c` after `n` more zero bytes. Linear in c, so one table per byte
// of c, each entry the shift of that byte's value in its place.
class ZeroShift {
 public:
  explicit ZeroShift(size_t n) {
    uint32_t basis[32];
    const std::string zeros(n, '\0');
    for (int bit = 0; bit < 32; ++bit) {
      basis[bit] = ExtendSerial(uint32_t{1} << bit, reinterpret_cast<const unsigned char*>(zeros.data()), n);
    }
    for (int k = 0; k < 4; ++k) {
      for (uint32_t v = 0; v < 256; ++v) {
        uint32_t shifted = 0;
        for (int i = 0; i < 8; ++i) {
          if (v & (1u << i)) shifted ^= basis[8 * k + i];
        }
        table_[k][v] = shifted;
      }
    }
  }
  uint32_t operator()(uint32_t c) const {
    return table_[0][c & 0xFF] ^ table_[1][(c >> 8) & 0xFF] ^ table_[2][(c >> 16) & 0xFF] ^ table_[3][c >> 24];
  }

 private:
  uint32_t table_[4][256];
};

// Whole rounds of three adjacent blocks of kBlock bytes. The crc32 instruction takes three
// cycles but can start every cycle, so one stream of them leaves it idle two cycles in three:
// each block gets its own register (the second and third from 0), and the three are joined as
// crc(A B C) = Shift2(crc A) ^ Shift1(crc B) ^ crc C, Shift1/Shift2 moving past kBlock/2 kBlock zeros.
template <size_t kBlock>
__attribute__((target("sse4.2"))) uint64_t ExtendThreeWay(uint64_t c, const unsigned char*& p, size_t& n) {
  static const ZeroShift shift1(kBlock);
  static const ZeroShift shift2(2 * kBlock);
  for (; n >= 3 * kBlock; p += 3 * kBlock, n -= 3 * kBlock) {
    uint64_t a = c, b = 0, d = 0;
    for (size_t i = 0; i < kBlock; i += 8) {
      a = _mm_crc32_u64(a, Load64(p + i));
      b = _mm_crc32_u64(b, Load64(p + kBlock + i));
      d = _mm_crc32_u64(d, Load64(p + 2 * kBlock + i));
    }
    c = shift2(static_cast<uint32_t>(a)) ^ shift1(static_cast<uint32_t>(b)) ^ static_cast<uint32_t>(d);
  }
  return c;
}

uint32_t ExtendHardware(uint32_t crc, const unsigned char* p, size_t n) {
  uint64_t c = crc;
  if (n >= 3 * 128) {  // shorter, the join would cost more than it saves
    c = ExtendThreeWay<1024>(c, p, n);
    c = ExtendThreeWay<128>(c, p, n);
  }
  return ExtendSerial(c, p, n);
}

bool HasSse42() {
  unsigned eax, ebx, ecx, edx;
  return __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_SSE4_2);
}
#endif

}  // namespace

uint32_t Crc32cExtend(uint32_t crc, std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  crc = ~crc;
#if defined(__x86_64__)
  static const bool hardware = HasSse42();
  crc = hardware ? ExtendHardware(crc, p, bytes.size()) : ExtendPortable(crc, p, bytes.size());
#else
  crc = ExtendPortable(crc, p, bytes.size());
#endif
  return ~crc;
}

}  // namespace sluice
