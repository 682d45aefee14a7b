#include "api/firehose_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "core/base64.h"
#include "core/random.h"
#include "sinks/bucket/local_bucket_store.h"

#ifndef SLUICE_FIXTURES_DIR
#error "SLUICE_FIXTURES_DIR must name ../shared/fixtures"
#endif

namespace sluice::api {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr std::string_view kCreateS1 =
    R"({"DeliveryStreamName":"s1","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::bkt","BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":900}}})";

class FirehoseServiceTest : public ::testing::Test {
 protected:
  FirehoseServiceTest()
      : dir_(fs::temp_directory_path() / ("sluice-api-" + RandomAlnum(10))),
        clock_(1'700'000'000'500),
        store_(dir_ / "buckets") {
    streams::RegistryOptions options;
    options.data_dir = dir_;
    options.account_id = "123456789012";
    options.context.clock = &clock_;
    options.context.sink = &store_;
    registry_ = std::move(*streams::Registry::Open(std::move(options)));
    service_ = std::make_unique<FirehoseService>(*registry_, clock_);
  }
  ~FirehoseServiceTest() override {
    service_.reset();
    registry_.reset();
    fs::remove_all(dir_);
  }

  HttpResponse Call(std::string_view operation, std::string body) {
    HttpRequest request;
    request.method = "POST";
    request.target = "/";
    if (!operation.empty()) {
      request.headers.emplace_back("x-amz-target", "Firehose_20150804." + std::string(operation));
    }
    request.body = std::move(body);
    return Send(std::move(request));
  }

  HttpResponse Send(HttpRequest request) {
    std::promise<HttpResponse> answer;
    service_->Handle(std::move(request), [&](HttpResponse response) { answer.set_value(std::move(response)); });
    return answer.get_future().get();
  }

  // Expects an error answer and returns its message.
  std::string ExpectError(const HttpResponse& response, int status, std::string_view type) {
    EXPECT_EQ(response.status, status) << response.body;
    simdjson::dom::parser parser;
    simdjson::dom::element body = parser.parse(response.body).value();
    EXPECT_EQ(std::string_view(body["__type"].get_string().value()), type) << response.body;
    return std::string(body["message"].get_string().value());
  }

