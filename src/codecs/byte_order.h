#pragma once
// Fixed-width integer stores for the container formats the codecs write (ZIP and Snappy framing
// are little-endian, Hadoop's block framing is big-endian). `at` must have room for the width.

#include <cstdint>

namespace sluice::codecs {

inline void StoreLe16(char* at, uint16_t v) {
  at[0] = static_cast<char>(v);
  at[1] = static_cast<char>(v >> 8);
}

inline void StoreLe24(char* at, uint32_t v) {
  StoreLe16(at, static_cast<uint16_t>(v));
  at[2] = static_cast<char>(v >> 16);
}

inline void StoreLe32(char* at, uint32_t v) {
  StoreLe16(at, static_cast<uint16_t>(v));
  StoreLe16(at + 2, static_cast<uint16_t>(v >> 16));
}

inline void StoreBe32(char* at, uint32_t v) {
  at[0] = static_cast<char>(v >> 24);
  at[1] = static_cast<char>(v >> 16);
  at[2] = static_cast<char>(v >> 8);
  at[3] = static_cast<char>(v);
}

}  // namespace sluice::codecs
