#pragma once
// The little binary fields of what streams write into their logs (seal descriptors, partition
// records): u16 little-endian length-prefixed strings and 64-bit little-endian integers.
// Take* consume from the front of `in` and return false when it is too short.

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::streams {

// Fields are at most 65,535 bytes; longer ones are cut (callers keep them shorter).
inline void AppendField(std::string& out, std::string_view field) {
  const auto size = static_cast<uint16_t>(field.size());
  out += static_cast<char>(size & 0xFF);
  out += static_cast<char>(size >> 8);
  out.append(field.substr(0, size));
}

inline bool TakeField(std::string_view& in, std::string_view& field) {
  if (in.size() < 2) return false;
  const size_t size = static_cast<uint8_t>(in[0]) | (static_cast<uint8_t>(in[1]) << 8);
  if (in.size() - 2 < size) return false;
  field = in.substr(2, size);
  in.remove_prefix(2 + size);
  return true;
}

inline void AppendU64(std::string& out, uint64_t value) {
  for (int shift = 0; shift < 64; shift += 8) out += static_cast<char>((value >> shift) & 0xFF);
}

inline bool TakeU64(std::string_view& in, uint64_t& value) {
  if (in.size() < 8) return false;
  value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(in[i]);
  in.remove_prefix(8);
  return true;
}

}  // namespace sluice::streams
