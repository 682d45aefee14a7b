#include "core/base64.h"

#include <array>
#include <cstdint>

namespace sluice {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr uint8_t kInvalid = 0xFF;

constexpr std::array<uint8_t, 256> MakeDecodeTable() {
  std::array<uint8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (uint8_t i = 0; i < 64; ++i) table[static_cast<uint8_t>(kAlphabet[i])] = i;
  return table;
}
constexpr std::array<uint8_t, 256> kDecode = MakeDecodeTable();

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
  const size_t original_size = out.size();
  out.resize(original_size + Base64DecodedSize(text));
  char* dest = out.data() + original_size;
  const auto* src = reinterpret_cast<const uint8_t*>(text.data());
  const size_t quads = text.size() / 4;
  for (size_t q = 0; q < quads; ++q, src += 4) {
    const uint8_t a = kDecode[src[0]], b = kDecode[src[1]];
    uint8_t c = kDecode[src[2]], d = kDecode[src[3]];
    const bool last = q + 1 == quads;
    int produced = 3;
    if (last && src[3] == '=') {
      produced = src[2] == '=' ? 1 : 2;
      d = 0;
      if (produced == 1) c = 0;
    }
    if ((a | b | c | d) & 0xC0) {  // kInvalid or anything >= 64
      out.resize(original_size);
      return false;
    }
    const uint32_t triple = (uint32_t{a} << 18) | (uint32_t{b} << 12) | (uint32_t{c} << 6) | d;
    *dest++ = static_cast<char>(triple >> 16);
    if (produced > 1) *dest++ = static_cast<char>((triple >> 8) & 0xFF);
    if (produced > 2) *dest++ = static_cast<char>(triple & 0xFF);
  }
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
