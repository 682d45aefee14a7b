#pragma once
// The RLE / bit-packing hybrid encoding of parquet-format Encodings.md, used for definition
// levels and dictionary indices.

#include <cstdint>
#include <span>
#include <string>

namespace sluice::formats::parquet {

// Bits needed to represent `max_value` (0 for 0).
int BitWidth(uint64_t max_value);

// Appends `values` (each < 2^bit_width, bit_width <= 32) as RLE runs (8 or more equal values) and
// bit-packed runs (groups of 8, LSB first). Only the final bit-packed group is padded with zeros,
// so a reader that knows the value count decodes exactly `values`. No length prefix.
void AppendRleHybrid(std::span<const uint32_t> values, int bit_width, std::string& out);

}  // namespace sluice::formats::parquet
