#include "formats/parquet/rle.h"

#include <bit>

#include "formats/parquet/thrift_compact.h"

namespace sluice::formats::parquet {
namespace {

constexpr size_t kMinRepeatRun = 8;

}  // namespace

int BitWidth(uint64_t max_value) { return static_cast<int>(std::bit_width(max_value)); }

void RleHybridEncoder::Add(uint32_t value) {
  if (run_length_ > 0 && value == run_value_) {
    ++run_length_;
    return;
  }
  EndRun();
  run_value_ = value;
  run_length_ = 1;
}

void RleHybridEncoder::Finish(std::string& out) {
  EndRun();
  EndPacked();
  out.append(encoded_);
  encoded_.clear();
}

// A run of equal values becomes an RLE run if 8 or more of it are left once it has lent its head
// to the bit-packed run before it, which must hold whole groups of 8; else it joins that run.
void RleHybridEncoder::EndRun() {
  if (run_length_ == 0) return;
  const size_t lent = (8 - packed_values_ % 8) % 8;
  if (run_length_ >= lent + kMinRepeatRun) {
    Pack(run_value_, lent);
    EndPacked();
    AppendUleb128((run_length_ - lent) << 1, encoded_);
    for (int byte = 0; byte < (bit_width_ + 7) / 8; ++byte) {
      encoded_.push_back(static_cast<char>((run_value_ >> (8 * byte)) & 0xFF));
    }
  } else {
    Pack(run_value_, run_length_);
  }
  run_length_ = 0;
}

void RleHybridEncoder::Pack(uint32_t value, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    bits_ |= uint64_t{value} << bit_count_;
    bit_count_ += bit_width_;
    while (bit_count_ >= 8) {
      packed_.push_back(static_cast<char>(bits_ & 0xFF));
      bits_ >>= 8;
      bit_count_ -= 8;
    }
  }
  packed_values_ += count;
}

void RleHybridEncoder::EndPacked() {
  if (packed_values_ == 0) return;
  Pack(0, (8 - packed_values_ % 8) % 8);
  // groups * 8 * bit_width is a whole number of bytes, so nothing is left in `bits_`.
  AppendUleb128((packed_values_ / 8 << 1) | 1, encoded_);
  encoded_.append(packed_);
  packed_.clear();
  packed_values_ = 0;
}

void AppendRleHybrid(std::span<const uint32_t> values, int bit_width, std::string& out) {
  RleHybridEncoder encoder(bit_width);
  for (const uint32_t value : values) encoder.Add(value);
  encoder.Finish(out);
}

}  // namespace sluice::formats::parquet
