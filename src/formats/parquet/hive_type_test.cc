#include "formats/parquet/hive_type.h"

#include <gtest/gtest.h>

namespace sluice::formats::parquet {
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
  EXPECT_NE(message("array<int>").find("nested types are not supported"), std::string::npos);
  EXPECT_NE(message("struct<a:int>").find("nested types"), std::string::npos);
  EXPECT_EQ(ParseHiveType("foo").error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace sluice::formats::parquet
