#include "formats/parquet/rle.h"

#include <bit>
#include <vector>

#include "formats/parquet/thrift_compact.h"

namespace sluice::formats::parquet {
namespace {

constexpr size_t kMinRepeatRun = 8;

void AppendBitPacked(std::span<const uint32_t> values, int bit_width, std::string& out) {
  const size_t groups = (values.size() + 7) / 8;
  AppendUleb128((groups << 1) | 1, out);
  uint64_t buffer = 0;
  int buffered_bits = 0;
  for (size_t i = 0; i < groups * 8; ++i) {
    const uint64_t value = i < values.size() ? values[i] : 0;
    buffer |= value << buffered_bits;
    buffered_bits += bit_width;
    while (buffered_bits >= 8) {
      out.push_back(static_cast<char>(buffer & 0xFF));
      buffer >>= 8;
      buffered_bits -= 8;
    }
  }
  // groups * 8 * bit_width is a whole number of bytes, so nothing is left in `buffer`.
}

void AppendRepeated(uint32_t value, size_t count, int bit_width, std::string& out) {
  AppendUleb128(count << 1, out);
  for (int byte = 0; byte < (bit_width + 7) / 8; ++byte) {
    out.push_back(static_cast<char>((value >> (8 * byte)) & 0xFF));
  }
}

}  // namespace

int BitWidth(uint64_t max_value) { return static_cast<int>(std::bit_width(max_value)); }

void AppendRleHybrid(std::span<const uint32_t> values, int bit_width, std::string& out) {
  size_t packed_begin = 0;  // start of values not yet written, destined for a bit-packed run
  size_t i = 0;
  while (i < values.size()) {
    size_t run_end = i + 1;
    while (run_end < values.size() && values[run_end] == values[i]) ++run_end;
    size_t run_begin = i;
    // A bit-packed run before an RLE run must hold whole groups of 8: lend it the run's head.
    const size_t pending = run_begin - packed_begin;
    if (pending % 8 != 0) run_begin += 8 - pending % 8;
    if (run_end >= run_begin + kMinRepeatRun) {
      if (run_begin > packed_begin) {
        AppendBitPacked(values.subspan(packed_begin, run_begin - packed_begin), bit_width, out);
      }
      AppendRepeated(values[i], run_end - run_begin, bit_width, out);
      packed_begin = run_end;
    }
    i = run_end;
  }
  if (packed_begin < values.size()) {
    AppendBitPacked(values.subspan(packed_begin), bit_width, out);
  }
}

}  // namespace sluice::formats::parquet
