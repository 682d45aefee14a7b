#include "formats/schema/key_matcher.h"

#include <gtest/gtest.h>

namespace sluice::formats {
namespace {

const std::vector<std::string> kFields{"id", "Name", "user_agent"};

TEST(KeyMatcherTest, OpenXIgnoresCaseByDefault) {
  auto matcher = KeyMatcher::Create(kFields, {}, true);
  ASSERT_TRUE(matcher);
  EXPECT_EQ(matcher->Find("ID"), 0);
  EXPECT_EQ(matcher->Find("name"), 1);
  EXPECT_EQ(matcher->Find("user.agent"), KeyMatcher::kNoField);
  EXPECT_EQ(matcher->Find("other"), KeyMatcher::kNoField);
  EXPECT_EQ(matcher->MapKey("MiXed.Key"), "mixed.key");
}

TEST(KeyMatcherTest, OpenXCaseSensitiveAndDots) {
  JsonInputOptions options;
  options.case_insensitive = false;
  options.convert_dots_to_underscores = true;
  auto matcher = KeyMatcher::Create(kFields, options, true);
  ASSERT_TRUE(matcher);
  EXPECT_EQ(matcher->Find("Name"), 1);
  EXPECT_EQ(matcher->Find("name"), KeyMatcher::kNoField);
  EXPECT_EQ(matcher->Find("user.agent"), 2);
  EXPECT_EQ(matcher->MapKey("A.b"), "A_b");
}

TEST(KeyMatcherTest, ColumnToJsonKeyMappings) {
  JsonInputOptions options;
  options.column_to_json_key = {{"id", "Request.Id"}, {"NAME", "n"}};
  auto matcher = KeyMatcher::Create(kFields, options, true);
  ASSERT_TRUE(matcher);
  EXPECT_EQ(matcher->Find("request.id"), 0);
  EXPECT_EQ(matcher->Find("id"), KeyMatcher::kNoField);  // the column reads the mapped key only
  EXPECT_EQ(matcher->Find("N"), 1);
  // Nested structs do not take the table's mappings.
  auto nested = KeyMatcher::Create(kFields, options, false);
  ASSERT_TRUE(nested);
  EXPECT_EQ(nested->Find("id"), 0);

  JsonInputOptions unknown;
  unknown.column_to_json_key = {{"nope", "x"}};
  EXPECT_EQ(KeyMatcher::Create(kFields, unknown, true).error().message,
            "ColumnToJsonKeyMappings names column \"nope\", which the table does not have");
  JsonInputOptions clash;
  clash.column_to_json_key = {{"id", "name"}};
  EXPECT_EQ(KeyMatcher::Create(kFields, clash, true).error().message,
            "column \"Name\" reads JSON key \"name\", which another column reads too (keys "
            "compare ignoring case)");
}

TEST(KeyMatcherTest, RepeatedNamesAreRefused) {
  EXPECT_FALSE(KeyMatcher::Create({"a", "A"}, {}, true));
  JsonInputOptions case_sensitive;
  case_sensitive.case_insensitive = false;
  EXPECT_TRUE(KeyMatcher::Create({"a", "A"}, case_sensitive, true));
  EXPECT_EQ(KeyMatcher::Create({"a", ""}, {}, true).error().message,
            "schema: a column or field has an empty name");
}

TEST(KeyMatcherTest, HiveSerDe) {
  JsonInputOptions hive;
  hive.serde = JsonInputOptions::SerDe::kHive;
  hive.case_insensitive = false;
  auto matcher = KeyMatcher::Create(kFields, hive, true);
  ASSERT_TRUE(matcher);
  EXPECT_EQ(matcher->Find("NAME"), 1);  // Hive always ignores case
  EXPECT_EQ(matcher->MapKey("MiXed.Key"), "MiXed.Key");
  EXPECT_EQ(KeyMatcher::Create({"a.b"}, hive, true).error().message,
            "column \"a.b\": HiveJsonSerDe does not accept dots in column names");
  JsonInputOptions hive_dots;
  hive_dots.serde = JsonInputOptions::SerDe::kHive;
  hive_dots.convert_dots_to_underscores = true;
  EXPECT_NE(KeyMatcher::Create(kFields, hive_dots, true).error().message.find("belong to OpenXJsonSerDe"),
            std::string::npos);
}

}  // namespace
}  // namespace sluice::formats
