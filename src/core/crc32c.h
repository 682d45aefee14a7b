#pragma once
// CRC-32C (Castagnoli), as used by the write-ahead log's frames.

#include <cstdint>
#include <string_view>

namespace sluice {

// Extends `crc` (the value of an earlier call, or 0 to start) over `bytes`.
uint32_t Crc32cExtend(uint32_t crc, std::string_view bytes);
inline uint32_t Crc32c(std::string_view bytes) { return Crc32cExtend(0, bytes); }

}  // namespace sluice
