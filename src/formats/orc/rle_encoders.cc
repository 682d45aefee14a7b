#include "formats/orc/rle_encoders.h"

#include <algorithm>
#include <bit>
#include <vector>

#include "formats/orc/protobuf_writer.h"

namespace sluice::formats::orc {
namespace {

constexpr size_t kMaxRunV2 = 512;
constexpr size_t kMinRepeat = 3;
constexpr size_t kMaxShortRepeat = 10;

// RLE v2 bit widths and their 5-bit codes.
unsigned WidthCode(unsigned bits) {
  if (bits <= 24) return bits == 0 ? 0 : bits - 1;
  static constexpr unsigned kWide[] = {26, 28, 30, 32, 40, 48, 56, 64};
  for (unsigned i = 0; i < 8; ++i) {
    if (bits <= kWide[i]) return 24 + i;
  }
  return 31;
}

unsigned CodeWidth(unsigned code) {
  static constexpr unsigned kWide[] = {26, 28, 30, 32, 40, 48, 56, 64};
  return code < 24 ? code + 1 : kWide[code - 24];
}

// Appends `values` bit-packed big-endian, `width` bits each, padded to a whole byte.
void PackBits(std::span<const uint64_t> values, unsigned width, std::string& out) {
  uint64_t buffer = 0;  // pending bits, at most 7 plus one value's
  unsigned pending = 0;
  for (uint64_t value : values) {
    for (unsigned left = width; left > 0;) {
      const unsigned take = std::min(left, 8u);
      left -= take;
      buffer = (buffer << take) | ((value >> left) & ((1u << take) - 1));
      pending += take;
      if (pending >= 8) {
        pending -= 8;
        out.push_back(static_cast<char>(buffer >> pending));
        buffer &= (uint64_t{1} << pending) - 1;
      }
    }
  }
  if (pending > 0) out.push_back(static_cast<char>(buffer << (8 - pending)));
}

// Length of the run of equal values starting at `start` (at most `limit`).
size_t RepeatLength(std::span<const int64_t> values, size_t start, size_t limit) {
  size_t n = 1;
  while (start + n < values.size() && n < limit && values[start + n] == values[start]) ++n;
  return n;
}

// Length of the arithmetic progression starting at `start` (at most `limit`), 1 or 2 if none.
size_t ProgressionLength(std::span<const int64_t> values, size_t start, size_t limit) {
  if (start + 1 >= values.size()) return 1;
  const uint64_t delta = static_cast<uint64_t>(values[start + 1]) - static_cast<uint64_t>(values[start]);
  size_t n = 2;
  while (start + n < values.size() && n < limit &&
         static_cast<uint64_t>(values[start + n]) - static_cast<uint64_t>(values[start + n - 1]) == delta) {
    ++n;
  }
  return n;
}

void WriteDeltaRun(std::span<const int64_t> values, size_t start, size_t length, bool is_signed,
                   std::string& out) {
  const size_t encoded_length = length - 1;
  out.push_back(static_cast<char>(0xc0 | ((encoded_length >> 8) & 1)));  // width code 0: fixed
  out.push_back(static_cast<char>(encoded_length & 0xff));
  const int64_t first = values[start];
  AppendVarint(out, is_signed ? ZigZag(first) : static_cast<uint64_t>(first));
  const auto delta = static_cast<int64_t>(static_cast<uint64_t>(values[start + 1]) -
                                          static_cast<uint64_t>(first));
  AppendVarint(out, ZigZag(delta));
}

void WriteShortRepeat(uint64_t value, size_t count, std::string& out) {
  const unsigned bytes = std::max(1u, (static_cast<unsigned>(std::bit_width(value)) + 7) / 8);
  out.push_back(static_cast<char>(((bytes - 1) << 3) | (count - kMinRepeat)));
  for (unsigned i = bytes; i > 0; --i) out.push_back(static_cast<char>(value >> (8 * (i - 1))));
}

void WriteDirect(std::span<const int64_t> values, bool is_signed, std::string& out) {
  std::vector<uint64_t> encoded(values.size());
  uint64_t widest = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    encoded[i] = is_signed ? ZigZag(values[i]) : static_cast<uint64_t>(values[i]);
    widest |= encoded[i];
  }
  const unsigned code = WidthCode(std::max(1u, static_cast<unsigned>(std::bit_width(widest))));
  const size_t encoded_length = values.size() - 1;
  out.push_back(static_cast<char>(0x40 | (code << 1) | ((encoded_length >> 8) & 1)));
  out.push_back(static_cast<char>(encoded_length & 0xff));
  PackBits(encoded, CodeWidth(code), out);
}

}  // namespace

