#include "processors/cloudwatch_logs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "processors/processors_test_util.h"

namespace sluice::processors {
namespace {

using testing::CloudWatchDataMessage;
using testing::DataOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeRecord;
using testing::ResultsOf;

Result<std::vector<ProcessedRecord>> Extract(std::vector<std::string> records) {
  std::vector<Record> batch;
  uint64_t seq = 10;
  for (std::string& data : records) batch.push_back(MakeRecord(seq++, std::move(data)));
  CloudWatchLogProcessor processor;
  return processor.Process(std::move(batch));
}

TEST(CloudWatchLogProcessorTest, EmitsOneRecordPerLogEventMessage) {
  auto out =
      Extract({CloudWatchDataMessage({"log message 1", "{\"level\":\"info\"}", "tab\there"})});
  ASSERT_TRUE(out);
  EXPECT_THAT(DataOf(*out), ElementsAre("log message 1", "{\"level\":\"info\"}", "tab\there"));
  for (const ProcessedRecord& record : *out) {
    EXPECT_EQ(record.seq, 10u);
    EXPECT_EQ(record.result, ProcessResult::kOk);
  }
}

TEST(CloudWatchLogProcessorTest, DropsControlMessages) {
  const std::string control =
      R"({"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"",)"
      R"("subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1432826855000,)"
      R"("message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]})";
  auto out = Extract({control, CloudWatchDataMessage({"kept"})});
  ASSERT_TRUE(out);
  EXPECT_THAT(ResultsOf(*out), ElementsAre(ProcessResult::kDropped, ProcessResult::kOk));
  EXPECT_EQ((*out)[1].data, "kept");
}

TEST(CloudWatchLogProcessorTest, DropsDataMessageWithoutEvents) {
  auto out = Extract({CloudWatchDataMessage({})});
  ASSERT_TRUE(out);
  EXPECT_THAT(ResultsOf(*out), ElementsAre(ProcessResult::kDropped));
}

TEST(CloudWatchLogProcessorTest, FailsWhatIsNotASubscriptionPayload) {
  auto out =
      Extract({testing::Gzip(CloudWatchDataMessage({"x"})), R"({"logEvents":[]})",
               R"({"messageType":"OTHER"})", R"({"messageType":"DATA_MESSAGE"})",
               R"({"messageType":"DATA_MESSAGE","logEvents":[{"message":"a"},{"id":"1"}]})"});
  ASSERT_TRUE(out);
  ASSERT_EQ(out->size(), 5u);
  for (const ProcessedRecord& record : *out) {
    EXPECT_EQ(record.result, ProcessResult::kProcessingFailed);
    EXPECT_EQ(record.error_code, "CloudWatchLogProcessing.InvalidPayload");
    EXPECT_EQ(record.error_output_type, "processing-failed");
  }
  EXPECT_THAT((*out)[0].error_message, HasSubstr("not JSON"));
  EXPECT_THAT((*out)[1].error_message, HasSubstr("no string field messageType"));
  EXPECT_THAT((*out)[2].error_message,
              HasSubstr("'OTHER' is neither DATA_MESSAGE nor CONTROL_MESSAGE"));
  EXPECT_THAT((*out)[3].error_message, HasSubstr("no array field logEvents"));
  EXPECT_THAT((*out)[4].error_message, HasSubstr("logEvents[1] has no string field message"));
}

}  // namespace
}  // namespace sluice::processors
