#include "processors/lambda_processor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "core/base64.h"
#include "core/json_writer.h"
#include "processors/processors_test_util.h"

namespace sluice::processors {
namespace {

using testing::DataOf;
using ::testing::ElementsAre;
using testing::MakeRecord;
using testing::ResultsOf;
using Status = LambdaInvokeResult::Status;

// A transformation function under the Firehose contract: upper-cases data, drops records whose
// data is "drop" and fails those whose data is "fail". Records every call.
class FakeFunction {
 public:
  LambdaInvokeResult operator()(const std::string& arn, const std::string& payload) {
    arns.push_back(arn);
    payloads.push_back(payload);
    if (!scripted.empty()) {
      LambdaInvokeResult next = scripted.front();
      scripted.erase(scripted.begin());
      if (next.status != Status::kOk || !next.payload.empty()) return next;
    }
    simdjson::dom::parser parser;
    simdjson::dom::element event = parser.parse(payload);
    JsonWriter json;
    json.BeginObject().Key("records").BeginArray();
    for (simdjson::dom::element record : event["records"].get_array()) {
      std::string data;
      Base64DecodeAppend(std::string_view(record["data"]), data);
      json.BeginObject().Key("recordId").String(std::string_view(record["recordId"]));
      if (data == "drop") {
        json.Key("result").String("Dropped");
      } else if (data == "fail") {
        json.Key("result").String("ProcessingFailed");
      } else {
        for (char& c : data) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        json.Key("result").String("Ok").Key("data").String(Base64Encode(data));
      }
      json.EndObject();
    }
    json.EndArray().EndObject();
    return {Status::kOk, json.Take(), "", ""};
  }

