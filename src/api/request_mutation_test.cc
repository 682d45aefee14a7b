// Robustness: thousands of mutated Firehose requests (byte flips, truncations, spliced JSON
// tokens) sent through the service. Every one must get a well-formed answer with a Firehose
// status; none may crash or hang. Deterministic (fixed seed), so a failure reproduces.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <future>
#include <random>

#include "api/firehose_service.h"
#include "core/random.h"
#include "sinks/bucket/local_bucket_store.h"

namespace sluice::api {
namespace {

namespace fs = std::filesystem;

struct Seed {
  std::string_view operation;
  std::string_view body;
};

constexpr Seed kSeeds[] = {
    {"CreateDeliveryStream",
     R"({"DeliveryStreamName":"s1","DeliveryStreamType":"DirectPut","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/x","BucketARN":"arn:aws:s3:::bkt","Prefix":"p/!{timestamp:yyyy}/","ErrorOutputPrefix":"e/!{firehose:error-output-type}/","BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":60},"CompressionFormat":"GZIP"},"Tags":[{"Key":"k","Value":"v"}]})"},
    {"CreateDeliveryStream",
     R"({"DeliveryStreamName":"s2","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/x","BucketARN":"arn:aws:s3:::bkt","BufferingHints":{"SizeInMBs":64,"IntervalInSeconds":60},"DataFormatConversionConfiguration":{"SchemaConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/g","DatabaseName":"db","TableName":"t"},"InputFormatConfiguration":{"Deserializer":{"OpenXJsonSerDe":{"CaseInsensitive":true,"ColumnToJsonKeyMappings":{"ts":"timestamp"}}}},"OutputFormatConfiguration":{"Serializer":{"OrcSerDe":{"Compression":"ZLIB","BloomFilterColumns":["ts"],"PaddingTolerance":0.5}}}}}})"},
    {"CreateDeliveryStream",
     R"({"DeliveryStreamName":"s3","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/x","BucketARN":"arn:aws:s3:::bkt","Prefix":"c=!{partitionKeyFromQuery:c}/","ErrorOutputPrefix":"e/!{firehose:error-output-type}/","BufferingHints":{"SizeInMBs":64,"IntervalInSeconds":60},"DynamicPartitioningConfiguration":{"Enabled":true,"RetryOptions":{"DurationInSeconds":300}},"ProcessingConfiguration":{"Enabled":true,"Processors":[{"Type":"MetadataExtraction","Parameters":[{"ParameterName":"MetadataExtractionQuery","ParameterValue":"{c:.customer.id, y:.ts|strftime("%Y")}"},{"ParameterName":"JsonParsingEngine","ParameterValue":"JQ-1.6"}]}]}}})"},
    {"PutRecord", R"({"DeliveryStreamName":"s1","Record":{"Data":"aGVsbG8gZmlyZWhvc2UK"}})"},
    {"PutRecordBatch", R"({"DeliveryStreamName":"s1","Records":[{"Data":"eyJhIjoxfQo="},{"Data":"w6k="}]})"},
    {"UpdateDestination",
     R"({"DeliveryStreamName":"s1","CurrentDeliveryStreamVersionId":"1","DestinationId":"destinationId-000000000001","ExtendedS3DestinationUpdate":{"BufferingHints":{"SizeInMBs":64,"IntervalInSeconds":0},"Prefix":"q/"}})"},
    {"ListDeliveryStreams", R"({"Limit":2,"ExclusiveStartDeliveryStreamName":"a","DeliveryStreamType":"DirectPut"})"},
    {"DescribeDeliveryStream", R"({"DeliveryStreamName":"s1","Limit":1})"},
    {"TagDeliveryStream", R"({"DeliveryStreamName":"s1","Tags":[{"Key":"a","Value":"b"}]})"},
    {"UntagDeliveryStream", R"({"DeliveryStreamName":"s1","TagKeys":["a"]})"},
    {"ListTagsForDeliveryStream", R"({"DeliveryStreamName":"s1","Limit":1,"ExclusiveStartTagKey":"a"})"},
    {"DeleteDeliveryStream", R"({"DeliveryStreamName":"s1"})"},
};

constexpr std::string_view kTokens[] = {"{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1",
                                        "1e309", "0", "\"\"", "\\u0000", "\xff", "9223372036854775808",
                                        "{\"Data\":\"\"}", "\"!{", "!{timestamp:", "}}}}", "[[[["};

std::string Mutate(std::string body, std::mt19937& random) {
  const int edits = 1 + static_cast<int>(random() % 4);
  for (int i = 0; i < edits && !body.empty(); ++i) {
    const size_t at = random() % body.size();
    switch (random() % 4) {
      case 0: body[at] = static_cast<char>(random()); break;
      case 1: body.resize(at); break;
      case 2: body.insert(at, kTokens[random() % std::size(kTokens)]); break;
      case 3: body.erase(at, 1 + random() % 8); break;
    }
  }
  return body;
}

TEST(RequestMutationTest, EveryMutatedRequestGetsAWellFormedAnswer) {
  const fs::path dir = fs::temp_directory_path() / ("sluice-mutation-" + RandomAlnum(10));
  {
    ManualClock clock(1'700'000'000'000);
    sinks::LocalBucketStore store(dir / "buckets");
    streams::RegistryOptions options;
    options.data_dir = dir;
    options.context.clock = &clock;
    options.context.sink = &store;
    options.context.wal.durability = wal::Durability::kOs;  // speed: durability is not under test
    auto registry = std::move(*streams::Registry::Open(std::move(options)));
    FirehoseService service(*registry, clock);
    std::mt19937 random(20261130);
    simdjson::dom::parser parser;
    int ok = 0;
    for (int i = 0; i < 6000; ++i) {
      const Seed& seed = kSeeds[random() % std::size(kSeeds)];
      HttpRequest request;
      request.method = "POST";
      request.headers.emplace_back("x-amz-target", "Firehose_20150804." + std::string(seed.operation));
      // One request in four is sent unchanged, so that streams exist for the others to hit.
      request.body = random() % 4 == 0 ? std::string(seed.body) : Mutate(std::string(seed.body), random);
      const std::string sent = request.body;
      std::promise<HttpResponse> answer;
      service.Handle(std::move(request), [&](HttpResponse response) { answer.set_value(std::move(response)); });
      auto future = answer.get_future();
      ASSERT_EQ(future.wait_for(std::chrono::seconds(10)), std::future_status::ready) << sent;
      const HttpResponse response = future.get();
      ASSERT_TRUE(response.status == 200 || response.status == 400) << response.status << " for " << sent;
      simdjson::dom::element body;
      ASSERT_EQ(parser.parse(response.body).get(body), simdjson::SUCCESS) << response.body;
      if (response.status == 200) {
        ++ok;
      } else {
        std::string_view message;
        ASSERT_EQ(body["message"].get_string().get(message), simdjson::SUCCESS) << response.body;
        EXPECT_FALSE(message.empty()) << sent;
      }
    }
    EXPECT_GT(ok, 500);  // the mix reaches the operations, not only the parsers
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sluice::api
