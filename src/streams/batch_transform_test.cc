#include "streams/batch_transform.h"

#include <gtest/gtest.h>

#include "streams/test_support.h"

namespace sluice::streams {
namespace {

using testing::Gzip;

const config::ProcessingConfiguration kCloudWatchLogs{
    true,
    {{"Decompression", {{"CompressionFormat", "GZIP"}}},
     {"CloudWatchLogProcessing", {{"DataMessageExtraction", "true"}}},
     {"AppendDelimiterToRecord", {}}}};

TEST(BatchTransformTest, SortsOkDroppedAndFailedRecords) {
  wal::RecordBatch source;
  source.Add(10, 1000,
             Gzip(R"({"messageType":"DATA_MESSAGE","owner":"1","logGroup":"g","logStream":"s","subscriptionFilters":["f"],"logEvents":[{"id":"1","timestamp":1,"message":"one"},{"id":"2","timestamp":2,"message":"two"}]})"));
  source.Add(11, 1001,
             Gzip(R"({"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]})"));
  source.Add(12, 1002, "not gzip");
  BatchTransformer transformer;
  TransformedBatch out;
  ASSERT_TRUE(transformer.Run(kCloudWatchLogs, {}, source, out));
  EXPECT_EQ(out.records.arena, "one\ntwo\n");
  ASSERT_EQ(out.records.entries.size(), 2u);
  EXPECT_EQ(out.records.entries[0].seq, 10u);  // each event keeps its source record's seq
  EXPECT_EQ(out.dropped, 1u);                   // the control message
  ASSERT_EQ(out.failed.size(), 1u);
  const auto& failed = out.failed.at("decompression-failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].raw_data, "not gzip");
  EXPECT_EQ(failed[0].arrival_ms, 1002);
  EXPECT_FALSE(failed[0].error_code.empty());

  // The transformer is reusable: a second run starts from a clean result.
  wal::RecordBatch again;
  again.Add(20, 2000, Gzip(R"({"messageType":"DATA_MESSAGE","owner":"1","logGroup":"g","logStream":"s","subscriptionFilters":["f"],"logEvents":[{"id":"3","timestamp":3,"message":"three"}]})"));
  ASSERT_TRUE(transformer.Run(kCloudWatchLogs, {}, again, out));
  EXPECT_EQ(out.records.arena, "three\n");
  EXPECT_TRUE(out.failed.empty());
  EXPECT_EQ(out.dropped, 0u);
}

TEST(BatchTransformTest, ReportsAConfigurationThatCannotBeBuilt) {
  const config::ProcessingConfiguration lambda{
      true, {{"Lambda", {{"LambdaArn", "arn:aws:lambda:us-east-1:123456789012:function:f"}}}}};
  wal::RecordBatch source;
  source.Add(1, 1, "x");
  BatchTransformer transformer;
  TransformedBatch out;
  const auto ran = transformer.Run(lambda, {}, source, out);
  ASSERT_FALSE(ran);
  EXPECT_NE(ran.error().message.find("Lambda"), std::string::npos) << ran.error().message;
}

}  // namespace
}  // namespace sluice::streams
