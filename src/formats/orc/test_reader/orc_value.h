#pragma once
// Test-only: one value read from an ORC file, in the shape of the fixtures' expected JSON.

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::formats::orc::test_reader {

struct Value {
  enum class Kind {
    kNull, kBool, kInt, kFloat, kDouble, kString, kBinary, kDecimal, kDate, kTimestamp,
    kList, kMap, kStruct, kUnion,
  };
  Kind kind = Kind::kNull;
  int64_t int_value = 0;     // kBool (0/1), kInt, kDate (days since 1970), kUnion (the tag)
  double double_value = 0;   // kFloat (widened), kDouble
  // kString and kBinary: the bytes; kDecimal: the number with the column's scale
  // ("-1000.50000"); kDate: "YYYY-MM-DD"; kTimestamp: "YYYY-MM-DD HH:MM:SS.f" (1 to 9 digits).
  std::string text;
  // kList: the elements; kMap: key, value, key, value...; kStruct: the fields in schema order;
  // kUnion: the one value.
  std::vector<Value> children;
  const std::vector<std::string>* field_names = nullptr;  // kStruct
};

}  // namespace sluice::formats::orc::test_reader
