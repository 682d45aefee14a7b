// The comparison the fixture tests rely on must see every kind of difference.
#include "formats/orc/test_reader/json_expectation.h"

#include <gtest/gtest.h>

namespace sluice::formats::orc::test_reader {
namespace {

Value Make(Value::Kind kind, int64_t i = 0, std::string text = "") {
  Value v;
  v.kind = kind;
  v.int_value = i;
  v.text = std::move(text);
  return v;
}

TEST(OrcJsonExpectation, ScalarsMatchOnlyTheirValue) {
  EXPECT_EQ(Mismatch(Make(Value::Kind::kInt, 5), "5"), "");
  EXPECT_NE(Mismatch(Make(Value::Kind::kInt, 5), "6"), "");
  EXPECT_NE(Mismatch(Make(Value::Kind::kInt, 5), "null"), "");
  EXPECT_NE(Mismatch(Value{}, "0"), "");
  EXPECT_EQ(Mismatch(Make(Value::Kind::kDecimal, 0, "1.50"), "1.50"), "");
  EXPECT_NE(Mismatch(Make(Value::Kind::kDecimal, 0, "1.50"), "1.5"), "") << "scale counts";
  EXPECT_EQ(Mismatch(Make(Value::Kind::kBinary, 0, std::string("\0\xff", 2)), "[0, 255]"), "");
  EXPECT_NE(Mismatch(Make(Value::Kind::kBinary, 0, "a"), "[97, 0]"), "");
  Value f = Make(Value::Kind::kFloat);
  f.double_value = static_cast<float>(-986.1232);
  EXPECT_EQ(Mismatch(f, "-986.1232"), "");
  EXPECT_NE(Mismatch(f, "-986.1233"), "");
}

TEST(OrcJsonExpectation, NestedValuesMatchFieldByField) {
  static const std::vector<std::string> kNames = {"a", "m"};
  Value map = Make(Value::Kind::kMap);
  map.children = {Make(Value::Kind::kString, 0, "k"), Make(Value::Kind::kInt, 1)};
  Value row = Make(Value::Kind::kStruct);
  row.field_names = &kNames;
  row.children = {Make(Value::Kind::kInt, 7), map};
  EXPECT_EQ(Mismatch(row, R"({"a": 7, "m": [{"key": "k", "value": 1}]})"), "");
  EXPECT_NE(Mismatch(row, R"({"a": 7, "m": [{"key": "k", "value": 2}]})"), "");
  EXPECT_NE(Mismatch(row, R"({"m": [{"key": "k", "value": 1}], "a": 7})"), "");
  EXPECT_NE(Mismatch(row, R"({"a": 7})"), "");
  EXPECT_NE(Mismatch(row, R"({"a": 7, "m": []})"), "");
  Value u = Make(Value::Kind::kUnion, 1);
  u.children = {Make(Value::Kind::kString, 0, "x")};
  EXPECT_EQ(Mismatch(u, R"({"tag": 1, "value": "x"})"), "");
  EXPECT_NE(Mismatch(u, R"({"tag": 0, "value": "x"})"), "");
}

}  // namespace
}  // namespace sluice::formats::orc::test_reader
