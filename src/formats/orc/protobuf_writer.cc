#include "formats/orc/protobuf_writer.h"

#include <bit>

namespace sluice::formats::orc {

void AppendVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void ProtobufWriter::Key(uint32_t field, uint32_t wire_type) {
  AppendVarint(out_, (uint64_t{field} << 3) | wire_type);
}

void ProtobufWriter::Varint(uint32_t field, uint64_t value) {
  Key(field, 0);
  AppendVarint(out_, value);
}

void ProtobufWriter::Sint(uint32_t field, int64_t value) {
  Varint(field, (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63));
}

void ProtobufWriter::Double(uint32_t field, double value) {
  Key(field, 1);
  const auto bits = std::bit_cast<uint64_t>(value);
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>(bits >> (8 * i)));
}

void ProtobufWriter::Bytes(uint32_t field, std::string_view value) {
  Key(field, 2);
  AppendVarint(out_, value.size());
  out_.append(value);
}

}  // namespace sluice::formats::orc