  fs::path dir_;
  ManualClock clock_;
  sinks::LocalBucketStore store_;
  std::unique_ptr<streams::Registry> registry_;
  std::unique_ptr<FirehoseService> service_;
};

TEST_F(FirehoseServiceTest, RoutesByTargetAndRefusesUnknownOperations) {
  const auto missing = Call("", "{}");
  EXPECT_THAT(ExpectError(missing, 400, "UnknownOperationException"), HasSubstr("X-Amz-Target"));
  const auto unknown = Call("Frobnicate", "{}");
  EXPECT_THAT(ExpectError(unknown, 400, "UnknownOperationException"), HasSubstr("Frobnicate"));
  HttpRequest get;
  get.method = "GET";
  EXPECT_EQ(Send(std::move(get)).status, 405);
  EXPECT_EQ(Call("ListDeliveryStreams", "{}").body,
            R"({"DeliveryStreamNames":[],"HasMoreDeliveryStreams":false})");
}

TEST_F(FirehoseServiceTest, ServesHealthAndPrometheusMetricsPerStream) {
  HttpRequest health;
  health.method = "GET";
  health.target = "/healthz";
  EXPECT_EQ(Send(std::move(health)).body, "ok\n");
  ASSERT_EQ(Call("CreateDeliveryStream", std::string(kCreateS1)).status, 200);
  ASSERT_EQ(Call("PutRecordBatch", R"({"DeliveryStreamName":"s1","Records":[{"Data":"YWJj"},{"Data":"ZA=="}]})").status,
            200);
  HttpRequest metrics;
  metrics.method = "GET";
  metrics.target = "/metrics";
  const HttpResponse response = Send(std::move(metrics));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4");
  EXPECT_THAT(response.body, HasSubstr("# TYPE sluice_incoming_records_total counter\n"));
  EXPECT_THAT(response.body, HasSubstr("sluice_incoming_records_total{stream=\"s1\"} 2\n"));
  EXPECT_THAT(response.body, HasSubstr("sluice_incoming_bytes_total{stream=\"s1\"} 4\n"));
  EXPECT_THAT(response.body, HasSubstr("sluice_delivery_to_s3_success_total{stream=\"s1\"} 0\n"));
}

TEST_F(FirehoseServiceTest, MalformedBodiesAreSerializationErrors) {
  EXPECT_THAT(ExpectError(Call("ListDeliveryStreams", "{\"Limit\":"), 400, "SerializationException"),
              HasSubstr("not valid JSON"));
  EXPECT_THAT(ExpectError(Call("ListDeliveryStreams", "[1]"), 400, "SerializationException"),
              HasSubstr("JSON object"));
  EXPECT_THAT(ExpectError(Call("ListDeliveryStreams", R"({"Limit":"10"})"), 400, "InvalidArgumentException"),
              HasSubstr("Limit"));
  EXPECT_THAT(ExpectError(Call("ListDeliveryStreams", R"({"Bogus":1})"), 400, "InvalidArgumentException"),
              HasSubstr("unknown member Bogus"));
  EXPECT_THAT(ExpectError(Call("ListDeliveryStreams", R"({"Limit":0})"), 400, "InvalidArgumentException"),
              HasSubstr("Limit"));
}

TEST_F(FirehoseServiceTest, CreateDescribeAndDuplicate) {
  const auto created = Call("CreateDeliveryStream", std::string(kCreateS1));
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.body, R"({"DeliveryStreamARN":"arn:aws:firehose:us-east-1:123456789012:deliverystream/s1"})");
  EXPECT_THAT(ExpectError(Call("CreateDeliveryStream", std::string(kCreateS1)), 400, "ResourceInUseException"),
              HasSubstr("s1"));
  const auto described = Call("DescribeDeliveryStream", R"({"DeliveryStreamName":"s1"})");
  ASSERT_EQ(described.status, 200);
  EXPECT_THAT(described.body, HasSubstr(R"("DeliveryStreamStatus":"ACTIVE")"));
  EXPECT_THAT(described.body, HasSubstr(R"("VersionId":"1")"));
  EXPECT_THAT(described.body, HasSubstr(R"("CreateTimestamp":1700000000.5)"));
  EXPECT_THAT(described.body, HasSubstr(R"("DestinationId":"destinationId-000000000001")"));
  EXPECT_THAT(described.body, HasSubstr("ExtendedS3DestinationDescription"));
  EXPECT_THAT(described.body, HasSubstr("S3DestinationDescription"));
  EXPECT_THAT(ExpectError(Call("DescribeDeliveryStream", R"({"DeliveryStreamName":"nope"})"), 400,
                          "ResourceNotFoundException"),
              HasSubstr("Firehose nope under account 123456789012 not found."));
}

TEST_F(FirehoseServiceTest, ProcessingConfigurationIsAcceptedDescribedOrRefusedByName) {
  const std::string with_delimiter =
      R"({"DeliveryStreamName":"p1","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::bkt","ProcessingConfiguration":{"Enabled":true,"Processors":[{"Type":"AppendDelimiterToRecord","Parameters":[{"ParameterName":"Delimiter","ParameterValue":"\\n"}]}]}}})";
  ASSERT_EQ(Call("CreateDeliveryStream", with_delimiter).status, 200);
  EXPECT_THAT(Call("DescribeDeliveryStream", R"({"DeliveryStreamName":"p1"})").body,
              HasSubstr(R"("ProcessingConfiguration":{"Enabled":true,"Processors":[{"Type":"AppendDelimiterToRecord","Parameters":[{"ParameterName":"Delimiter","ParameterValue":"\\n"}]}]})"));
  const std::string with_lambda =
      R"({"DeliveryStreamName":"p2","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::bkt","ProcessingConfiguration":{"Enabled":true,"Processors":[{"Type":"Lambda","Parameters":[{"ParameterName":"LambdaArn","ParameterValue":"arn:aws:lambda:us-east-1:123456789012:function:f"}]}]}}})";
  EXPECT_THAT(ExpectError(Call("CreateDeliveryStream", with_lambda), 400, "InvalidArgumentException"),
              HasSubstr("Lambda"));
  EXPECT_FALSE(registry_->Describe("p2"));
}

TEST_F(FirehoseServiceTest, InvalidCreateChangesNothing) {
  EXPECT_THAT(ExpectError(Call("CreateDeliveryStream", R"({"DeliveryStreamName":"bad name!"})"), 400,
                          "InvalidArgumentException"),
              HasSubstr("DeliveryStreamName"));
  const std::string bad_hints =
      R"({"DeliveryStreamName":"s2","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::bkt","BufferingHints":{"SizeInMBs":129,"IntervalInSeconds":60}}})";
  EXPECT_THAT(ExpectError(Call("CreateDeliveryStream", bad_hints), 400, "InvalidArgumentException"),
              HasSubstr("SizeInMBs"));
  EXPECT_TRUE(registry_->Names().empty());
}

