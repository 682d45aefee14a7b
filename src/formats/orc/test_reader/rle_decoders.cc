#include "formats/orc/test_reader/rle_decoders.h"

#include <string>

#include "formats/orc/test_reader/proto_reader.h"

namespace sluice::formats::orc::test_reader {
namespace {

std::unexpected<Error> Corrupt(const std::string& what) {
  return Fail(ErrorCode::kCorruption, "ORC RLE: " + what);
}

int64_t UnZigZag(uint64_t n) {
  return static_cast<int64_t>(n >> 1) ^ -static_cast<int64_t>(n & 1);
}

// Reads big-endian bit-packed values; each run starts on a byte boundary.
class BitReader {
 public:
  explicit BitReader(std::string_view& in) : in_(in) {}
  ~BitReader() = default;

  Result<uint64_t> Read(unsigned width) {
    uint64_t value = 0;
    while (width > 0) {
      if (bits_left_ == 0) {
        if (in_.empty()) return Corrupt("bit-packed run is truncated");
        current_ = static_cast<uint8_t>(in_.front());
        in_.remove_prefix(1);
        bits_left_ = 8;
      }
      const unsigned take = width < bits_left_ ? width : bits_left_;
      const unsigned shift = bits_left_ - take;
      value = (value << take) | ((current_ >> shift) & ((1u << take) - 1));
      bits_left_ -= take;
      width -= take;
    }
    return value;
  }

 private:
  std::string_view& in_;
  uint8_t current_ = 0;
  unsigned bits_left_ = 0;
};

Result<uint8_t> NextByte(std::string_view& in) {
  if (in.empty()) return Corrupt("stream ends inside a run header");
  const auto byte = static_cast<uint8_t>(in.front());
  in.remove_prefix(1);
  return byte;
}

// RLE v2's 5-bit width codes.
unsigned DecodeWidth(unsigned code) {
  static constexpr unsigned kWide[] = {26, 28, 30, 32, 40, 48, 56, 64};
  return code < 24 ? code + 1 : kWide[code - 24];
}

unsigned ClosestFixedBits(unsigned n) {
  if (n == 0) return 1;
  if (n <= 24) return n;
  for (unsigned width : {26u, 28u, 30u, 32u, 40u, 48u, 56u}) {
    if (n <= width) return width;
  }
  return 64;
}

class IntRleV2Decoder {
 public:
  IntRleV2Decoder(std::string_view data, bool is_signed) : in_(data), signed_(is_signed) {}

  bool done() const { return in_.empty(); }

  Status DecodeRun(std::vector<int64_t>& out) {
    auto header = NextByte(in_);
    if (!header) return std::unexpected(header.error());
    switch (*header >> 6) {
      case 0: return ShortRepeat(*header, out);
      case 1: return Direct(*header, out);
      case 2: return PatchedBase(*header, out);
      default: return Delta(*header, out);
    }
  }

 private:
  int64_t Sign(uint64_t v) const { return signed_ ? UnZigZag(v) : static_cast<int64_t>(v); }

  Result<unsigned> RunLength(uint8_t header) {
    auto low = NextByte(in_);
    if (!low) return std::unexpected(low.error());
    return (((header & 1u) << 8) | *low) + 1;
  }

  Status ShortRepeat(uint8_t header, std::vector<int64_t>& out) {
    const unsigned width = ((header >> 3) & 7) + 1;
    const unsigned count = (header & 7) + 3;
    uint64_t value = 0;
    for (unsigned i = 0; i < width; ++i) {
      auto byte = NextByte(in_);
      if (!byte) return std::unexpected(byte.error());
      value = (value << 8) | *byte;
    }
    out.insert(out.end(), count, Sign(value));
    return {};
  }

  Status Direct(uint8_t header, std::vector<int64_t>& out) {
    const unsigned width = DecodeWidth((header >> 1) & 0x1f);
    auto length = RunLength(header);
    if (!length) return std::unexpected(length.error());
    BitReader bits(in_);
    for (unsigned i = 0; i < *length; ++i) {
      auto value = bits.Read(width);
      if (!value) return std::unexpected(value.error());
      out.push_back(Sign(*value));
    }
    return {};
  }

  Status PatchedBase(uint8_t header, std::vector<int64_t>& out) {
    const unsigned width = DecodeWidth((header >> 1) & 0x1f);
    auto length = RunLength(header);
    auto third = NextByte(in_);
    auto fourth = NextByte(in_);
    if (!length || !third || !fourth) return Corrupt("patched base header is truncated");
    const unsigned base_bytes = ((*third >> 5) & 7) + 1;
    const unsigned patch_width = DecodeWidth(*third & 0x1f);
    const unsigned gap_width = ((*fourth >> 5) & 7) + 1;
    const unsigned patch_count = *fourth & 0x1f;
    if (gap_width + patch_width > 64) return Corrupt("patch gap and patch wider than 64 bits");
    uint64_t base_bits = 0;
    for (unsigned i = 0; i < base_bytes; ++i) {
      auto byte = NextByte(in_);
      if (!byte) return std::unexpected(byte.error());
      base_bits = (base_bits << 8) | *byte;
    }
    const uint64_t sign_bit = uint64_t{1} << (base_bytes * 8 - 1);
    const int64_t base = (base_bits & sign_bit) != 0 ? -static_cast<int64_t>(base_bits & ~sign_bit)
                                                     : static_cast<int64_t>(base_bits);
    std::vector<uint64_t> values(*length);
    {
      BitReader bits(in_);
      for (auto& value : values) {
        auto v = bits.Read(width);
        if (!v) return std::unexpected(v.error());
        value = *v;
      }
    }
    std::vector<uint64_t> patches(patch_count);
    {
      BitReader bits(in_);
      for (auto& patch : patches) {
        auto v = bits.Read(ClosestFixedBits(gap_width + patch_width));
        if (!v) return std::unexpected(v.error());
        patch = *v;
      }
    }
    const uint64_t patch_mask = patch_width == 64 ? ~uint64_t{0} : (uint64_t{1} << patch_width) - 1;
    uint64_t position = 0;
    for (uint64_t patch : patches) {
      position += patch >> patch_width;
      const uint64_t bits = patch & patch_mask;
      if (bits == 0) continue;  // a gap of 255 with no patch only moves the position
      if (position >= values.size()) return Corrupt("patch position past the end of the run");
      if (width < 64) values[position] |= bits << width;
    }
    for (uint64_t value : values) out.push_back(base + static_cast<int64_t>(value));
    return {};
  }

