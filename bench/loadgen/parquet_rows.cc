#include "loadgen/parquet_rows.h"

#include <cstddef>

namespace sluice::bench {
namespace {

constexpr std::string_view kMagic = "PAR1";
constexpr int kMaxDepth = 32;
constexpr int16_t kNumRowsField = 3;  // parquet.thrift FileMetaData.num_rows (i64)

// Compact-protocol type codes (thrift-compact-protocol.md).
enum Type : uint8_t { kTrue = 1, kFalse = 2, kByte = 3, kI16 = 4, kI32 = 5, kI64 = 6, kDouble = 7,
                      kBinary = 8, kList = 9, kSet = 10, kMap = 11, kStruct = 12 };

class CompactReader {
 public:
  explicit CompactReader(std::string_view in) : in_(in) {}

  bool Varint(uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 64 && at_ < in_.size(); shift += 7) {
      const auto byte = static_cast<uint8_t>(in_[at_++]);
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }

  bool Byte(uint8_t& value) {
    if (at_ >= in_.size()) return false;
    value = static_cast<uint8_t>(in_[at_++]);
    return true;
  }

  bool Bytes(uint64_t count) {
    if (count > in_.size() - at_) return false;
    at_ += count;
    return true;
  }

  // Next field header of the current struct; false at its stop byte or on bad input (`ok`).
  bool Field(int16_t& id, uint8_t& type, bool& ok) {
    uint8_t header = 0;
    ok = Byte(header);
    if (!ok || header == 0) return false;
    type = header & 0x0f;
    if ((header >> 4) != 0) {
      id = static_cast<int16_t>(id + (header >> 4));
    } else {
      uint64_t zigzag = 0;
      ok = Varint(zigzag);
      id = static_cast<int16_t>((zigzag >> 1) ^ (~(zigzag & 1) + 1));
    }
    return ok;
  }

  // Skips one value; booleans take a byte only as list elements (`in_list`).
  bool Skip(uint8_t type, bool in_list, int depth) {
    if (depth > kMaxDepth) return false;
    uint64_t n = 0;
    switch (type) {
      case kTrue:
      case kFalse: return !in_list || Bytes(1);
      case kByte: return Bytes(1);
      case kI16:
      case kI32:
      case kI64: return Varint(n);
      case kDouble: return Bytes(8);
      case kBinary: return Varint(n) && Bytes(n);
      case kList:
      case kSet: {
        uint8_t header = 0;
        if (!Byte(header)) return false;
        n = header >> 4;
        if (n == 15 && !Varint(n)) return false;
        for (uint64_t i = 0; i < n; ++i) {
          if (!Skip(header & 0x0f, true, depth + 1)) return false;
        }
        return true;
      }
      case kMap: {
        uint8_t types = 0;
        if (!Varint(n) || (n > 0 && !Byte(types))) return false;
        for (uint64_t i = 0; i < n; ++i) {
          if (!Skip(types >> 4, true, depth + 1) || !Skip(types & 0x0f, true, depth + 1)) return false;
        }
        return true;
      }
      case kStruct: {
        int16_t id = 0;
        uint8_t field_type = 0;
        bool ok = true;
        while (Field(id, field_type, ok)) {
          if (!Skip(field_type, false, depth + 1)) return false;
        }
        return ok;
      }
      default: return false;
    }
  }

 private:
  std::string_view in_;
  size_t at_ = 0;
};

}  // namespace

std::optional<uint64_t> ParquetRowCount(std::string_view file) {
  if (file.size() < 2 * kMagic.size() + 4 || !file.starts_with(kMagic) || !file.ends_with(kMagic)) {
    return std::nullopt;
  }
  const auto* size_bytes = reinterpret_cast<const unsigned char*>(file.data() + file.size() - 8);
  const uint64_t footer_size = size_bytes[0] | size_bytes[1] << 8 | size_bytes[2] << 16 |
                               static_cast<uint64_t>(size_bytes[3]) << 24;  // little-endian
  if (footer_size > file.size() - 12) return std::nullopt;
  CompactReader reader(file.substr(file.size() - 8 - footer_size, footer_size));
  int16_t id = 0;
  uint8_t type = 0;
  bool ok = true;
  while (reader.Field(id, type, ok)) {
    if (id == kNumRowsField && type == kI64) {
      uint64_t zigzag = 0;
      if (!reader.Varint(zigzag)) return std::nullopt;
      const auto rows = static_cast<int64_t>((zigzag >> 1) ^ (~(zigzag & 1) + 1));
      if (rows < 0) return std::nullopt;
      return static_cast<uint64_t>(rows);
    }
    if (!reader.Skip(type, false, 0)) return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace sluice::bench
