#include "processors/lambda_contract.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "core/base64.h"
#include "processors/processors_test_util.h"

namespace sluice::processors {
namespace {

using testing::DataOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeRecord;
using testing::ResultsOf;

std::vector<Record> Batch() {
  std::vector<Record> batch;
  batch.push_back(MakeRecord(7, "hello", 1507217624302));
  batch.push_back(MakeRecord(8, std::string("\0\x01\xFE", 3), 1507217624303));
  batch.push_back(MakeRecord(9, "", 1507217624304));
  batch[2].sub_index = 2;
  return batch;
}

TEST(LambdaContractTest, BuildsTheFirehoseInvocationEvent) {
  const std::vector<Record> batch = Batch();
  auto request = BuildLambdaRequest(
      {"2b4d1ad9-2f48-94bd-a088-767c317e994a",
       "arn:aws:firehose:us-east-2:123456789012:deliverystream/delivery-stream-name", "us-east-2"},
      batch);
  ASSERT_TRUE(request);
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(*request);
  EXPECT_EQ(std::string_view(root["invocationId"]), "2b4d1ad9-2f48-94bd-a088-767c317e994a");
  EXPECT_EQ(std::string_view(root["deliveryStreamArn"]),
            "arn:aws:firehose:us-east-2:123456789012:deliverystream/delivery-stream-name");
  EXPECT_EQ(std::string_view(root["region"]), "us-east-2");
  simdjson::dom::array records = root["records"];
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(std::string_view(records.at(0)["recordId"]), "7.0");
  EXPECT_EQ(int64_t(records.at(0)["approximateArrivalTimestamp"]), 1507217624302);
  EXPECT_EQ(std::string_view(records.at(0)["data"]), "aGVsbG8=");
  EXPECT_EQ(std::string_view(records.at(1)["data"]), Base64Encode(std::string("\0\x01\xFE", 3)));
  EXPECT_EQ(std::string_view(records.at(2)["recordId"]), "9.2");
  EXPECT_EQ(std::string_view(records.at(2)["data"]), "");
}

TEST(LambdaContractTest, RefusesDuplicateIdsAndOversizedRequests) {
  std::vector<Record> batch = Batch();
  batch[1].seq = 7;
  EXPECT_THAT(BuildLambdaRequest({}, batch).error().message, HasSubstr("recordId 7.0 twice"));

  std::vector<Record> big;
  big.push_back(MakeRecord(1, std::string(kMaxLambdaPayloadBytes / 4 * 3, 'x')));
  auto request = BuildLambdaRequest({}, big);
  ASSERT_FALSE(request);
  EXPECT_EQ(request.error().code, ErrorCode::kLimitExceeded);
}

TEST(LambdaContractTest, AppliesOkDroppedAndProcessingFailed) {
  const std::vector<Record> batch = Batch();
  const std::string response = R"({"records":[
    {"recordId":"9.2","result":"ProcessingFailed","data":""},
    {"recordId":"7.0","result":"Ok","data":"SEVMTE8=",
     "metadata":{"partitionKeys":{"customerId":"42","year":"2024"}}},
    {"recordId":"8.0","result":"Dropped"}]})";
  auto out = ApplyLambdaResponse(batch, response);
  EXPECT_THAT(ResultsOf(out), ElementsAre(ProcessResult::kOk, ProcessResult::kDropped,
                                          ProcessResult::kProcessingFailed));
  EXPECT_EQ(out[0].data, "HELLO");
  EXPECT_EQ(out[0].seq, 7u);
  EXPECT_EQ(out[0].arrival_ms, 1507217624302);
  EXPECT_EQ(out[0].partition_keys, (PartitionKeys{{"customerId", "42"}, {"year", "2024"}}));
  EXPECT_EQ(out[2].error_code, "Lambda.ProcessingFailedStatus");
  EXPECT_EQ(out[2].error_output_type, "processing-failed");
  EXPECT_EQ(out[2].data, "");  // the record as sent
}

TEST(LambdaContractTest, LambdaPartitionKeysOverrideEarlierOnes) {
  std::vector<Record> batch;
  batch.push_back(MakeRecord(1, "a"));
  batch[0].partition_keys = {{"k", "old"}, {"keep", "1"}};
  auto out = ApplyLambdaResponse(
      batch,
      R"({"records":[{"recordId":"1.0","result":"Ok","data":"YQ==","metadata":{"partitionKeys":{"k":"new"}}}]})");
  EXPECT_EQ(out[0].partition_keys, (PartitionKeys{{"k", "new"}, {"keep", "1"}}));
  // metadata without partitionKeys, and null metadata, are fine
  EXPECT_EQ(
      ApplyLambdaResponse(
          batch, R"({"records":[{"recordId":"1.0","result":"Ok","data":"YQ==","metadata":{}}]})")[0]
          .result,
      ProcessResult::kOk);
  EXPECT_EQ(
      ApplyLambdaResponse(
          batch,
          R"({"records":[{"recordId":"1.0","result":"Ok","data":"YQ==","metadata":null}]})")[0]
          .result,
      ProcessResult::kOk);
}

struct BadResponse {
  std::string name;
  std::string response;
  std::string code;
  std::string message_part;
};

