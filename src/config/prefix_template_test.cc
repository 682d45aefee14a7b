#include "config/prefix_template.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/time_pattern.h"

namespace sluice::config {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

constexpr int64_t kAug27At1030 = 1535365800000;  // 2018-08-27T10:30:00Z, firehose.md §4.3
constexpr std::string_view kField = "ExtendedS3DestinationConfiguration.Prefix";

std::string ParseError(std::string_view text, PrefixKind kind = PrefixKind::kPrefix) {
  auto parsed = PrefixTemplate::Parse(text, kind, kField);
  EXPECT_FALSE(parsed.has_value()) << text;
  return parsed ? std::string() : parsed.error().message;
}

TEST(PrefixTemplateTest, DocExampleWithTimestampAndRandomString) {
  auto prefix = PrefixTemplate::Parse(
      "myFirehose/DeliveredYear=!{timestamp:yyyy}/anyMonth/rand=!{firehose:random-string}",
      PrefixKind::kPrefix, kField);
  ASSERT_TRUE(prefix.has_value()) << prefix.error().message;
  EXPECT_TRUE(prefix->has_expressions());
  EXPECT_THAT(prefix->Render(kAug27At1030),
              MatchesRegex("myFirehose/DeliveredYear=2018/anyMonth/rand=[0-9a-z]{11}"));
}

TEST(PrefixTemplateTest, EmptyPrefixGetsDefaultTimePart) {
  auto prefix = PrefixTemplate::Parse("", PrefixKind::kPrefix, kField);
  ASSERT_TRUE(prefix.has_value());
  EXPECT_FALSE(prefix->has_expressions());
  EXPECT_EQ(prefix->Render(kAug27At1030), "2018/08/27/10/");
}

TEST(PrefixTemplateTest, DefaultTimePartIsAppendedWithoutSeparator) {
  auto prefix = PrefixTemplate::Parse("logs", PrefixKind::kPrefix, kField);
  ASSERT_TRUE(prefix.has_value());
  EXPECT_EQ(prefix->Render(kAug27At1030), "logs2018/08/27/10/");
}

TEST(PrefixTemplateTest, ErrorOutputPrefixRendersTypeAndGetsNoDefaultTimePart) {
  auto prefix = PrefixTemplate::Parse("myFirehoseFailures/!{firehose:error-output-type}/",
                                      PrefixKind::kErrorOutputPrefix, kField);
  ASSERT_TRUE(prefix.has_value());
  EXPECT_TRUE(prefix->has_error_output_type());
  EXPECT_EQ(prefix->Render(kAug27At1030, "processing-failed"),
            "myFirehoseFailures/processing-failed/");
}

TEST(PrefixTemplateTest, AllTimestampsShareOneInstantAndRandomStringsDiffer) {
  auto prefix = PrefixTemplate::Parse(
      "!{timestamp:yyyy-MM-dd'T'HH:mm:ss.SSS}/!{timestamp:yy}/"
      "!{firehose:random-string}/!{firehose:random-string}",
      PrefixKind::kPrefix, kField);
  ASSERT_TRUE(prefix.has_value()) << prefix.error().message;
  const std::string out = prefix->Render(kAug27At1030 + 45'123);
  EXPECT_THAT(out, MatchesRegex("2018-08-27T10:30:45\\.123/18/[0-9a-z]{11}/[0-9a-z]{11}"));
  EXPECT_NE(out.substr(23, 11), out.substr(35, 11));
}

TEST(PrefixTemplateTest, QuotedLiteralsAndEscapedQuotes) {
  auto prefix = PrefixTemplate::Parse("!{timestamp:'year='yyyy'/month='MM''}/",
                                      PrefixKind::kPrefix, kField);
  ASSERT_TRUE(prefix.has_value()) << prefix.error().message;
  EXPECT_EQ(prefix->Render(kAug27At1030), "year=2018/month=08'/");
}

TEST(PrefixTemplateTest, RejectsErrorOutputTypeInPrefix) {
  EXPECT_THAT(ParseError("a/!{firehose:error-output-type}/"),
              AllOf(HasSubstr(kField), HasSubstr("only in ErrorOutputPrefix")));
}

TEST(PrefixTemplateTest, PartitionKeysRenderAsSlotsFilledPerRecord) {
  auto prefix = PrefixTemplate::Parse(
      "customer=!{partitionKeyFromQuery:customer}/dev=!{partitionKeyFromLambda:device}/"
      "!{timestamp:yyyy}/",
      PrefixKind::kPrefix, kField);
  ASSERT_TRUE(prefix.has_value()) << prefix.error().message;
  EXPECT_TRUE(prefix->has_query_keys());
  EXPECT_TRUE(prefix->has_lambda_keys());
  const std::string rendered = prefix->Render(kAug27At1030);
  EXPECT_EQ(rendered,
            "customer=!{partitionKeyFromQuery:customer}/dev=!{partitionKeyFromLambda:device}/2018/");
  // A value holding "!{" or "}" is not rescanned.
  auto filled = FillPartitionKeys(rendered, {{"customer", "a!{b}"}}, {{"device", "phone"}});
  ASSERT_TRUE(filled.has_value()) << filled.error().message;
  EXPECT_EQ(*filled, "customer=a!{b}/dev=phone/2018/");
}

TEST(PrefixTemplateTest, SlotNamesArePerNamespaceSortedAndUnique) {
  const PartitionKeyNames names = PartitionKeySlotNames(
      "c=!{partitionKeyFromQuery:c}/b=!{partitionKeyFromQuery:b}/!{partitionKeyFromQuery:c}/"
      "d=!{partitionKeyFromLambda:d}/!{firehose:error-output-type}/");
  EXPECT_EQ(names.query, (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(names.lambda, (std::vector<std::string>{"d"}));
  EXPECT_TRUE(PartitionKeySlotNames("plain/2024/").query.empty());
}

TEST(PrefixTemplateTest, FillPartitionKeysNamesTheMissingKey) {
  auto filled = FillPartitionKeys("c=!{partitionKeyFromQuery:customer}/", {{"other", "x"}}, {});
  ASSERT_FALSE(filled.has_value());
  EXPECT_THAT(filled.error().message,
              AllOf(HasSubstr("MetadataExtraction query"), HasSubstr("\"customer\"")));
  // Query and Lambda keys are separate namespaces.
  EXPECT_FALSE(FillPartitionKeys("!{partitionKeyFromLambda:k}", {{"k", "v"}}, {}).has_value());
  // Other slots stay for their owner.
  EXPECT_EQ(*FillPartitionKeys("e/!{firehose:error-output-type}/", {}, {}),
            "e/!{firehose:error-output-type}/");
}

TEST(PrefixTemplateTest, PartitionKeysOnlyInPrefix) {
  EXPECT_THAT(ParseError("!{partitionKeyFromLambda:customer}/", PrefixKind::kErrorOutputPrefix),
              HasSubstr("only in Prefix, not in ErrorOutputPrefix"));
  EXPECT_THAT(ParseError("!{partitionKeyFromQuery:}/"), HasSubstr("must name a partition key"));
}

TEST(PrefixTemplateTest, RejectsMalformedExpressions) {
  EXPECT_THAT(ParseError("a/!{timestamp:yyyy"), HasSubstr("is not closed"));
  EXPECT_THAT(ParseError("a/!{yyyy}"), HasSubstr("!{namespace:value}"));
  EXPECT_THAT(ParseError("a/!{time:yyyy}"), HasSubstr("unknown namespace \"time\""));
  EXPECT_THAT(ParseError("a/!{firehose:uuid}"), HasSubstr("random-string and error-output-type"));
  EXPECT_THAT(ParseError("a/!{timestamp:}"), HasSubstr("empty"));
  EXPECT_THAT(ParseError("a/!{timestamp:EEE}"), HasSubstr("\"EEE\""));
  EXPECT_THAT(ParseError("a/!{timestamp:yyy}"), HasSubstr("\"yyy\""));
  EXPECT_THAT(ParseError("a/!{timestamp:'open}"), HasSubstr("unterminated"));
}

TEST(TimePatternTest, FormatsObjectNameTimestamp) {
  EXPECT_EQ(FormatUtc(kAug27At1030 + 5'000, "yyyy-MM-dd-HH-mm-ss"), "2018-08-27-10-30-05");
}

TEST(TimePatternTest, FormatsTimesBeforeTheEpoch) {
  EXPECT_EQ(FormatUtc(-1000, "yyyy-MM-dd HH:mm:ss.SSS"), "1969-12-31 23:59:59.000");
}

TEST(TimePatternTest, InvalidPatternFormatsAsEmpty) { EXPECT_EQ(FormatUtc(0, "QQQ"), ""); }

}  // namespace
}  // namespace sluice::config
