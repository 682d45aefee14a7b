#include "processors/chain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "processors/append_delimiter.h"
#include "processors/cloudwatch_logs.h"
#include "processors/decompression.h"
#include "processors/lambda_contract.h"
#include "processors/processors_test_util.h"
#include "processors/record_deaggregation.h"

namespace sluice::processors {
namespace {

using testing::CloudWatchDataMessage;
using testing::DataOf;
using ::testing::ElementsAre;
using testing::Gzip;
using testing::MakeRecord;
using testing::ResultsOf;

// Records the recordIds it sees (as a Lambda would get them) and fails the batch on demand.
class ProbeProcessor final : public Processor {
 public:
  std::string_view Type() const override { return "Lambda"; }
  Result<std::vector<ProcessedRecord>> Process(std::vector<Record> batch) override {
    if (fail) return Fail(ErrorCode::kUnavailable, "endpoint down");
    std::vector<ProcessedRecord> out;
    for (const Record& record : batch) {
      ids.push_back(LambdaRecordId(record));
      out.push_back(OkRecord(record, record.data));
    }
    return out;
  }
  bool fail = false;
  std::vector<std::string> ids;
};

TEST(ChainTest, AppliesProcessorsInFirehosesOrder) {
  std::vector<std::unique_ptr<Processor>> processors;
  processors.push_back(std::make_unique<AppendDelimiterProcessor>());
  processors.push_back(std::make_unique<ProbeProcessor>());
  processors.push_back(std::make_unique<RecordDeAggregationProcessor>(SubRecordType::kJson, ""));
  processors.push_back(std::make_unique<CloudWatchLogProcessor>());
  processors.push_back(std::make_unique<DecompressionProcessor>());
  Chain chain(std::move(processors));
  EXPECT_THAT(chain.Types(),
              ElementsAre("Decompression", "CloudWatchLogProcessing", "RecordDeAggregation",
                          "Lambda", "AppendDelimiterToRecord"));
  EXPECT_EQ(PipelinePosition("Command"), PipelinePosition("Lambda"));
  EXPECT_LT(PipelinePosition("Lambda"), PipelinePosition("MetadataExtraction"));
}

TEST(ChainTest, CloudWatchLogsEndToEnd) {
  auto probe = std::make_unique<ProbeProcessor>();
  ProbeProcessor* probe_view = probe.get();
  std::vector<std::unique_ptr<Processor>> processors;
  processors.push_back(std::make_unique<AppendDelimiterProcessor>());
  processors.push_back(std::make_unique<CloudWatchLogProcessor>());
  processors.push_back(std::move(probe));
  processors.push_back(std::make_unique<DecompressionProcessor>());
  Chain chain(std::move(processors));

  const std::string control = Gzip(R"({"messageType":"CONTROL_MESSAGE","logEvents":[]})");
  std::vector<Record> batch;
  batch.push_back(MakeRecord(1, Gzip(CloudWatchDataMessage({"first", "second"}))));
  batch.push_back(MakeRecord(2, control));
  batch.push_back(MakeRecord(3, "not gzip"));
  batch.push_back(MakeRecord(4, Gzip(CloudWatchDataMessage({"third"}))));
  auto out = chain.Process(std::move(batch));
  ASSERT_TRUE(out);
  EXPECT_THAT(ResultsOf(*out),
              ElementsAre(ProcessResult::kOk, ProcessResult::kOk, ProcessResult::kDropped,
                          ProcessResult::kProcessingFailed, ProcessResult::kOk));
  EXPECT_THAT(DataOf(*out), ElementsAre("first\n", "second\n", "", "not gzip", "third\n"));
  EXPECT_EQ((*out)[3].error_output_type, "decompression-failed");
  EXPECT_EQ((*out)[0].sub_index, 0u);
  EXPECT_EQ((*out)[1].sub_index, 1u);
  // Split records reach the Lambda stage with distinct ids.
  EXPECT_THAT(probe_view->ids, ElementsAre("1.0", "1.1", "4.0"));
}

TEST(ChainTest, EmptyChainPassesRecordsThrough) {
  Chain chain({});
  std::vector<Record> batch;
  batch.push_back(MakeRecord(5, "x"));
  auto out = chain.Process(std::move(batch));
  ASSERT_TRUE(out);
  EXPECT_THAT(DataOf(*out), ElementsAre("x"));
  EXPECT_EQ((*out)[0].seq, 5u);
}

TEST(ChainTest, OutcomesComeBackInBatchOrderWhenSomeRecordsFailEarly) {
  std::vector<std::unique_ptr<Processor>> processors;
  processors.push_back(std::make_unique<DecompressionProcessor>());
  processors.push_back(std::make_unique<ProbeProcessor>());
  Chain chain(std::move(processors));
  std::vector<Record> batch;
  batch.push_back(MakeRecord(1, Gzip("a")));
  batch.push_back(MakeRecord(2, "not gzip"));  // fails in the first processor, before the others
  batch.push_back(MakeRecord(3, Gzip("b")));
  auto out = chain.Process(std::move(batch));
  ASSERT_TRUE(out);
  ASSERT_EQ(out->size(), 3u);
  EXPECT_EQ((*out)[0].seq, 1u);
  EXPECT_EQ((*out)[1].seq, 2u);
  EXPECT_EQ((*out)[1].result, ProcessResult::kProcessingFailed);
  EXPECT_EQ((*out)[2].seq, 3u);
}

TEST(ChainTest, ABatchErrorFailsTheWholeBatch) {
  auto probe = std::make_unique<ProbeProcessor>();
  probe->fail = true;
  std::vector<std::unique_ptr<Processor>> processors;
  processors.push_back(std::move(probe));
  Chain chain(std::move(processors));
  std::vector<Record> batch;
  batch.push_back(MakeRecord(1, "x"));
  auto out = chain.Process(std::move(batch));
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace sluice::processors
