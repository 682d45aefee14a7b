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

// A field by field summary of a result, for comparing runs.
std::string Describe(const TransformedBatch& out) {
  std::string text = "records " + out.records.arena + "\n";
  for (const auto& entry : out.records.entries) {
    text += std::to_string(entry.seq) + "@" + std::to_string(entry.arrival_ms) + " ";
  }
  text += "\nkeys";
  for (const auto* outcome : out.ok_outcomes) {
    for (const auto& [key, value] : outcome->query_keys) text += " " + key + "=" + value;
  }
  text += "\ndropped " + std::to_string(out.dropped) + "\n";
  for (const auto& [type, failed] : out.failed) {
    for (const auto& record : failed) {
      text += type + " " + std::string(record.raw_data) + " " + std::string(record.error_code) + "\n";
    }
  }
  return text;
}

// 40 records: 5 not gzip (multiples of 7), 7 control messages (other multiples of 5), 28 data
// messages of two events each.
wal::RecordBatch MixedSource() {
  wal::RecordBatch source;
  for (uint64_t seq = 1; seq <= 40; ++seq) {
    const std::string n = std::to_string(seq);
    if (seq % 7 == 0) {
      source.Add(seq, 100 + seq, "not gzip " + n);
    } else if (seq % 5 == 0) {
      source.Add(seq, 100 + seq,
                 Gzip(R"({"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"",)"
                      R"("subscriptionFilters":[],"logEvents":[]})"));
    } else {
      source.Add(seq, 100 + seq,
                 Gzip(R"({"messageType":"DATA_MESSAGE","owner":"1","logGroup":"g","logStream":"s",)"
                      R"("subscriptionFilters":["f"],"logEvents":[{"id":"1","timestamp":1,"message":"a)" + n +
                      R"("},{"id":"2","timestamp":2,"message":"b)" + n + R"("}]})"));
    }
  }
  return source;
}

TEST(BatchTransformTest, SlicesOfAnySizeGiveTheResultOfOneWholeRun) {
  wal::RecordBatch source = MixedSource();
  BatchTransformer whole(size_t{1} << 30);
  TransformedBatch expected;
  ASSERT_TRUE(whole.Run(kCloudWatchLogs, {}, source, expected));
  ASSERT_EQ(expected.records.entries.size(), 2u * 28);
  for (const size_t slice_bytes : {size_t{0}, size_t{1}, size_t{150}, size_t{333}, kTransformSliceBytes}) {
    BatchTransformer sliced(slice_bytes);
    TransformedBatch out;
    ASSERT_TRUE(sliced.Run(kCloudWatchLogs, {}, source, out));
    EXPECT_EQ(Describe(out), Describe(expected)) << slice_bytes;
    EXPECT_EQ(source.entries.size(), 40u);  // kept by default
  }
}

TEST(BatchTransformTest, ReleasingTheSourceAsItGoesGivesTheSameResult) {
  wal::RecordBatch kept = MixedSource();
  BatchTransformer transformer;
  TransformedBatch expected;
  ASSERT_TRUE(transformer.Run(kCloudWatchLogs, {}, kept, expected));
  for (const size_t slice_bytes : {size_t{0}, size_t{150}, kTransformSliceBytes}) {
    wal::RecordBatch source = MixedSource();
    BatchTransformer sliced(slice_bytes);
    TransformedBatch out;
    ASSERT_TRUE(sliced.Run(kCloudWatchLogs, {}, source, out, SourceUse::kRelease));
    EXPECT_TRUE(source.entries.empty());
    EXPECT_EQ(source.arena.capacity(), wal::RecordBatch().arena.capacity());  // its memory given back
    // The failed records' rawData survives the source: they hold copies of their bytes.
    EXPECT_EQ(Describe(out), Describe(expected)) << slice_bytes;
  }
}

TEST(BatchTransformTest, KeepsOutcomesOnlyForFailedRecordsAndRecordsWithKeys) {
  wal::RecordBatch source = MixedSource();
  BatchTransformer transformer;
  TransformedBatch out;
  ASSERT_TRUE(transformer.Run(kCloudWatchLogs, {}, source, out));
  ASSERT_EQ(out.ok_outcomes.size(), 2u * 28);
  EXPECT_EQ(out.outcomes.size(), 5u);  // the records that are not gzip; not one per record
  for (const auto& outcome : out.outcomes) EXPECT_EQ(outcome.result, processors::ProcessResult::kProcessingFailed);

  const config::ProcessingConfiguration extraction{
      true, {{"MetadataExtraction", {{"MetadataExtractionQuery", "{c:.c}"}, {"JsonParsingEngine", "JQ-1.6"}}}}};
  wal::RecordBatch json;
  json.Add(1, 1, R"({"c":"a"})");
  json.Add(2, 2, "not json");
  json.Add(3, 3, R"({"c":"b"})");
  ASSERT_TRUE(transformer.Run(extraction, {}, json, out));
  ASSERT_EQ(out.ok_outcomes.size(), 2u);
  EXPECT_EQ(out.ok_outcomes[0]->query_keys.at("c"), "a");
  EXPECT_EQ(out.ok_outcomes[1]->query_keys.at("c"), "b");
  for (const auto* outcome : out.ok_outcomes) EXPECT_TRUE(outcome->data.empty());  // held once, in records
  EXPECT_EQ(out.outcomes.size(), 3u);
  ASSERT_EQ(out.failed.at("partitioning-failed").size(), 1u);
  EXPECT_EQ(out.failed.at("partitioning-failed")[0].raw_data, "not json");
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
