#include "core/base64.h"

#include <array>
#include <cstdint>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace sluice {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// kDecodeShifted[k][c]: the 6 bits of character c placed where the k-th character of a quad
// lands in the 24-bit group, or kBad (above 24 bits) if c is not in the alphabet. OR-ing the four
// lookups of a quad gives its 3 bytes, and any invalid character shows up as a bit above 24.
constexpr uint32_t kBad = 1u << 24;

constexpr std::array<std::array<uint32_t, 256>, 4> MakeDecodeTables() {
  std::array<std::array<uint32_t, 256>, 4> tables{};
  for (int k = 0; k < 4; ++k) {
    for (auto& entry : tables[k]) entry = kBad;
    for (uint32_t i = 0; i < 64; ++i) {
      tables[k][static_cast<uint8_t>(kAlphabet[i])] = i << (6 * (3 - k));
    }
  }
  return tables;
}
constexpr auto kDecodeShifted = MakeDecodeTables();

uint32_t DecodeQuad(const uint8_t* src) {
  return kDecodeShifted[0][src[0]] | kDecodeShifted[1][src[1]] | kDecodeShifted[2][src[2]] |
         kDecodeShifted[3][src[3]];
}

// Decodes the quads at `src` one by one into `dest`; returns the OR of their lookups (>= kBad
// if any character was invalid).
uint32_t DecodeQuadsScalar(const uint8_t* src, size_t quads, uint8_t* dest) {
  uint32_t seen = 0;
  for (size_t q = 0; q < quads; ++q, src += 4, dest += 3) {
    const uint32_t triple = DecodeQuad(src);
    seen |= triple;
    dest[0] = static_cast<uint8_t>(triple >> 16);
    dest[1] = static_cast<uint8_t>(triple >> 8);
    dest[2] = static_cast<uint8_t>(triple);
  }
  return seen;
}

#if defined(__x86_64__)
// 0xFF in each byte of `c` with low <= byte <= high (as signed bytes: >= 0x80 never matches).
__attribute__((target("avx2"))) inline __m256i InRange(__m256i c, char low, char high) {
  return _mm256_and_si256(_mm256_cmpgt_epi8(c, _mm256_set1_epi8(static_cast<char>(low - 1))),
                          _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(high + 1)), c));
}

// 32 characters (8 quads) per step: classify each byte by range to get its 6-bit value, then
// pack 4 x 6 bits into 3 bytes with two multiply-adds and a byte shuffle. Same result as the
// scalar loop; returns kBad if any character is outside the alphabet.
__attribute__((target("avx2"))) uint32_t DecodeQuadsAvx2(const uint8_t* src, size_t quads,
                                                         uint8_t* dest) {
  const __m256i pack_pairs = _mm256_set1_epi32(0x01400140);  // a * 64 + b per 16 bits
  const __m256i pack_quads = _mm256_set1_epi32(0x00011000);  // ab * 4096 + cd per 32 bits
  // Per 128-bit lane: the three low bytes of each 32-bit group, most significant first.
  const __m256i order = _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,
                                         2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
  const __m256i join_lanes = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7);
  size_t q = 0;
  for (; q + 8 <= quads; q += 8, src += 32, dest += 24) {
    const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src));
    const __m256i upper = InRange(c, 'A', 'Z');
    const __m256i lower = InRange(c, 'a', 'z');
    const __m256i digit = InRange(c, '0', '9');
    const __m256i plus = _mm256_cmpeq_epi8(c, _mm256_set1_epi8('+'));
    const __m256i slash = _mm256_cmpeq_epi8(c, _mm256_set1_epi8('/'));
    const __m256i valid = _mm256_or_si256(_mm256_or_si256(upper, lower),
                                          _mm256_or_si256(digit, _mm256_or_si256(plus, slash)));
    if (_mm256_movemask_epi8(valid) != -1) return kBad;
    // The offset that maps each class onto 0..63 ('A' -> 0, 'a' -> 26, '0' -> 52, '+', '/').
    __m256i shift = _mm256_and_si256(upper, _mm256_set1_epi8(-'A'));
    shift = _mm256_or_si256(shift, _mm256_and_si256(lower, _mm256_set1_epi8(26 - 'a')));
    shift = _mm256_or_si256(shift, _mm256_and_si256(digit, _mm256_set1_epi8(52 - '0')));
    shift = _mm256_or_si256(shift, _mm256_and_si256(plus, _mm256_set1_epi8(62 - '+')));
    shift = _mm256_or_si256(shift, _mm256_and_si256(slash, _mm256_set1_epi8(63 - '/')));
    const __m256i values = _mm256_add_epi8(c, shift);
    const __m256i pairs = _mm256_maddubs_epi16(values, pack_pairs);
    const __m256i groups = _mm256_madd_epi16(pairs, pack_quads);
    const __m256i bytes =
        _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(groups, order), join_lanes);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dest), _mm256_castsi256_si128(bytes));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(dest + 16), _mm256_extracti128_si256(bytes, 1));
  }
  return DecodeQuadsScalar(src, quads - q, dest);
}

// kValues[c]: the 6-bit value of ASCII character c, or 0x80 if c is not in the alphabet.
constexpr std::array<uint8_t, 128> MakeValueTable() {
  std::array<uint8_t, 128> values{};
  for (auto& value : values) value = 0x80;
  for (uint8_t i = 0; i < 64; ++i) values[static_cast<uint8_t>(kAlphabet[i])] = i;
  return values;
}
alignas(64) constexpr auto kValues = MakeValueTable();

