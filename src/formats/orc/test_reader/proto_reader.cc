#include "formats/orc/test_reader/proto_reader.h"

#include <cstring>
#include <string>

namespace sluice::formats::orc::test_reader {
namespace {

std::unexpected<Error> Corrupt(const std::string& what) {
  return Fail(ErrorCode::kCorruption, "ORC protobuf: " + what);
}

Result<uint64_t> ReadFixed(std::string_view& in, size_t width) {
  if (in.size() < width) return Corrupt("truncated fixed-width field");
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) value |= uint64_t{static_cast<uint8_t>(in[i])} << (8 * i);
  in.remove_prefix(width);
  return value;
}

}  // namespace

Result<uint64_t> ReadVarint(std::string_view& in) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) return Corrupt("truncated varint");
    const auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    value |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0) return value;
  }
  return Corrupt("varint longer than 10 bytes");
}

Result<bool> ProtoReader::Next() {
  if (rest_.empty()) return false;
  auto key = ReadVarint(rest_);
  if (!key) return std::unexpected(key.error());
  field_ = static_cast<uint32_t>(*key >> 3);
  wire_type_ = static_cast<uint32_t>(*key & 7);
  Result<uint64_t> value;
  switch (wire_type_) {
    case 0: value = ReadVarint(rest_); break;
    case 1: value = ReadFixed(rest_, 8); break;
    case 5: value = ReadFixed(rest_, 4); break;
    case 2: {
      auto length = ReadVarint(rest_);
      if (!length) return std::unexpected(length.error());
      if (*length > rest_.size()) {
        return Corrupt("field " + std::to_string(field_) + " is longer than its message");
      }
      bytes_ = rest_.substr(0, *length);
      rest_.remove_prefix(*length);
      return true;
    }
    default:
      return Corrupt("unsupported wire type " + std::to_string(wire_type_) + " in field " +
                     std::to_string(field_));
  }
  if (!value) return std::unexpected(value.error());
  number_ = *value;
  return true;
}

Status ProtoReader::AppendVarints(std::vector<uint64_t>& out) const {
  if (!is_length_delimited()) {
    out.push_back(number_);
    return {};
  }
  std::string_view packed = bytes_;
  while (!packed.empty()) {
    auto value = ReadVarint(packed);
    if (!value) return std::unexpected(value.error());
    out.push_back(*value);
  }
  return {};
}

}  // namespace sluice::formats::orc::test_reader
