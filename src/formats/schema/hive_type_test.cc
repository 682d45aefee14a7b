#include "formats/schema/hive_type.h"

#include <gtest/gtest.h>

namespace sluice::formats {
namespace {

TEST(HiveTypeTest, ParsesPrimitiveNames) {
  EXPECT_EQ(ParseHiveType("INT")->kind, HiveKind::kInt);
  EXPECT_EQ(ParseHiveType("integer")->kind, HiveKind::kInt);
  EXPECT_EQ(ParseHiveType("bigint")->kind, HiveKind::kBigint);
  EXPECT_EQ(ParseHiveType("timestamp")->kind, HiveKind::kTimestamp);
  EXPECT_EQ(ParseHiveType(" string ")->kind, HiveKind::kString);
  auto decimal = ParseHiveType("decimal( 12 , 3 )");
  ASSERT_TRUE(decimal);
  EXPECT_EQ(decimal->precision, 12);
  EXPECT_EQ(decimal->scale, 3);
  EXPECT_EQ(HiveTypeName(*decimal), "decimal(12,3)");
  EXPECT_EQ(ParseHiveType("decimal")->precision, 10);
  EXPECT_EQ(ParseHiveType("decimal(5)")->scale, 0);
  EXPECT_EQ(ParseHiveType("varchar(20)")->length, 20);
  EXPECT_EQ(HiveTypeName(*ParseHiveType("char(3)")), "char(3)");
  EXPECT_EQ(HiveTypeName(*ParseHiveType("smallint")), "smallint");
}

TEST(HiveTypeTest, RefusesWithReason) {
  const auto message = [](std::string_view text) { return ParseHiveType(text).error().message; };
  EXPECT_NE(message("long").find("is not a Hive type"), std::string::npos);
  EXPECT_NE(message("decimal(39,1)").find("precision must be 1..38"), std::string::npos);
  EXPECT_NE(message("decimal(5,6)").find("scale 0..precision"), std::string::npos);
  EXPECT_NE(message("decimal(1,2,3)").find("(precision,scale)"), std::string::npos);
  EXPECT_NE(message("varchar").find("needs one length"), std::string::npos);
  EXPECT_NE(message("char(256)").find("1..255"), std::string::npos);
  EXPECT_NE(message("int(3)").find("takes no arguments"), std::string::npos);
  EXPECT_NE(message("decimal(a)").find("must be integers"), std::string::npos);
  EXPECT_NE(message("decimal(3").find("missing closing"), std::string::npos);
  EXPECT_EQ(ParseHiveType("foo").error().code, ErrorCode::kInvalidArgument);
}

TEST(HiveTypeTest, ParsesNestedTypes) {
  auto type = ParseHiveType("ARRAY< struct<Lat:double, tags:map<string,array<int>>> >");
  ASSERT_TRUE(type) << type.error().message;
  EXPECT_EQ(type->kind, HiveKind::kArray);
  ASSERT_EQ(type->children.size(), 1u);
  const HiveType& element = type->children[0];
  EXPECT_EQ(element.kind, HiveKind::kStruct);
  EXPECT_EQ(element.field_names, (std::vector<std::string>{"Lat", "tags"}));
  EXPECT_EQ(element.children[1].kind, HiveKind::kMap);
  EXPECT_EQ(element.children[1].children[0].kind, HiveKind::kString);
  EXPECT_EQ(element.children[1].children[1].children[0].kind, HiveKind::kInt);
  EXPECT_FALSE(type->is_primitive());
  EXPECT_TRUE(element.children[0].is_primitive());
  EXPECT_EQ(HiveTypeName(*type), "array<struct<Lat:double,tags:map<string,array<int>>>>");
  EXPECT_EQ(HiveTypeName(*ParseHiveType("map<decimal(5,1), char(2)>")), "map<decimal(5,1),char(2)>");
}

TEST(HiveTypeTest, NestedErrorsNameThePosition) {
  const auto message = [](std::string_view text) { return ParseHiveType(text).error().message; };
  EXPECT_EQ(message("map<array<int>,string>"),
            "column type \"map<array<int>,string>\": map keys must be a primitive type, not "
            "array<int> at position 5");
  EXPECT_EQ(message("struct<a:int,A:string>"),
            "column type \"struct<a:int,A:string>\": struct field \"A\" appears twice (names "
            "compare ignoring case) at position 14");
  EXPECT_EQ(message("array<int"), "column type \"array<int\": expected '>' at position 10");
  EXPECT_EQ(message("struct<a int>"),
            "column type \"struct<a int>\": expected ':' after struct field \"a\" at position 10");
  EXPECT_EQ(message("struct<>"), "column type \"struct<>\": struct needs at least one field at position 9");
  EXPECT_EQ(message("map<string>"),
            "column type \"map<string>\": map needs ',' between key and value types at position 11");
  EXPECT_EQ(message("array<foo>"),
            "column type \"array<foo>\": \"foo\" is not a Hive type (expected boolean, tinyint, "
            "smallint, int, bigint, float, double, decimal(p,s), string, varchar(n), char(n), binary, "
            "date, timestamp, array<T>, map<K,V> or struct<name:T,...>) at position 7");
  EXPECT_NE(message("uniontype<int,string>").find("uniontype is not supported"), std::string::npos);
  EXPECT_NE(message("int>").find("unexpected '>' at position 4"), std::string::npos);
  EXPECT_NE(message("array<decimal(40,1)>").find("precision must be 1..38"), std::string::npos);
  EXPECT_NE(message("").find("expected a type name"), std::string::npos);
}

}  // namespace
}  // namespace sluice::formats