// 64 characters (16 quads) per step: one two-table byte permute looks up all 64 values (the
// permute reads a byte's low 7 bits; a byte with its top bit set is caught with the table's
// 0x80 marks by one sign test), the same two multiply-adds as the AVX2 step pack them, and a
// byte permute gathers the 48 output bytes. The rest goes to the AVX2 step.
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) uint32_t DecodeQuadsVbmi(const uint8_t* src, size_t quads,
                                                                                uint8_t* dest) {
  const __m512i values_low = _mm512_load_si512(kValues.data());
  const __m512i values_high = _mm512_load_si512(kValues.data() + 64);
  const __m512i pack_pairs = _mm512_set1_epi32(0x01400140);
  const __m512i pack_quads = _mm512_set1_epi32(0x00011000);
  alignas(64) static constexpr auto kOrder = [] {
    std::array<uint8_t, 64> order{};
    for (uint8_t g = 0; g < 16; ++g) {
      for (uint8_t k = 0; k < 3; ++k) order[3 * g + k] = static_cast<uint8_t>(4 * g + 2 - k);
    }
    return order;
  }();
  const __m512i order = _mm512_load_si512(kOrder.data());
  constexpr __mmask64 kOutputBytes = (__mmask64{1} << 48) - 1;
  size_t q = 0;
  for (; q + 16 <= quads; q += 16, src += 64, dest += 48) {
    const __m512i c = _mm512_loadu_si512(src);
    const __m512i values = _mm512_permutex2var_epi8(values_low, c, values_high);
    if (_mm512_movepi8_mask(_mm512_or_si512(values, c)) != 0) return kBad;
    const __m512i pairs = _mm512_maddubs_epi16(values, pack_pairs);
    const __m512i groups = _mm512_madd_epi16(pairs, pack_quads);
    // The zero-masking form: GCC 12's unmasked one trips -Wmaybe-uninitialized in its header.
    _mm512_mask_storeu_epi8(dest, kOutputBytes, _mm512_maskz_permutexvar_epi8(kOutputBytes, order, groups));
  }
  return DecodeQuadsAvx2(src, quads - q, dest);
}

using QuadDecoder = uint32_t (*)(const uint8_t* src, size_t quads, uint8_t* dest);

QuadDecoder FastestDecoder() {
  if (__builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512bw")) return DecodeQuadsVbmi;
  if (__builtin_cpu_supports("avx2")) return DecodeQuadsAvx2;
  return DecodeQuadsScalar;
}

uint32_t DecodeQuads(const uint8_t* src, size_t quads, uint8_t* dest) {
  static const QuadDecoder decode = FastestDecoder();
  return decode(src, quads, dest);
}
#else
uint32_t DecodeQuads(const uint8_t* src, size_t quads, uint8_t* dest) {
  return DecodeQuadsScalar(src, quads, dest);
}
#endif

}  // namespace

size_t Base64DecodedSize(std::string_view text) {
  if (text.empty()) return 0;
  size_t padding = 0;
  if (text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  return text.size() / 4 * 3 - padding;
}

bool Base64DecodeAppend(std::string_view text, std::string& out) {
  if (text.size() % 4 != 0) return false;
  if (text.empty()) return true;
  const size_t original_size = out.size();
  bool valid = false;
  // Every byte of the grown part is written before the lambda returns (or dropped on failure),
  // so the string is never zero-filled first.
  const size_t decoded_size = original_size + Base64DecodedSize(text);
  // The lambda returns the size explicitly: libstdc++ 12 passes the grown capacity, not the
  // requested size, as its second argument.
  out.resize_and_overwrite(decoded_size, [&](char* data, size_t) {
    auto* dest = reinterpret_cast<uint8_t*>(data + original_size);
    const auto* src = reinterpret_cast<const uint8_t*>(text.data());
    const size_t full_quads = text.size() / 4 - 1;  // the last quad may carry padding
    uint32_t seen = DecodeQuads(src, full_quads, dest);
    src += 4 * full_quads;
    dest += 3 * full_quads;
    // The last quad: "xx==" yields 1 byte, "xxx=" 2; '=' elsewhere is rejected by the tables.
    const int padding = src[3] != '=' ? 0 : src[2] == '=' ? 2 : 1;
    const uint8_t last[4] = {src[0], src[1], padding == 2 ? uint8_t{'A'} : src[2],
                             padding >= 1 ? uint8_t{'A'} : src[3]};
    const uint32_t triple = DecodeQuad(last);
    seen |= triple;
    if (seen >= kBad) return original_size;
    dest[0] = static_cast<uint8_t>(triple >> 16);
    if (padding < 2) dest[1] = static_cast<uint8_t>(triple >> 8);
    if (padding < 1) dest[2] = static_cast<uint8_t>(triple);
    valid = true;
    return decoded_size;
  });
  return valid;
}

void Base64EncodeAppend(std::string_view bytes, std::string& out) {
  const auto* src = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  out.reserve(out.size() + (n + 2) / 3 * 4);
  for (; i + 3 <= n; i += 3) {
    const uint32_t triple = (uint32_t{src[i]} << 16) | (uint32_t{src[i + 1]} << 8) | src[i + 2];
    out += kAlphabet[triple >> 18];
    out += kAlphabet[(triple >> 12) & 63];
    out += kAlphabet[(triple >> 6) & 63];
    out += kAlphabet[triple & 63];
  }
  if (i < n) {
    uint32_t triple = uint32_t{src[i]} << 16;
    if (i + 1 < n) triple |= uint32_t{src[i + 1]} << 8;
    out += kAlphabet[triple >> 18];
    out += kAlphabet[(triple >> 12) & 63];
    out += i + 1 < n ? kAlphabet[(triple >> 6) & 63] : '=';
    out += '=';
  }
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  Base64EncodeAppend(bytes, out);
  return out;
}

}  // namespace sluice
