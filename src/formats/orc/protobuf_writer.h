#pragma once
// Protobuf wire-format encoding, enough for ORC's metadata messages (orc_proto.proto):
// varint, sint (zigzag), double, bytes and nested messages. No protobuf library is used.

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::formats::orc {

void AppendVarint(std::string& out, uint64_t value);

class ProtobufWriter {
 public:
  void Varint(uint32_t field, uint64_t value);
  void Sint(uint32_t field, int64_t value);  // sint32/sint64: zigzag varint
  void Double(uint32_t field, double value);
  void Bytes(uint32_t field, std::string_view value);  // bytes, string or a nested message
  // A packed repeated varint field.
  template <typename Range>
  void PackedVarints(uint32_t field, const Range& values) {
    std::string packed;
    for (auto value : values) AppendVarint(packed, static_cast<uint64_t>(value));
    Bytes(field, packed);
  }

  const std::string& bytes() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void Key(uint32_t field, uint32_t wire_type);
  std::string out_;
};

}  // namespace sluice::formats::orc