  std::vector<LambdaInvokeResult> scripted;  // answers given before the real function's
  std::vector<std::string> arns;
  std::vector<std::string> payloads;
};

constexpr std::string_view kArn = "arn:aws:lambda:us-east-1:123456789012:function:upper";

LambdaSettings Settings(int retries = 3, size_t buffer_bytes = 1024 * 1024) {
  LambdaSettings settings;
  settings.function_arn = std::string(kArn);
  settings.number_of_retries = retries;
  settings.buffer_size_bytes = buffer_bytes;
  return settings;
}

std::vector<Record> Batch(std::vector<std::string> data) {
  std::vector<Record> batch;
  uint64_t seq = 100;
  for (std::string& d : data) batch.push_back(MakeRecord(seq++, std::move(d)));
  return batch;
}

TEST(LambdaProcessorTest, TransformsDropsAndFailsPerTheFunctionsAnswer) {
  FakeFunction function;
  LambdaProcessor processor(Settings(), "arn:aws:firehose:us-east-1:123456789012:deliverystream/s",
                            "us-east-1", std::ref(function));
  auto out = processor.Process(Batch({"abc", "drop", "fail", "xyz"}));
  ASSERT_TRUE(out);
  EXPECT_THAT(ResultsOf(*out), ElementsAre(ProcessResult::kOk, ProcessResult::kDropped,
                                           ProcessResult::kProcessingFailed, ProcessResult::kOk));
  EXPECT_EQ((*out)[0].data, "ABC");
  EXPECT_EQ((*out)[2].data, "fail");
  EXPECT_EQ((*out)[2].error_code, "Lambda.ProcessingFailedStatus");
  EXPECT_EQ((*out)[3].data, "XYZ");
  ASSERT_EQ(function.payloads.size(), 1u);
  EXPECT_EQ(function.arns[0], kArn);
  simdjson::dom::parser parser;
  simdjson::dom::element event = parser.parse(function.payloads[0]);
  EXPECT_EQ(std::string_view(event["region"]), "us-east-1");
  EXPECT_EQ(std::string_view(event["deliveryStreamArn"]),
            "arn:aws:firehose:us-east-1:123456789012:deliverystream/s");
  EXPECT_EQ(std::string_view(event["invocationId"]).size(), 36u);
}

TEST(LambdaProcessorTest, SplitsInvocationsAtTheBufferSize) {
  FakeFunction function;
  LambdaProcessor processor(Settings(3, 10), "", "us-east-1", std::ref(function));
  auto out = processor.Process(Batch({"aaaa", "bbbb", "cccc", std::string(20, 'd'), "e"}));
  ASSERT_TRUE(out);
  EXPECT_THAT(DataOf(*out), ElementsAre("AAAA", "BBBB", "CCCC", std::string(20, 'D'), "E"));
  EXPECT_EQ(function.payloads.size(), 4u);  // [aaaa bbbb] [cccc] [d*20 alone, over the size] [e]
}

TEST(LambdaProcessorTest, RetriesFailedInvocationsWithAFreshInvocationId) {
  FakeFunction function;
  function.scripted = {{Status::kRetryableError, "", "Lambda.InvokeLimitExceeded", "throttled"},
                       {Status::kFunctionError, "", "", "Unhandled"}};
  LambdaProcessor processor(Settings(2), "", "us-east-1", std::ref(function));
  auto out = processor.Process(Batch({"abc"}));
  ASSERT_TRUE(out);
  EXPECT_THAT(DataOf(*out), ElementsAre("ABC"));
  ASSERT_EQ(function.payloads.size(), 3u);
  simdjson::dom::parser parser;
  std::string first(std::string_view(parser.parse(function.payloads[0])["invocationId"]));
  std::string third(std::string_view(parser.parse(function.payloads[2])["invocationId"]));
  EXPECT_NE(first, third);
}

TEST(LambdaProcessorTest, FailsTheBatchWhenRetriesRunOut) {
  FakeFunction function;
  function.scripted.assign(
      3, {Status::kRetryableError, "", "Lambda.InvokeLimitExceeded", "throttled"});
  LambdaProcessor processor(Settings(2), "", "us-east-1", std::ref(function));
  auto out = processor.Process(Batch({"a", "b"}));
  ASSERT_TRUE(out);
  EXPECT_EQ(function.payloads.size(), 3u);
  EXPECT_THAT(ResultsOf(*out),
              ElementsAre(ProcessResult::kProcessingFailed, ProcessResult::kProcessingFailed));
  EXPECT_EQ((*out)[0].error_code, "Lambda.InvokeLimitExceeded");
  EXPECT_EQ((*out)[0].error_message, "throttled");
}

TEST(LambdaProcessorTest, FunctionErrorsWithoutACodeUseLambdaFunctionError) {
  FakeFunction function;
  function.scripted.assign(1, {Status::kFunctionError, "", "", "Unhandled"});
  LambdaProcessor processor(Settings(0), "", "us-east-1", std::ref(function));
  auto out = processor.Process(Batch({"a"}));
  ASSERT_TRUE(out);
  EXPECT_EQ((*out)[0].error_code, "Lambda.FunctionError");
}

TEST(LambdaProcessorTest, DoesNotRetryPermanentErrors) {
  FakeFunction function;
  function.scripted.assign(
      1, {Status::kPermanentError, "", "Lambda.ResourceNotFound", "no such function"});
  LambdaProcessor processor(Settings(3), "", "us-east-1", std::ref(function));
  auto out = processor.Process(Batch({"a"}));
  ASSERT_TRUE(out);
  EXPECT_EQ(function.payloads.size(), 1u);
  EXPECT_EQ((*out)[0].error_code, "Lambda.ResourceNotFound");
}

TEST(LambdaProcessorTest, ContractViolationsAreNotRetried) {
  FakeFunction function;
  function.scripted.assign(1, {Status::kOk, R"({"records":[]})", "", ""});
  LambdaProcessor processor(Settings(3), "", "us-east-1", std::ref(function));
  auto out = processor.Process(Batch({"a"}));
  ASSERT_TRUE(out);
  EXPECT_EQ(function.payloads.size(), 1u);
  EXPECT_EQ((*out)[0].error_code, "Lambda.MissingRecordId");
}

}  // namespace
}  // namespace sluice::processors
