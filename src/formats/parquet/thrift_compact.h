#pragma once
// Writer side of the Thrift compact protocol (thrift/doc/specs/thrift-compact-protocol.md),
// limited to what Parquet metadata needs: structs, i8/i16/i32/i64, bool, binary and lists of
// structs, i32 and binary. The caller balances BeginStruct/EndStruct and writes a struct's fields
// in increasing id order (as the generated Thrift code does).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::formats::parquet {

// Compact-protocol type codes used in field headers and list headers.
enum class CompactType : uint8_t {
  kBoolTrue = 1,
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

void AppendUleb128(uint64_t value, std::string& out);
uint64_t ZigZag(int64_t value);

class CompactWriter {
 public:
  explicit CompactWriter(std::string& out) : out_(out) {}

  // Opens a nested struct value (as a field's value or a list element) / closes it with a stop byte.
  void BeginStruct();
  void EndStruct();

  void FieldBool(int16_t id, bool value);
  void FieldI8(int16_t id, int8_t value);
  void FieldI32(int16_t id, int32_t value);
  void FieldI64(int16_t id, int64_t value);
  void FieldBinary(int16_t id, std::string_view value);
  // Writes the header of a struct-typed field; follow with the fields and EndStruct().
  void FieldStructBegin(int16_t id);
  // Writes the header of a list-typed field; follow with `size` elements of `element_type`.
  void FieldListBegin(int16_t id, CompactType element_type, uint32_t size);

  // List elements.
  void ElementI32(int32_t value);
  void ElementBinary(std::string_view value);

 private:
  void FieldHeader(int16_t id, CompactType type);

  std::string& out_;
  int16_t last_field_id_ = 0;
  // Last field id of each enclosing struct, restored by EndStruct.
  std::vector<int16_t> saved_ids_;
};

}  // namespace sluice::formats::parquet
