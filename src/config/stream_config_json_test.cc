#include "config/stream_config_json.h"

#include <gtest/gtest.h>

namespace sluice::config {
namespace {

StreamConfig Parse(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element body;
  EXPECT_EQ(parser.parse(simdjson::padded_string(json)).get(body), simdjson::SUCCESS) << json;
  auto config = ParseCreateDeliveryStream(body);
  EXPECT_TRUE(config.has_value()) << config.error().message << "\n" << json;
  return config.value_or(StreamConfig{});
}

std::string Describe(const StreamConfig& config) {
  JsonWriter w;
  w.BeginObject();
  WriteDestinationDescriptions(w, config);
  w.EndObject();
  return w.Take();
}

// The shape real AWS returns for a minimal DirectPut -> Extended S3 stream (firehose.md §1.5).
TEST(StreamConfigJsonTest, DescribesMinimalExtendedDestinationWithDefaults) {
  const StreamConfig config = Parse(
      R"({"DeliveryStreamName":"my-stream","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/firehose_role","BucketARN":"arn:aws:s3:::my-bucket"}})");
  const std::string common =
      R"("RoleARN":"arn:aws:iam::123456789012:role/firehose_role","BucketARN":"arn:aws:s3:::my-bucket",)"
      R"("Prefix":"","BufferingHints":{"SizeInMBs":5,"IntervalInSeconds":300},)"
      R"("CompressionFormat":"UNCOMPRESSED","EncryptionConfiguration":{"NoEncryptionConfig":"NoEncryption"},)"
      R"("CloudWatchLoggingOptions":{"Enabled":false})";
  EXPECT_EQ(Describe(config), "{\"ExtendedS3DestinationDescription\":{" + common +
                                  ",\"S3BackupMode\":\"Disabled\"},\"S3DestinationDescription\":{" +
                                  common + "}}");
}

TEST(StreamConfigJsonTest, DescribesPlainDestinationOnlyAsS3Description) {
  const StreamConfig config = Parse(
      R"({"DeliveryStreamName":"s","S3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::b","ErrorOutputPrefix":"err/","EncryptionConfiguration":{"KMSEncryptionConfig":{"AWSKMSKeyARN":"arn:aws:kms:us-east-1:123456789012:key/k"}},"CloudWatchLoggingOptions":{"Enabled":true,"LogGroupName":"g","LogStreamName":"s"}}})");
  EXPECT_EQ(Describe(config),
            R"({"S3DestinationDescription":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::b",)"
            R"("Prefix":"","ErrorOutputPrefix":"err/","BufferingHints":{"SizeInMBs":5,"IntervalInSeconds":300},)"
            R"("CompressionFormat":"UNCOMPRESSED","EncryptionConfiguration":{"KMSEncryptionConfig":{"AWSKMSKeyARN":"arn:aws:kms:us-east-1:123456789012:key/k"}},)"
            R"("CloudWatchLoggingOptions":{"Enabled":true,"LogGroupName":"g","LogStreamName":"s"}}})");
}

TEST(StreamConfigJsonTest, ExtendedOnlyMembersStayOutOfS3Description) {
  const StreamConfig config = Parse(
      R"({"DeliveryStreamName":"s","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::b","FileExtension":".log","CustomTimeZone":"UTC"}})");
  const std::string out = Describe(config);
  const size_t plain = out.find("\"S3DestinationDescription\"");
  ASSERT_NE(plain, std::string::npos);
  EXPECT_LT(out.find("\"FileExtension\":\".log\""), plain);
  EXPECT_LT(out.find("\"CustomTimeZone\":\"UTC\""), plain);
  EXPECT_EQ(out.find("FileExtension", plain), std::string::npos);
  EXPECT_EQ(out.find("S3BackupMode", plain), std::string::npos);
}

TEST(StreamConfigJsonTest, DescribesTheBackupDestination) {
  const StreamConfig config = Parse(
      R"({"DeliveryStreamName":"s","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::b","S3BackupConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::bk"}}})");
  JsonWriter w;
  w.BeginObject();
  WriteDestinationDescriptions(w, config);
  w.EndObject();
  EXPECT_NE(w.str().find(R"("S3BackupMode":"Disabled","S3BackupDescription":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::bk","Prefix":"","BufferingHints":{"SizeInMBs":5,"IntervalInSeconds":300},"CompressionFormat":"UNCOMPRESSED")"),
            std::string::npos)
      << w.str();
}

class RoundTripTest : public ::testing::TestWithParam<std::string_view> {};

TEST_P(RoundTripTest, CreateJsonParsesBackToEqualConfig) {
  const StreamConfig config = Parse(GetParam());
  const std::string json = ToCreateJson(config);
  EXPECT_EQ(Parse(json), config) << json;
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, RoundTripTest,
    ::testing::Values(
        R"({"DeliveryStreamName":"min","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::b"}})",
        R"({"DeliveryStreamName":"plain","S3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::b","CompressionFormat":"HADOOP_SNAPPY"}})",
        R"({"DeliveryStreamName":"full","DeliveryStreamType":"DirectPut",
            "DirectPutSourceConfiguration":{"ThroughputHintInMBs":7},
            "DeliveryStreamEncryptionConfigurationInput":{"KeyType":"CUSTOMER_MANAGED_CMK","KeyARN":"arn:aws:kms:us-east-1:123456789012:key/k"},
            "ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::b",
              "Prefix":"d/!{timestamp:yyyy/MM}/\"q\"","ErrorOutputPrefix":"e/!{firehose:error-output-type}/",
              "BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":0},"CompressionFormat":"GZIP",
              "EncryptionConfiguration":{"KMSEncryptionConfig":{"AWSKMSKeyARN":"arn:aws:kms:us-east-1:123456789012:alias/a"}},
              "CloudWatchLoggingOptions":{"Enabled":false,"LogGroupName":"g"},
              "FileExtension":".gz","CustomTimeZone":"UTC"},
            "Tags":[{"Key":"team","Value":"data"},{"Key":"é","Value":""}]})",
        R"({"DeliveryStreamName":"backup","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::b",
              "S3BackupMode":"Enabled","S3BackupConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::bk","Prefix":"src/","CompressionFormat":"ZSTD"}}})",
        R"({"DeliveryStreamName":"processed","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::b",
              "ProcessingConfiguration":{"Enabled":true,"Processors":[{"Type":"Decompression","Parameters":[{"ParameterName":"CompressionFormat","ParameterValue":"GZIP"}]},{"Type":"AppendDelimiterToRecord"}]}}})",
        R"({"DeliveryStreamName":"owned","DeliveryStreamEncryptionConfigurationInput":{"KeyType":"AWS_OWNED_CMK"},"ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::b"}})"));

}  // namespace
}  // namespace sluice::config
