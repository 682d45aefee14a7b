#pragma once
// Test-only: ORC's run-length encodings, decoded from a whole (decompressed) stream.
// Each function decodes exactly `count` values and fails cleanly if the stream ends first.

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sluice::formats::orc::test_reader {

enum class IntRle { kV1, kV2 };

// Byte run-length encoding (byte, tinyint, union tags).
Result<std::vector<uint8_t>> DecodeByteRle(std::string_view data, uint64_t count);

// Boolean streams (PRESENT, boolean DATA): byte RLE over bits, most significant bit first.
Result<std::vector<uint8_t>> DecodeBooleans(std::string_view data, uint64_t count);

// Integer RLE v1 or v2. Unsigned values above INT64_MAX come back as their two's complement.
Result<std::vector<int64_t>> DecodeIntRle(std::string_view data, uint64_t count, bool is_signed,
                                          IntRle version);

}  // namespace sluice::formats::orc::test_reader
