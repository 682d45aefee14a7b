#pragma once
// The RLE / bit-packing hybrid encoding of parquet-format Encodings.md, used for definition
// levels and dictionary indices.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace sluice::formats::parquet {

// Bits needed to represent `max_value` (0 for 0).
int BitWidth(uint64_t max_value);

// Encodes values (each < 2^bit_width, bit_width <= 32) as they are added: RLE runs (8 or more
// equal values) and bit-packed runs (groups of 8, LSB first). Only the final bit-packed group is
// padded with zeros, so a reader that knows the value count decodes exactly the values added.
// No length prefix. A bit-packed run is held packed until it ends (its header counts it), so
// the encoder holds about bit_width / 8 bytes per value of the current run, not the values.
class RleHybridEncoder {
 public:
  explicit RleHybridEncoder(int bit_width) : bit_width_(bit_width) {}

  void Add(uint32_t value);
  // Appends the encoding of every value added since the last Finish to `out`, and starts over.
  void Finish(std::string& out);
  // Bytes held for the values added since the last Finish.
  size_t held_bytes() const { return encoded_.size() + packed_.size(); }

 private:
  void EndRun();
  void Pack(uint32_t value, size_t count);
  void EndPacked();

  int bit_width_;
  uint32_t run_value_ = 0;  // the latest run of equal values, not yet assigned to either kind
  size_t run_length_ = 0;
  std::string packed_;      // whole bytes of the bit-packed run so far
  uint64_t bits_ = 0;       // and its bits not yet a whole byte
  int bit_count_ = 0;
  size_t packed_values_ = 0;
  std::string encoded_;     // runs finished before the current ones
};

// The encoding of `values` (RleHybridEncoder), appended to `out`.
void AppendRleHybrid(std::span<const uint32_t> values, int bit_width, std::string& out);

}  // namespace sluice::formats::parquet
