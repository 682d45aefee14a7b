#include "lambda/invoke_client.h"

#include <gtest/gtest.h>

#include "sinks/s3/fake_transport.h"

namespace sluice::lambda {
namespace {

using processors::LambdaInvokeResult;
using sinks::s3::FakeTransport;
using sinks::s3::HttpResponse;
using sinks::s3::SentRequest;

constexpr std::string_view kArn = "arn:aws:lambda:us-east-1:123456789012:function:upper:live";

class InvokeClientTest : public ::testing::Test {
 protected:
  processors::LambdaInvoker Invoker(FakeTransport::Script script) {
    return MakeInvoker({"http://127.0.0.1:3002", "us-east-1", {"AKID", "SECRET", ""}},
                       std::make_shared<FakeTransport>(sent_, std::move(script)), clock_);
  }
  static HttpResponse Answer(int status, std::string body, std::vector<sinks::s3::HttpHeader> headers = {}) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    return response;
  }
  ManualClock clock_{1'700'000'000'000};
  std::vector<SentRequest> sent_;
};

TEST_F(InvokeClientTest, PostsASignedInvocationAndReturnsTheAnswer) {
  auto invoke = Invoker([](const SentRequest&) { return Answer(200, R"({"records":[]})"); });
  const LambdaInvokeResult result = invoke(std::string(kArn), R"({"records":[]})");
  EXPECT_EQ(result.status, LambdaInvokeResult::Status::kOk);
  EXPECT_EQ(result.payload, R"({"records":[]})");
  ASSERT_EQ(sent_.size(), 1u);
  const auto& request = sent_[0].request;
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "http://127.0.0.1:3002/2015-03-31/functions/upper/invocations?Qualifier=live");
  EXPECT_EQ(sent_[0].body, R"({"records":[]})");
  std::string authorization;
  for (const auto& header : request.headers) {
    if (header.name == "authorization") authorization = header.value;
  }
  EXPECT_TRUE(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKID/20231114/us-east-1/lambda/aws4_request"))
      << authorization;
}

TEST_F(InvokeClientTest, ClassifiesFailuresTheWayTheProcessorRetriesThem) {
  struct Case {
    HttpResponse answer;
    LambdaInvokeResult::Status status;
    std::string_view code;
  };
  const Case cases[] = {
      {Answer(200, R"({"errorMessage":"boom"})", {{"X-Amz-Function-Error", "Unhandled"}}),
       LambdaInvokeResult::Status::kFunctionError, "Lambda.FunctionError"},
      {Answer(0, ""), LambdaInvokeResult::Status::kRetryableError, "Lambda.InvokeTimeout"},
      {Answer(429, R"({"message":"Rate exceeded"})"), LambdaInvokeResult::Status::kRetryableError,
       "Lambda.TooManyRequestsException"},
      {Answer(503, ""), LambdaInvokeResult::Status::kRetryableError, "Lambda.ServiceException"},
      {Answer(403, R"({"Message":"not allowed"})"), LambdaInvokeResult::Status::kPermanentError,
       "Lambda.InvokeAccessDenied"},
      {Answer(404, R"({"Message":"Function not found"})"), LambdaInvokeResult::Status::kPermanentError,
       "Lambda.FunctionNotFound"},
  };
  for (const auto& c : cases) {
    auto invoke = Invoker([&](const SentRequest&) { return c.answer; });
    const auto result = invoke(std::string(kArn), "{}");
    EXPECT_EQ(result.status, c.status) << c.code;
    EXPECT_EQ(result.error_code, c.code);
    EXPECT_NE(result.error_message.find(kArn), std::string::npos) << result.error_message;
  }
}

TEST_F(InvokeClientTest, ParsesFunctionArnsAndRefusesOthers) {
  EXPECT_EQ(ParseFunction("arn:aws:lambda:us-east-1:123456789012:function:f")->name, "f");
  EXPECT_EQ(ParseFunction("arn:aws:lambda:us-east-1:123456789012:function:f:3")->qualifier, "3");
  EXPECT_EQ(ParseFunction("plain-name")->name, "plain-name");
  EXPECT_FALSE(ParseFunction("arn:aws:s3:::bucket"));
  auto invoke = Invoker([](const SentRequest&) { return Answer(200, "{}"); });
  const auto result = invoke("arn:aws:s3:::bucket", "{}");
  EXPECT_EQ(result.status, LambdaInvokeResult::Status::kPermanentError);
  EXPECT_TRUE(sent_.empty());
}

}  // namespace
}  // namespace sluice::lambda
