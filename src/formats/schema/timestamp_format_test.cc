#include "formats/schema/timestamp_format.h"

#include <gtest/gtest.h>

namespace sluice::formats {
namespace {

int64_t Apply(std::string_view pattern, std::string_view text) {
  auto format = TimestampFormat::Parse(pattern);
  EXPECT_TRUE(format) << pattern;
  auto nanos = format->Apply(text);
  EXPECT_TRUE(nanos) << pattern << " " << text << ": " << (nanos ? "" : nanos.error().message);
  return nanos.value_or(0);
}

constexpr int64_t kSecond = 1'000'000'000;

TEST(TimestampFormatTest, NumericFields) {
  EXPECT_EQ(Apply("yyyy-MM-dd'T'HH:mm:ss", "1970-01-02T00:00:01"), 86401 * kSecond);
  EXPECT_EQ(Apply("yyyyMMddHHmmss", "19700102000001"), 86401 * kSecond);
  EXPECT_EQ(Apply("d/M/yyyy H:m:s", "2/1/1970 0:0:1"), 86401 * kSecond);
  EXPECT_EQ(Apply("yyyy-MM-dd HH:mm:ss.SSS", "1970-01-01 00:00:00.5"), kSecond / 2);
  EXPECT_EQ(Apply("yyyy-MM-dd HH:mm:ss.SSSSSSSSS", "1969-12-31 23:59:59.999999999"), -1);
  EXPECT_EQ(Apply("yy-MM-dd", "24-02-29"), Apply("yyyy-MM-dd", "2024-02-29"));
}

TEST(TimestampFormatTest, OffsetsNamesAndHalfDays) {
  EXPECT_EQ(Apply("yyyy-MM-dd HH:mmZ", "1970-01-01 01:00+0100"), 0);
  EXPECT_EQ(Apply("yyyy-MM-dd HH:mmZZ", "1970-01-01 00:00-01:30"), 5400 * kSecond);
  EXPECT_EQ(Apply("yyyy-MM-dd HH:mmZZ", "1970-01-01 00:00Z"), 0);
  EXPECT_EQ(Apply("dd MMM yyyy hh:mm a", "01 Jan 1970 12:00 AM"), 0);
  EXPECT_EQ(Apply("dd MMMM yyyy hh:mm a", "01 january 1970 01:00 pm"), 13 * 3600 * kSecond);
  EXPECT_EQ(Apply("'at' HH 'o''clock' yyyy-MM-dd", "at 01 o'clock 1970-01-01"), 3600 * kSecond);
}

TEST(TimestampFormatTest, Mismatches) {
  auto format = TimestampFormat::Parse("yyyy-MM-dd HH:mm:ss");
  ASSERT_TRUE(format);
  EXPECT_EQ(format->Apply("1970-01-01").error().message,
            "\"1970-01-01\" does not match \"yyyy-MM-dd HH:mm:ss\"");
  EXPECT_FALSE(format->Apply("1970-01-01 00:00:00 "));
  EXPECT_FALSE(format->Apply("1970-01-01 24:00:00"));
  EXPECT_EQ(format->Apply("1970-02-30 00:00:00").error().message,
            "\"1970-02-30 00:00:00\" is not a calendar date");
  EXPECT_NE(format->Apply("3000-01-01 00:00:00").error().message.find("1677..2262"),
            std::string::npos);
}

TEST(TimestampFormatTest, Patterns) {
  EXPECT_TRUE(TimestampFormat::Parse("millis")->is_millis());
  EXPECT_EQ(TimestampFormat::Parse("yyyy-ww").error().message,
            "TimestampFormats pattern \"yyyy-ww\": pattern letter 'w' is not supported "
            "(supported: y M d H h a m s S Z and quoted text)");
  EXPECT_NE(TimestampFormat::Parse("yyyy 'x").error().message.find("unterminated quote"),
            std::string::npos);
  EXPECT_NE(TimestampFormat::Parse("ss.SSSSSSSSSS").error().message.find("at most 9"),
            std::string::npos);
}

}  // namespace
}  // namespace sluice::formats