TEST_F(FirehoseServiceTest, PutRecordBatchAnswersPerEntryIdsAfterTheAppend) {
  ASSERT_EQ(Call("CreateDeliveryStream", std::string(kCreateS1)).status, 200);
  const auto put = Call("PutRecordBatch",
                        R"({"DeliveryStreamName":"s1","Records":[{"Data":"YQ=="},{"Data":""},{"Data":"w6k="}]})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_THAT(put.body, HasSubstr(R"({"FailedPutCount":0,"Encrypted":false,"RequestResponses":[{"RecordId":")"));
  EXPECT_THAT(put.body, HasSubstr("0000000000000003\"}]}"));
  // Each id is the stream's creation time and the record's seq, 16 lower-case hex digits each.
  char created[17];
  std::snprintf(created, sizeof created, "%016llx",
                static_cast<unsigned long long>((*registry_->Find("s1"))->meta().create_ms));
  const std::string id = std::string(created) + "00000000000000";
  EXPECT_EQ(put.body, R"({"FailedPutCount":0,"Encrypted":false,"RequestResponses":[{"RecordId":")" + id +
                          R"(01"},{"RecordId":")" + id + R"(02"},{"RecordId":")" + id + R"(03"}]})");
  const auto single = Call("PutRecord", R"({"DeliveryStreamName":"s1","Record":{"Data":"eA=="}})");
  ASSERT_EQ(single.status, 200);
  EXPECT_THAT(single.body, HasSubstr("0000000000000004\",\"Encrypted\":false}"));
  EXPECT_EQ((*registry_->Find("s1"))->log_stats().appended_records, 4u);
}

TEST_F(FirehoseServiceTest, PutErrorsNameTheRecordAndAppendNothing) {
  ASSERT_EQ(Call("CreateDeliveryStream", std::string(kCreateS1)).status, 200);
  EXPECT_THAT(ExpectError(Call("PutRecord", R"({"DeliveryStreamName":"zz","Record":{"Data":"eA=="}})"), 400,
                          "ResourceNotFoundException"),
              HasSubstr("zz"));
  EXPECT_THAT(ExpectError(Call("PutRecordBatch",
                               R"({"DeliveryStreamName":"s1","Records":[{"Data":"eA=="},{"Data":"e!=="}]})"),
                          400, "InvalidArgumentException"),
              HasSubstr("Records[1].Data is not valid base64"));
  EXPECT_THAT(ExpectError(Call("PutRecord", R"({"DeliveryStreamName":"s1","Record":{}})"), 400,
                          "InvalidArgumentException"),
              HasSubstr("Record.Data is required"));
  EXPECT_THAT(ExpectError(Call("PutRecord", R"({"DeliveryStreamName":"s1"})"), 400, "InvalidArgumentException"),
              HasSubstr("Record"));
  EXPECT_THAT(ExpectError(Call("PutRecordBatch", R"({"DeliveryStreamName":"s1","Records":[]})"), 400,
                          "InvalidArgumentException"),
              HasSubstr("between 1 and 500"));

  const std::string too_big = Base64Encode(std::string(1'024'001, 'x'));
  EXPECT_THAT(ExpectError(Call("PutRecordBatch", R"({"DeliveryStreamName":"s1","Records":[{"Data":"eA=="},{"Data":")" +
                                                     too_big + "\"}]}"),
                          400, "InvalidArgumentException"),
              HasSubstr("'records.2.member.data'"));
  const std::string at_limit = Base64Encode(std::string(1'024'000, 'x'));
  std::string five_mib = R"({"DeliveryStreamName":"s1","Records":[)";
  for (int i = 0; i < 5; ++i) five_mib += std::string(i ? "," : "") + "{\"Data\":\"" + at_limit + "\"}";
  five_mib += "]}";
  EXPECT_THAT(ExpectError(Call("PutRecordBatch", five_mib), 400, "InvalidArgumentException"),
              HasSubstr("4 MB"));
  std::string many = R"({"DeliveryStreamName":"s1","Records":[)";
  for (int i = 0; i < 501; ++i) many += std::string(i ? "," : "") + R"({"Data":"eA=="})";
  many += "]}";
  EXPECT_THAT(ExpectError(Call("PutRecordBatch", many), 400, "InvalidArgumentException"),
              HasSubstr("holds 501 records"));
  EXPECT_EQ((*registry_->Find("s1"))->log_stats().appended_records, 0u);
}

