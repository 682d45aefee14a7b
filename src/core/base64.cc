#include "core/base64.h"

#include <array>
#include <cstdint>

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
  out.resize(original_size + Base64DecodedSize(text));
  auto* dest = reinterpret_cast<uint8_t*>(out.data() + original_size);
  const auto* src = reinterpret_cast<const uint8_t*>(text.data());
  const size_t full_quads = text.size() / 4 - 1;  // the last quad may carry padding
  // Validity is accumulated and checked once: the loop has no data-dependent branch.
  uint32_t seen = 0;
  for (size_t q = 0; q < full_quads; ++q, src += 4, dest += 3) {
    const uint32_t triple = DecodeQuad(src);
    seen |= triple;
    dest[0] = static_cast<uint8_t>(triple >> 16);
    dest[1] = static_cast<uint8_t>(triple >> 8);
    dest[2] = static_cast<uint8_t>(triple);
  }
  // The last quad: "xx==" yields 1 byte, "xxx=" 2; '=' elsewhere is rejected by the tables.
  const int padding = src[3] != '=' ? 0 : src[2] == '=' ? 2 : 1;
  const uint8_t last[4] = {src[0], src[1], padding == 2 ? uint8_t{'A'} : src[2],
                           padding >= 1 ? uint8_t{'A'} : src[3]};
  const uint32_t triple = DecodeQuad(last);
  seen |= triple;
  if (seen >= kBad) {
    out.resize(original_size);
    return false;
  }
  dest[0] = static_cast<uint8_t>(triple >> 16);
  if (padding < 2) dest[1] = static_cast<uint8_t>(triple >> 8);
  if (padding < 1) dest[2] = static_cast<uint8_t>(triple);
  return true;
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
