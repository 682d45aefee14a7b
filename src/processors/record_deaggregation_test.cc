#include "processors/record_deaggregation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "processors/processors_test_util.h"

namespace sluice::processors {
namespace {

using testing::DataOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::KplMessage;
using testing::KplRecord;
using testing::MakeRecord;
using testing::ResultsOf;

std::vector<ProcessedRecord> Deaggregate(RecordDeAggregationProcessor& processor,
                                         std::vector<std::string> records) {
  std::vector<Record> batch;
  uint64_t seq = 1;
  for (std::string& data : records) batch.push_back(MakeRecord(seq++, std::move(data)));
  auto out = processor.Process(std::move(batch));
  EXPECT_TRUE(out);
  return out ? std::move(*out) : std::vector<ProcessedRecord>{};
}

TEST(SplitJsonObjectsTest, SplitsConcatenatedAndLineDelimitedObjects) {
  EXPECT_THAT(*SplitJsonObjects(R"({"a":1}{"a":2})"), ElementsAre(R"({"a":1})", R"({"a":2})"));
  EXPECT_THAT(*SplitJsonObjects("{\"a\":1}\n{\"a\":2}\r\n  {\"b\":{\"c\":[1,{}]}}\n"),
              ElementsAre(R"({"a":1})", R"({"a":2})", R"({"b":{"c":[1,{}]}})"));
  EXPECT_THAT(*SplitJsonObjects(R"({"s":"} { \" ]"}{"t":"\\"})"),
              ElementsAre(R"({"s":"} { \" ]"})", R"({"t":"\\"})"));
}

TEST(SplitJsonObjectsTest, RejectsWhatIsNotConsecutiveObjects) {
  EXPECT_THAT(SplitJsonObjects(R"([{"a":1},{"a":2}])").error().message,
              HasSubstr("expected a JSON object at offset 0, found '['"));
  EXPECT_THAT(SplitJsonObjects(R"({"a":1} 5)").error().message, HasSubstr("offset 8, found '5'"));
  EXPECT_THAT(SplitJsonObjects(R"({"a":1}{"a":)").error().message,
              HasSubstr("offset 7 is not closed"));
  EXPECT_THAT(SplitJsonObjects(R"({"a":tru})").error().message, HasSubstr("offset 0 is invalid"));
  EXPECT_THAT(SplitJsonObjects(" \n").error().message, HasSubstr("holds no JSON object"));
}

TEST(RecordDeAggregationTest, JsonSplitsEachRecordKeepingItsSeq) {
  RecordDeAggregationProcessor processor(SubRecordType::kJson, "");
  auto out = Deaggregate(processor, {"{\"a\":1}\n{\"a\":2}\n", "{\"b\":1}"});
  EXPECT_THAT(DataOf(out), ElementsAre(R"({"a":1})", R"({"a":2})", R"({"b":1})"));
  EXPECT_EQ(out[0].seq, 1u);
  EXPECT_EQ(out[1].seq, 1u);
  EXPECT_EQ(out[2].seq, 2u);
}

TEST(RecordDeAggregationTest, DelimitedSplitsOnTheDelimiterDroppingEmptyPieces) {
  RecordDeAggregationProcessor processor(SubRecordType::kDelimited, "####");
  auto out = Deaggregate(processor, {"a####b########c####", "####", "no delimiter"});
  EXPECT_THAT(ResultsOf(out),
              ElementsAre(ProcessResult::kOk, ProcessResult::kOk, ProcessResult::kOk,
                          ProcessResult::kDropped, ProcessResult::kOk));
  EXPECT_THAT(DataOf(out), ElementsAre("a", "b", "c", "", "no delimiter"));
}

TEST(RecordDeAggregationTest, UnpacksKplRecordsThenSplitsTheirUserRecords) {
  RecordDeAggregationProcessor processor(SubRecordType::kJson, "");
  const std::string kpl =
      KplRecord(KplMessage({"p"}, {{0, R"({"u":1}{"u":2})"}, {0, R"({"u":3})"}}));
  auto out = Deaggregate(processor, {kpl});
  EXPECT_THAT(DataOf(out), ElementsAre(R"({"u":1})", R"({"u":2})", R"({"u":3})"));
}

TEST(RecordDeAggregationTest, FailsBadKplAndBadJsonRecordsAlone) {
  RecordDeAggregationProcessor processor(SubRecordType::kJson, "");
  std::string bad_md5 = KplRecord(KplMessage({"p"}, {{0, R"({"u":1})"}}));
  bad_md5.back() = static_cast<char>(bad_md5.back() ^ 0x55);
  auto out = Deaggregate(processor, {bad_md5, "[1,2]", R"({"ok":true})"});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].result, ProcessResult::kProcessingFailed);
  EXPECT_EQ(out[0].error_code, "RecordDeAggregation.InvalidKplRecord");
  EXPECT_THAT(out[0].error_message, HasSubstr("MD5 trailer does not match"));
  EXPECT_EQ(out[0].data, bad_md5);
  EXPECT_EQ(out[1].error_code, "RecordDeAggregation.InvalidSubRecord");
  EXPECT_THAT(out[1].error_message, HasSubstr("cannot be split into JSON sub-records"));
  EXPECT_EQ(out[2].result, ProcessResult::kOk);
}

TEST(RecordDeAggregationTest, FailsRecordsOverTheSubRecordLimit) {
  RecordDeAggregationProcessor processor(SubRecordType::kDelimited, ",");
  std::string at_limit;
  for (size_t i = 0; i < kMaxSubRecordsPerRecord; ++i) at_limit += "x,";
  auto out = Deaggregate(processor, {at_limit, at_limit + "y"});
  ASSERT_EQ(out.size(), kMaxSubRecordsPerRecord + 1);
  EXPECT_EQ(out.back().result, ProcessResult::kProcessingFailed);
  EXPECT_EQ(out.back().error_code, "RecordDeAggregation.TooManySubRecords");
  EXPECT_THAT(out.back().error_message, HasSubstr("holds 501 sub-records; the limit is 500"));
}

}  // namespace
}  // namespace sluice::processors