// Test listings show the case by name (else gtest prints the struct's bytes).
void PrintTo(const BadResponse& c, std::ostream* os) { *os << c.name; }

class LambdaBadResponseTest : public ::testing::TestWithParam<BadResponse> {};

TEST_P(LambdaBadResponseTest, FailsEveryRecordWithFirehosesCode) {
  const std::vector<Record> batch = Batch();
  auto out = ApplyLambdaResponse(batch, GetParam().response);
  ASSERT_EQ(out.size(), batch.size());
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i].result, ProcessResult::kProcessingFailed);
    EXPECT_EQ(out[i].error_code, GetParam().code);
    EXPECT_THAT(out[i].error_message, HasSubstr(GetParam().message_part));
    EXPECT_EQ(out[i].data, batch[i].data);
    EXPECT_EQ(out[i].seq, batch[i].seq);
  }
}

const std::string kOthersOk =
    R"({"recordId":"8.0","result":"Dropped"},{"recordId":"9.2","result":"Dropped"})";

INSTANTIATE_TEST_SUITE_P(
    Contract, LambdaBadResponseTest,
    ::testing::Values(
        BadResponse{"NotJson", "{records:", "Lambda.JsonProcessingException", "not JSON"},
        BadResponse{"NoRecords", R"({"Records":[]})", "Lambda.JsonProcessingException",
                    "no array field records"},
        BadResponse{"RecordNotObject", R"({"records":["7.0"]})", "Lambda.JsonProcessingException",
                    "records[0] is not an object"},
        BadResponse{"NoRecordId", R"({"records":[{"result":"Ok","data":""}]})",
                    "Lambda.JsonProcessingException", "records[0] has no string recordId"},
        BadResponse{"NumericRecordId", R"({"records":[{"recordId":7,"result":"Ok","data":""}]})",
                    "Lambda.JsonProcessingException", "no string recordId"},
        BadResponse{"NoResult", R"({"records":[{"recordId":"7.0","data":""}]})",
                    "Lambda.JsonProcessingException", "records[0] has no string result"},
        BadResponse{"InvalidResult",
                    R"({"records":[{"recordId":"7.0","result":"OK","data":""},)" + kOthersOk + "]}",
                    "Lambda.JsonProcessingException",
                    "result \"OK\" is not Ok, Dropped or ProcessingFailed"},
        BadResponse{"OkWithoutData",
                    R"({"records":[{"recordId":"7.0","result":"Ok"},)" + kOthersOk + "]}",
                    "Lambda.JsonProcessingException", "has result Ok but no string data"},
        BadResponse{
            "InvalidBase64",
            R"({"records":[{"recordId":"7.0","result":"Ok","data":"aGVsbG8"},)" + kOthersOk + "]}",
            "Lambda.JsonProcessingException", "records[0] data is not valid base64"},
        BadResponse{
            "PartitionKeysNotObject",
            R"({"records":[{"recordId":"7.0","result":"Ok","data":"","metadata":{"partitionKeys":[1]}},)" +
                kOthersOk + "]}",
            "Lambda.JsonProcessingException", "metadata.partitionKeys is not an object"},
        BadResponse{
            "PartitionKeyNotString",
            R"({"records":[{"recordId":"7.0","result":"Ok","data":"","metadata":{"partitionKeys":{"y":2024}}}]})",
            "Lambda.JsonProcessingException", "metadata.partitionKeys.y is not a string"},
        BadResponse{
            "MissingRecordId",
            R"({"records":[{"recordId":"7.0","result":"Dropped"},{"recordId":"9.2","result":"Dropped"}]})",
            "Lambda.MissingRecordId", "did not return recordId \"8.0\" (2 of 3 returned)"},
        BadResponse{"UnknownRecordId",
                    R"({"records":[{"recordId":"7.1","result":"Dropped"},)" + kOthersOk + "]}",
                    "Lambda.MissingRecordId",
                    "returned recordId \"7.1\", which was not in the request"},
        BadResponse{
            "DuplicatedRecordId",
            R"({"records":[{"recordId":"7.0","result":"Dropped"},{"recordId":"7.0","result":"Dropped"},)" +
                kOthersOk + "]}",
            "Lambda.DuplicatedRecordId", "returned recordId \"7.0\" more than once"},
        BadResponse{"OverSixMegabytes",
                    R"({"records":[{"recordId":"7.0","result":"Ok","data":")" +
                        std::string(kMaxLambdaPayloadBytes, 'A') + R"("},)" + kOthersOk + "]}",
                    "Lambda.FunctionError", "over the 6291456-byte limit"}),
    [](const ::testing::TestParamInfo<BadResponse>& param_info) { return param_info.param.name; });

TEST(LambdaContractTest, FailLambdaBatchFailsEveryRecord) {
  const std::vector<Record> batch = Batch();
  auto out = FailLambdaBatch(batch, "Lambda.InvokeAccessDenied", "denied");
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].error_code, "Lambda.InvokeAccessDenied");
  EXPECT_EQ(out[1].error_message, "denied");
  EXPECT_EQ(out[1].data, batch[1].data);
}

}  // namespace
}  // namespace sluice::processors