  Status Delta(uint8_t header, std::vector<int64_t>& out) {
    const unsigned code = (header >> 1) & 0x1f;
    const unsigned width = code == 0 ? 0 : DecodeWidth(code);
    auto length = RunLength(header);
    if (!length) return std::unexpected(length.error());
    auto first = ReadVarint(in_);
    if (!first) return std::unexpected(first.error());
    auto delta_base_bits = ReadVarint(in_);
    if (!delta_base_bits) return std::unexpected(delta_base_bits.error());
    const int64_t delta_base = UnZigZag(*delta_base_bits);
    // Wrapping arithmetic: unsigned streams may hold values above INT64_MAX.
    uint64_t value = static_cast<uint64_t>(Sign(*first));
    out.push_back(static_cast<int64_t>(value));
    if (*length == 1) return {};
    value += static_cast<uint64_t>(delta_base);
    out.push_back(static_cast<int64_t>(value));
    BitReader bits(in_);
    for (unsigned i = 2; i < *length; ++i) {
      if (width == 0) {
        value += static_cast<uint64_t>(delta_base);
      } else {
        auto delta = bits.Read(width);
        if (!delta) return std::unexpected(delta.error());
        value = delta_base < 0 ? value - *delta : value + *delta;
      }
      out.push_back(static_cast<int64_t>(value));
    }
    return {};
  }

  std::string_view in_;
  bool signed_;
};

Status DecodeIntRleV1Run(std::string_view& in, bool is_signed, std::vector<int64_t>& out) {
  auto header = NextByte(in);
  if (!header) return std::unexpected(header.error());
  const auto read_value = [&]() -> Result<int64_t> {
    auto v = ReadVarint(in);
    if (!v) return std::unexpected(v.error());
    return is_signed ? UnZigZag(*v) : static_cast<int64_t>(*v);
  };
  if (*header < 0x80) {
    auto delta = NextByte(in);
    if (!delta) return std::unexpected(delta.error());
    auto base = read_value();
    if (!base) return std::unexpected(base.error());
    uint64_t value = static_cast<uint64_t>(*base);
    for (unsigned i = 0; i < *header + 3u; ++i) {
      out.push_back(static_cast<int64_t>(value));
      value += static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(*delta)));
    }
    return {};
  }
  for (unsigned i = 0; i < 256u - *header; ++i) {
    auto value = read_value();
    if (!value) return std::unexpected(value.error());
    out.push_back(*value);
  }
  return {};
}

std::unexpected<Error> TooShort(uint64_t count, size_t got) {
  return Corrupt("stream holds " + std::to_string(got) + " values, " + std::to_string(count) +
                 " expected");
}

}  // namespace

Result<std::vector<uint8_t>> DecodeByteRle(std::string_view data, uint64_t count) {
  std::vector<uint8_t> out;
  while (out.size() < count) {
    if (data.empty()) return TooShort(count, out.size());
    const auto header = static_cast<uint8_t>(data.front());
    data.remove_prefix(1);
    if (header < 0x80) {
      auto value = NextByte(data);
      if (!value) return std::unexpected(value.error());
      out.insert(out.end(), header + 3u, *value);
    } else {
      const size_t literals = 256u - header;
      if (data.size() < literals) return Corrupt("byte literal run is truncated");
      out.insert(out.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(literals));
      data.remove_prefix(literals);
    }
  }
  out.resize(count);
  return out;
}

Result<std::vector<uint8_t>> DecodeBooleans(std::string_view data, uint64_t count) {
  auto bytes = DecodeByteRle(data, (count + 7) / 8);
  if (!bytes) return std::unexpected(bytes.error());
  std::vector<uint8_t> out(count);
  for (uint64_t i = 0; i < count; ++i) out[i] = ((*bytes)[i / 8] >> (7 - i % 8)) & 1;
  return out;
}

Result<std::vector<int64_t>> DecodeIntRle(std::string_view data, uint64_t count, bool is_signed,
                                          IntRle version) {
  std::vector<int64_t> out;
  if (version == IntRle::kV1) {
    while (out.size() < count) {
      if (data.empty()) return TooShort(count, out.size());
      if (auto status = DecodeIntRleV1Run(data, is_signed, out); !status) {
        return std::unexpected(status.error());
      }
    }
  } else {
    IntRleV2Decoder decoder(data, is_signed);
    while (out.size() < count) {
      if (decoder.done()) return TooShort(count, out.size());
      if (auto status = decoder.DecodeRun(out); !status) return std::unexpected(status.error());
    }
  }
  out.resize(count);
  return out;
}

}  // namespace sluice::formats::orc::test_reader
