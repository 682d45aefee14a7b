#include "processors/append_delimiter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "processors/processors_test_util.h"

namespace sluice::processors {
namespace {

using testing::DataOf;
using ::testing::ElementsAre;
using testing::MakeRecord;

TEST(UnescapeDelimiterTest, TakesJsonEscapesAsFirehoseDoes) {
  EXPECT_EQ(*UnescapeDelimiter("\\n"), "\n");
  EXPECT_EQ(*UnescapeDelimiter("\\r\\n"), "\r\n");
  EXPECT_EQ(*UnescapeDelimiter("\\t|\\\\|\\\"|\\/|\\b\\f"), "\t|\\|\"|/|\b\f");
  EXPECT_EQ(*UnescapeDelimiter("\\u0001"), std::string(1, '\x01'));
  EXPECT_EQ(*UnescapeDelimiter("\\u00e9"), "\xC3\xA9");
  EXPECT_EQ(*UnescapeDelimiter("\\ud83d\\ude00"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(*UnescapeDelimiter("||"), "||");
  EXPECT_EQ(*UnescapeDelimiter("\n"), "\n");  // an actual newline stands for itself
}

TEST(UnescapeDelimiterTest, RejectsBrokenEscapesWithTheReason) {
  EXPECT_THAT(UnescapeDelimiter("a\\").error().message, ::testing::HasSubstr("lone backslash"));
  EXPECT_THAT(UnescapeDelimiter("\\x").error().message, ::testing::HasSubstr("unknown escape \\x"));
  EXPECT_THAT(UnescapeDelimiter("\\u12").error().message, ::testing::HasSubstr("4 hex digits"));
  EXPECT_THAT(UnescapeDelimiter("\\u12g4").error().message, ::testing::HasSubstr("4 hex digits"));
  EXPECT_THAT(UnescapeDelimiter("\\ud83d").error().message, ::testing::HasSubstr("high surrogate"));
  EXPECT_THAT(UnescapeDelimiter("\\ude00").error().message, ::testing::HasSubstr("low surrogate"));
}

TEST(AppendDelimiterProcessorTest, AppendsNewlineByDefault) {
  AppendDelimiterProcessor processor;
  std::vector<Record> batch;
  batch.push_back(MakeRecord(1, "{\"a\":1}"));
  batch.push_back(MakeRecord(2, ""));
  auto out = processor.Process(std::move(batch));
  ASSERT_TRUE(out);
  EXPECT_THAT(DataOf(*out), ElementsAre("{\"a\":1}\n", "\n"));
  EXPECT_EQ((*out)[1].seq, 2u);
  EXPECT_EQ((*out)[1].result, ProcessResult::kOk);
}

TEST(AppendDelimiterProcessorTest, AppendsConfiguredDelimiter) {
  AppendDelimiterProcessor processor("##");
  std::vector<Record> batch;
  batch.push_back(MakeRecord(1, "x"));
  auto out = processor.Process(std::move(batch));
  ASSERT_TRUE(out);
  EXPECT_THAT(DataOf(*out), ElementsAre("x##"));
}

}  // namespace
}  // namespace sluice::processors
