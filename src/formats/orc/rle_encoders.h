#pragma once
// ORC's run-length encodings (ORC specification v1, "Run Length Encoding"), appended to `out`.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace sluice::formats::orc {

// Byte RLE: runs of 3..130 equal bytes, or 1..128 literals.
void EncodeByteRle(std::span<const uint8_t> values, std::string& out);

// Boolean streams are these bytes (bits packed most significant first), byte RLE encoded.
std::vector<uint8_t> PackBooleans(std::span<const uint8_t> bits);

// Integer RLE v2. Runs of equal values use SHORT_REPEAT (3..10 values) or DELTA with a fixed
// delta (also for arithmetic progressions); everything else is DIRECT at the narrowest width
// that holds the run's largest value. Signed values are zigzag-encoded.
void EncodeIntRleV2(std::span<const int64_t> values, bool is_signed, std::string& out);

// Integer RLE v1 (format 0.11): runs of 3..130 values with a fixed delta in -128..127, or 1..128
// varint literals.
void EncodeIntRleV1(std::span<const int64_t> values, bool is_signed, std::string& out);

uint64_t ZigZag(int64_t value);

}  // namespace sluice::formats::orc
