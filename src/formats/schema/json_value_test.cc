#include "formats/schema/json_value.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice::formats {
namespace {

class JsonValueTest : public ::testing::Test {
 protected:
  Result<Value> Convert(std::string_view type, const std::string& json,
                        const JsonInputOptions& options = {}) {
    json_ = json;
    auto parsed_type = ParseHiveType(type);
    EXPECT_TRUE(parsed_type) << type;
    auto converter = JsonValueConverter::Create(options);
    EXPECT_TRUE(converter);
    return converter->Convert("c", *parsed_type, parser_.parse(json_).value());
  }
  std::string Error(std::string_view type, const std::string& json,
                    const JsonInputOptions& options = {}) {
    auto cell = Convert(type, json, options);
    EXPECT_FALSE(cell) << json;
    if (cell) return {};
    EXPECT_EQ(cell.error().code, ErrorCode::kInvalidArgument);
    return cell.error().message;
  }

  simdjson::dom::parser parser_;
  std::string json_;
};

TEST_F(JsonValueTest, NullIsNullForEveryType) {
  for (auto type : {"boolean", "int", "string", "decimal(3,1)", "date", "timestamp"}) {
    EXPECT_TRUE(std::holds_alternative<std::monostate>(*Convert(type, "null"))) << type;
  }
}

TEST_F(JsonValueTest, Booleans) {
  EXPECT_EQ(std::get<bool>(*Convert("boolean", "true")), true);
  EXPECT_EQ(std::get<bool>(*Convert("boolean", "\"false\"")), false);
  EXPECT_EQ(Error("boolean", "1"), "column \"c\" (boolean): value 1 is not a boolean (true or false)");
}

TEST_F(JsonValueTest, IntegersAndRanges) {
  EXPECT_EQ(std::get<int64_t>(*Convert("tinyint", "-128")), -128);
  EXPECT_EQ(std::get<int64_t>(*Convert("smallint", "\"32767\"")), 32767);
  EXPECT_EQ(std::get<int64_t>(*Convert("int", "-2147483648")), INT32_MIN);
  EXPECT_EQ(std::get<int64_t>(*Convert("bigint", "9223372036854775807")), INT64_MAX);
  EXPECT_EQ(Error("tinyint", "128"), "column \"c\" (tinyint): value 128 is out of range (-128..127)");
  EXPECT_NE(Error("int", "2147483648").find("out of range"), std::string::npos);
  EXPECT_NE(Error("int", "1.5").find("is not an integer"), std::string::npos);
  EXPECT_EQ(Error("bigint", "18446744073709551615"),
            "column \"c\" (bigint): value 18446744073709551615 is out of range "
            "(-9223372036854775808..9223372036854775807)");
  EXPECT_NE(Error("bigint", "\"99999999999999999999\"").find("is not an integer"), std::string::npos);
  EXPECT_NE(Error("int", "\"12x\"").find("is not an integer"), std::string::npos);
  EXPECT_NE(Error("int", "[1]").find("is not an integer"), std::string::npos);
}

TEST_F(JsonValueTest, FloatingPoint) {
  EXPECT_EQ(std::get<double>(*Convert("double", "1e300")), 1e300);
  EXPECT_EQ(std::get<double>(*Convert("double", "7")), 7.0);
  EXPECT_EQ(std::get<double>(*Convert("float", "\"0.5\"")), 0.5);
  EXPECT_NE(Error("float", "1e300").find("out of the range of a float"), std::string::npos);
  EXPECT_NE(Error("double", "true").find("is not a number"), std::string::npos);
}

TEST_F(JsonValueTest, TextTypes) {
  EXPECT_EQ(std::get<std::string_view>(*Convert("string", "\"h\\u00e9\"")), "h\xc3\xa9");
  EXPECT_EQ(std::get<std::string_view>(*Convert("string", "true")), "true");
  EXPECT_EQ(std::get<OwnedText>(*Convert("string", "12.5")).text, "12.5");
  EXPECT_EQ(std::get<OwnedText>(*Convert("string", "{\"a\": [1, 2]}")).text, "{\"a\":[1,2]}");
  EXPECT_EQ(std::get<std::string_view>(*Convert("varchar(2)", "\"\\u00e9\\u00e9\"")), "\xc3\xa9\xc3\xa9");
  EXPECT_EQ(Error("varchar(2)", "\"abc\""),
            "column \"c\" (varchar(2)): value \"abc\" has 3 characters, more than the 2 the type "
            "allows");
  EXPECT_NE(Error("char(1)", "\"ab\"").find("more than the 1"), std::string::npos);
}

TEST_F(JsonValueTest, LongValuesAreShortenedInMessages) {
  const std::string message = Error("int", "\"" + std::string(200, 'x') + "\"");
  EXPECT_NE(message.find("xxx... is not an integer"), std::string::npos);
  EXPECT_LT(message.size(), 150u);
}

TEST_F(JsonValueTest, Dates) {
  EXPECT_EQ(std::get<int64_t>(*Convert("date", "\"1970-01-02\"")), 1);
  EXPECT_EQ(std::get<int64_t>(*Convert("date", "\"1969-12-31\"")), -1);
  EXPECT_EQ(std::get<int64_t>(*Convert("date", "19000")), 19000);
  EXPECT_EQ(*ParseDate("2000-03-01"), 11017);
  EXPECT_FALSE(ParseDate("2023-02-29"));
  EXPECT_FALSE(ParseDate("2023-2-01"));
  EXPECT_EQ(*ParseTimestamp("2023-2-1 00:00:00"), *ParseTimestamp("2023-02-01 00:00:00"));
  EXPECT_NE(Error("date", "\"2023-13-01\"").find("is not a date of the form YYYY-MM-DD"),
            std::string::npos);
  EXPECT_NE(Error("date", "1.5").find("is not a date"), std::string::npos);
}

TEST_F(JsonValueTest, Timestamps) {
  EXPECT_EQ(*ParseTimestamp("1970-01-01 00:00:01"), 1'000'000'000);
  EXPECT_EQ(*ParseTimestamp("1970-01-01T00:00:00.5Z"), 500'000'000);
  EXPECT_EQ(*ParseTimestamp("1969-12-31 23:59:59.999999999"), -1);
  EXPECT_EQ(*ParseTimestamp("2024-02-29 12:00:00.123"), 1709208000123000000);
  EXPECT_EQ(std::get<int64_t>(*Convert("timestamp", "1700000000123")), 1700000000123000000);
  EXPECT_EQ(std::get<int64_t>(*Convert("timestamp", "1700000000")), 1700000000000000000);
  EXPECT_EQ(std::get<int64_t>(*Convert("timestamp", "-5")), -5'000'000'000);
  EXPECT_NE(Error("timestamp", "9300000000").find("1677..2262"), std::string::npos);  // seconds
  EXPECT_EQ(std::get<int64_t>(*Convert("timestamp", "1518033528.123")), 1518033528123000000);
  EXPECT_EQ(std::get<int64_t>(*Convert("timestamp", "\"1518033528\"")), 1518033528000000000);
  EXPECT_EQ(std::get<int64_t>(*Convert("timestamp", "\"2017-2-7 15:13:01.14\"")),
            *ParseTimestamp("2017-02-07 15:13:01.140"));
  for (auto bad : {"2024-02-29", "2024-02-29 24:00:00", "2024-02-29 12:00:00.", "2024-02-29 "
                   "12:00:00.1234567890", "2024-02-29 12:00:00+01:00", "3000-01-01 00:00:00", "2024-2-30 00:00:00",
                   "2024-02-29 1:00:00"}) {
    EXPECT_FALSE(ParseTimestamp(bad)) << bad;
  }
  EXPECT_NE(Error("timestamp", "\"yesterday\"").find("yyyy-MM-dd HH:mm:ss"), std::string::npos);
  EXPECT_NE(Error("timestamp", "9223372036854775").find("1677..2262"), std::string::npos);
  EXPECT_NE(Error("timestamp", "true").find("epoch seconds or milliseconds"), std::string::npos);
}

TEST_F(JsonValueTest, Decimals) {
  EXPECT_EQ(*ParseDecimal("12.345", 10, 2), 1235);  // half-up
  EXPECT_EQ(*ParseDecimal("-12.344", 10, 2), -1234);
  EXPECT_EQ(*ParseDecimal("-0.005", 10, 2), -1);
  EXPECT_EQ(*ParseDecimal("1.5e2", 5, 0), 150);
  EXPECT_EQ(*ParseDecimal("150E-2", 5, 2), 150);
  EXPECT_EQ(*ParseDecimal("0e1000", 5, 2), 0);
  EXPECT_EQ(*ParseDecimal("+.5", 3, 1), 5);
  EXPECT_EQ(*ParseDecimal("99999999999999999999999999999999999999", 38, 0),
            Int128{9999999999999999999ull} * Int128{10000000000000000000ull} +
                Int128{9999999999999999999ull});
  EXPECT_FALSE(ParseDecimal("999.995", 5, 2));  // rounds up to 1000.00: six digits
  EXPECT_FALSE(ParseDecimal("1e38", 38, 0));
  EXPECT_FALSE(ParseDecimal("1e1001", 38, 0));
  EXPECT_FALSE(ParseDecimal("1.2.3", 5, 0));
  EXPECT_FALSE(ParseDecimal("", 5, 0));
  EXPECT_FALSE(ParseDecimal("1e", 5, 0));
  EXPECT_EQ(std::get<Decimal>(*Convert("decimal(4,2)", "12.34")).unscaled, 1234);
  EXPECT_EQ(std::get<Decimal>(*Convert("decimal(20,0)", "18446744073709551615")).unscaled,
            Int128{18446744073709551615ull});
  EXPECT_EQ(Error("decimal(4,2)", "123.4"),
            "column \"c\" (decimal(4,2)): value 123.4 needs more than 4 digits at scale 2");
  EXPECT_NE(Error("decimal(4,2)", "{}").find("is not a decimal number"), std::string::npos);
}

TEST_F(JsonValueTest, HiveSerDeIsStricter) {
  JsonInputOptions hive;
  hive.serde = JsonInputOptions::SerDe::kHive;
  EXPECT_EQ(std::get<int64_t>(*Convert("int", "42", hive)), 42);
  EXPECT_EQ(Error("int", "\"42\"", hive),
            "column \"c\" (int): value \"42\" is a string; HiveJsonSerDe needs a JSON number");
  EXPECT_NE(Error("double", "\"1.5\"", hive).find("needs a JSON number"), std::string::npos);
  EXPECT_NE(Error("decimal(3,1)", "\"1.5\"", hive).find("needs a JSON number"), std::string::npos);
  EXPECT_EQ(std::get<OwnedText>(*Convert("string", "12", hive)).text, "12");
  EXPECT_NE(Error("string", "{\"a\":1}", hive).find("does not store them as text"),
            std::string::npos);
  EXPECT_NE(Error("string", "[1]", hive).find("does not store them as text"), std::string::npos);
  // Default timestamps: java.sql.Timestamp's text form only.
  EXPECT_EQ(std::get<int64_t>(*Convert("timestamp", "\"1970-01-01 00:00:02\"", hive)),
            2'000'000'000);
  EXPECT_NE(Error("timestamp", "1700000000", hive).find("is not a timestamp string"),
            std::string::npos);
}

TEST_F(JsonValueTest, HiveTimestampFormats) {
  JsonInputOptions hive;
  hive.serde = JsonInputOptions::SerDe::kHive;
  hive.timestamp_formats = {"dd/MM/yyyy HH:mm:ss.SSSZZ", "millis"};
  EXPECT_EQ(std::get<int64_t>(*Convert("timestamp", "\"01/01/1970 01:00:01.250+01:00\"", hive)),
            1'250'000'000);
  EXPECT_EQ(std::get<int64_t>(*Convert("timestamp", "1700000000123", hive)), 1700000000123000000);
  EXPECT_EQ(std::get<int64_t>(*Convert("timestamp", "\"5\"", hive)), 5'000'000);
  EXPECT_EQ(Error("timestamp", "\"1970-01-01 00:00:00\"", hive),
            "column \"c\" (timestamp): value \"1970-01-01 00:00:00\" matches none of the "
            "TimestampFormats (dd/MM/yyyy HH:mm:ss.SSSZZ, millis)");
  JsonInputOptions bad;
  bad.serde = JsonInputOptions::SerDe::kHive;
  bad.timestamp_formats = {"yyyy-ww"};
  auto refused = JsonValueConverter::Create(bad);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("pattern letter 'w' is not supported"), std::string::npos);
  JsonInputOptions openx;
  openx.timestamp_formats = {"millis"};
  EXPECT_FALSE(JsonValueConverter::Create(openx));
}

TEST_F(JsonValueTest, MapKeysAreConvertedFromText) {
  JsonInputOptions hive;
  hive.serde = JsonInputOptions::SerDe::kHive;
  auto converter = JsonValueConverter::Create(hive);
  ASSERT_TRUE(converter);
  EXPECT_EQ(std::get<int64_t>(*converter->ConvertKey("m", *ParseHiveType("int"), "-7")), -7);
  EXPECT_EQ(std::get<std::string_view>(*converter->ConvertKey("m", *ParseHiveType("string"), "k")),
            "k");
  auto bad = converter->ConvertKey("m", *ParseHiveType("int"), "x");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "column \"m\" (int): value \"x\" is not an integer");
}

}  // namespace
}  // namespace sluice::formats