TEST_F(FirehoseServiceTest, QuotaRefusalsComeBackPerEntryInBatches) {
  streams::RegistryOptions options;
  options.data_dir = dir_ / "quota";
  options.context.clock = &clock_;
  options.context.sink = &store_;
  options.context.wal.quota_bytes = 4096;
  auto registry = std::move(*streams::Registry::Open(std::move(options)));
  FirehoseService service(*registry, clock_);
  const auto call = [&](std::string_view operation, std::string body) {
    HttpRequest request;
    request.method = "POST";
    request.headers.emplace_back("x-amz-target", "Firehose_20150804." + std::string(operation));
    request.body = std::move(body);
    std::promise<HttpResponse> answer;
    service.Handle(std::move(request), [&](HttpResponse r) { answer.set_value(std::move(r)); });
    return answer.get_future().get();
  };
  ASSERT_EQ(call("CreateDeliveryStream", std::string(kCreateS1)).status, 200);
  const std::string big = Base64Encode(std::string(8192, 'q'));
  const auto single = call("PutRecord", R"({"DeliveryStreamName":"s1","Record":{"Data":")" + big + "\"}}");
  EXPECT_EQ(ExpectError(single, 503, "ServiceUnavailableException").empty(), false);
  const auto batch = call("PutRecordBatch", R"({"DeliveryStreamName":"s1","Records":[{"Data":"eA=="},{"Data":")" +
                                                big + "\"}]}");
  ASSERT_EQ(batch.status, 200);
  EXPECT_THAT(batch.body, HasSubstr(R"("FailedPutCount":2)"));
  EXPECT_THAT(batch.body, HasSubstr(R"("ErrorCode":"ServiceUnavailableException")"));
}

TEST_F(FirehoseServiceTest, UpdateDestinationEnforcesVersionAndShape) {
  ASSERT_EQ(Call("CreateDeliveryStream", std::string(kCreateS1)).status, 200);
  const std::string update_v1 =
      R"({"DeliveryStreamName":"s1","CurrentDeliveryStreamVersionId":"1","DestinationId":"destinationId-000000000001","ExtendedS3DestinationUpdate":{"Prefix":"x/","CompressionFormat":"GZIP"}})";
  ASSERT_EQ(Call("UpdateDestination", update_v1).status, 200);
  EXPECT_THAT(ExpectError(Call("UpdateDestination", update_v1), 400, "ConcurrentModificationException"),
              HasSubstr("current version 2"));
  const auto described = Call("DescribeDeliveryStream", R"({"DeliveryStreamName":"s1"})");
  EXPECT_THAT(described.body, HasSubstr(R"("VersionId":"2")"));
  EXPECT_THAT(described.body, HasSubstr(R"("CompressionFormat":"GZIP")"));
  EXPECT_THAT(described.body, HasSubstr("LastUpdateTimestamp"));
  EXPECT_THAT(ExpectError(Call("UpdateDestination",
                               R"({"DeliveryStreamName":"s1","CurrentDeliveryStreamVersionId":"2","DestinationId":"destinationId-000000000001"})"),
                          400, "InvalidArgumentException"),
              HasSubstr("exactly one of"));
  EXPECT_THAT(ExpectError(Call("UpdateDestination",
                               R"({"DeliveryStreamName":"s1","CurrentDeliveryStreamVersionId":"2","DestinationId":"destinationId-000000000001","SplunkDestinationUpdate":{}})"),
                          400, "InvalidArgumentException"),
              HasSubstr("SplunkDestinationUpdate is not supported"));
}