uint64_t ZigZag(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}

void EncodeByteRle(std::span<const uint8_t> values, std::string& out) {
  size_t i = 0;
  size_t literal_start = 0;
  const auto flush_literals = [&](size_t end) {
    while (literal_start < end) {
      const size_t n = std::min<size_t>(128, end - literal_start);
      out.push_back(static_cast<char>(256 - n));
      out.append(reinterpret_cast<const char*>(values.data() + literal_start), n);
      literal_start += n;
    }
  };
  while (i < values.size()) {
    size_t run = 1;
    while (i + run < values.size() && run < 130 && values[i + run] == values[i]) ++run;
    if (run >= kMinRepeat) {
      flush_literals(i);
      out.push_back(static_cast<char>(run - kMinRepeat));
      out.push_back(static_cast<char>(values[i]));
      i += run;
      literal_start = i;
    } else {
      i += run;
    }
  }
  flush_literals(values.size());
}

std::vector<uint8_t> PackBooleans(std::span<const uint8_t> bits) {
  std::vector<uint8_t> bytes((bits.size() + 7) / 8, 0);
  for (size_t i = 0; i < bits.size(); ++i) {
    if (bits[i] != 0) bytes[i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
  }
  return bytes;
}

void EncodeIntRleV2(std::span<const int64_t> values, bool is_signed, std::string& out) {
  size_t i = 0;
  size_t literal_start = 0;
  const auto flush_literals = [&](size_t end) {
    while (literal_start < end) {
      const size_t n = std::min(kMaxRunV2, end - literal_start);
      WriteDirect(values.subspan(literal_start, n), is_signed, out);
      literal_start += n;
    }
  };
  while (i < values.size()) {
    const size_t repeat = RepeatLength(values, i, kMaxRunV2);
    if (repeat >= kMinRepeat && repeat <= kMaxShortRepeat) {
      flush_literals(i);
      WriteShortRepeat(is_signed ? ZigZag(values[i]) : static_cast<uint64_t>(values[i]), repeat,
                       out);
      i += repeat;
      literal_start = i;
      continue;
    }
    const size_t progression = ProgressionLength(values, i, kMaxRunV2);
    if (progression >= kMinRepeat) {
      flush_literals(i);
      WriteDeltaRun(values, i, progression, is_signed, out);
      i += progression;
      literal_start = i;
      continue;
    }
    ++i;
  }
  flush_literals(values.size());
}

void EncodeIntRleV1(std::span<const int64_t> values, bool is_signed, std::string& out) {
  const auto varint = [&](int64_t v) {
    AppendVarint(out, is_signed ? ZigZag(v) : static_cast<uint64_t>(v));
  };
  size_t i = 0;
  size_t literal_start = 0;
  const auto flush_literals = [&](size_t end) {
    while (literal_start < end) {
      const size_t n = std::min<size_t>(128, end - literal_start);
      out.push_back(static_cast<char>(256 - n));
      for (size_t k = 0; k < n; ++k) varint(values[literal_start + k]);
      literal_start += n;
    }
  };
  while (i < values.size()) {
    const size_t run = ProgressionLength(values, i, 130);
    const auto delta = run >= 2 ? static_cast<int64_t>(static_cast<uint64_t>(values[i + 1]) -
                                                       static_cast<uint64_t>(values[i]))
                                : 0;
    if (run >= kMinRepeat && delta >= -128 && delta <= 127) {
      flush_literals(i);
      out.push_back(static_cast<char>(run - kMinRepeat));
      out.push_back(static_cast<char>(static_cast<int8_t>(delta)));
      varint(values[i]);
      i += run;
      literal_start = i;
    } else {
      ++i;
    }
  }
  flush_literals(values.size());
}

}  // namespace sluice::formats::orc