TEST_F(FirehoseServiceTest, TagsListInKeyOrderWithPaging) {
  ASSERT_EQ(Call("CreateDeliveryStream", std::string(kCreateS1)).status, 200);
  ASSERT_EQ(Call("TagDeliveryStream",
                 R"({"DeliveryStreamName":"s1","Tags":[{"Key":"b","Value":"2"},{"Key":"a","Value":"1"},{"Key":"c"}]})")
                .status,
            200);
  EXPECT_EQ(Call("ListTagsForDeliveryStream", R"({"DeliveryStreamName":"s1","Limit":2})").body,
            R"({"Tags":[{"Key":"a","Value":"1"},{"Key":"b","Value":"2"}],"HasMoreTags":true})");
  EXPECT_EQ(Call("ListTagsForDeliveryStream", R"({"DeliveryStreamName":"s1","ExclusiveStartTagKey":"b"})").body,
            R"({"Tags":[{"Key":"c","Value":""}],"HasMoreTags":false})");
  ASSERT_EQ(Call("UntagDeliveryStream", R"({"DeliveryStreamName":"s1","TagKeys":["a","zz"]})").status, 200);
  EXPECT_THAT(Call("ListTagsForDeliveryStream", R"({"DeliveryStreamName":"s1"})").body,
              ::testing::Not(HasSubstr(R"("Key":"a")")));
  EXPECT_THAT(ExpectError(Call("TagDeliveryStream", R"({"DeliveryStreamName":"s1","Tags":[{"Key":"aws:x","Value":"1"}]})"),
                          400, "InvalidArgumentException"),
              HasSubstr("aws:"));
}

TEST_F(FirehoseServiceTest, ListPagesByExclusiveStartName) {
  for (const char* name : {"c", "a", "b"}) {
    std::string body(kCreateS1);
    body.replace(body.find("\"s1\""), 4, std::string("\"") + name + "\"");
    ASSERT_EQ(Call("CreateDeliveryStream", body).status, 200);
  }
  EXPECT_EQ(Call("ListDeliveryStreams", R"({"Limit":2})").body,
            R"({"DeliveryStreamNames":["a","b"],"HasMoreDeliveryStreams":true})");
  EXPECT_EQ(Call("ListDeliveryStreams", R"({"ExclusiveStartDeliveryStreamName":"b"})").body,
            R"({"DeliveryStreamNames":["c"],"HasMoreDeliveryStreams":false})");
  EXPECT_EQ(Call("ListDeliveryStreams", R"({"DeliveryStreamType":"KinesisStreamAsSource"})").body,
            R"({"DeliveryStreamNames":[],"HasMoreDeliveryStreams":false})");
  ASSERT_EQ(Call("DeleteDeliveryStream", R"({"DeliveryStreamName":"b"})").status, 200);
  EXPECT_EQ(Call("ListDeliveryStreams", "{}").body,
            R"({"DeliveryStreamNames":["a","c"],"HasMoreDeliveryStreams":false})");
}

// Parses a captured raw HTTP request into an HttpRequest.
HttpRequest ParseCapture(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream contents;
  contents << file.rdbuf();
  const std::string raw = contents.str();
  const size_t header_end = raw.find("\r\n\r\n") != std::string::npos ? raw.find("\r\n\r\n") : raw.find("\n\n");
  const size_t body_start = raw.compare(header_end, 4, "\r\n\r\n") == 0 ? header_end + 4 : header_end + 2;
  HttpRequest request;
  std::istringstream head(raw.substr(0, header_end));
  std::string line;
  std::getline(head, line);
  request.method = line.substr(0, line.find(' '));
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers.emplace_back(name, line.substr(line.find_first_not_of(' ', colon + 1)));
  }
  request.body = raw.substr(body_start);
  return request;
}

TEST_F(FirehoseServiceTest, CapturedRequestsFromRealClientsAreServed) {
  const fs::path captures = fs::path(SLUICE_FIXTURES_DIR) / "client-captures";
  ASSERT_TRUE(fs::exists(captures)) << captures;
  // The creates first, so that the puts find stream s1 (each capture set creates its own).
  const auto create_cli = Send(ParseCapture(captures / "awscli-4-CreateDeliveryStream.http"));
  ASSERT_EQ(create_cli.status, 200) << create_cli.body;
  ASSERT_TRUE(registry_->Delete("s1"));
  const auto create_sdk = Send(ParseCapture(captures / "sdkjs-1-CreateDeliveryStream.http"));
  ASSERT_EQ(create_sdk.status, 200) << create_sdk.body;
  for (const char* file : {"awscli-1-PutRecord.http", "awscli-2-PutRecord.http", "awscli-3-PutRecordBatch.http",
                           "sdkjs-2-PutRecordBatch.http", "sdkjs-3-PutRecord.http"}) {
    const auto response = Send(ParseCapture(captures / file));
    EXPECT_EQ(response.status, 200) << file << ": " << response.body;
    EXPECT_THAT(response.body, HasSubstr("RecordId")) << file;
  }
  const auto missing = Send(ParseCapture(captures / "sdkjs-4-PutRecord-missing-400.http"));
  ExpectError(missing, 400, "ResourceNotFoundException");
}

}  // namespace
}  // namespace sluice::api
