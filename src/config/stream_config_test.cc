#include "config/stream_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/stream_config_test_util.h"

namespace sluice::config {
namespace {

using ::testing::HasSubstr;

// Bodies from the client captures in the shared fixtures (aws-cli 2.9 and aws-sdk-js v3).
TEST(StreamConfigTest, ParsesAwsCliCapture) {
  auto config = Create(
      R"({"DeliveryStreamName": "s1", "DeliveryStreamType": "DirectPut", "ExtendedS3DestinationConfiguration": {"RoleARN": "arn:aws:iam::123456789012:role/x", "BucketARN": "arn:aws:s3:::bkt", "Prefix": "p/", "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 60}, "CompressionFormat": "GZIP"}})");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->name, "s1");
  EXPECT_EQ(config->type, "DirectPut");
  EXPECT_TRUE(config->destination.extended);
  EXPECT_EQ(config->destination.role_arn, "arn:aws:iam::123456789012:role/x");
  EXPECT_EQ(config->destination.BucketName(), "bkt");
  EXPECT_EQ(config->destination.prefix, "p/");
  EXPECT_EQ(config->destination.buffering, (BufferingHints{1, 60}));
  EXPECT_EQ(config->destination.compression, Compression::kGzip);
}

TEST(StreamConfigTest, ParsesSdkJsCapture) {
  auto config = Create(
      R"({"DeliveryStreamName":"s1","DeliveryStreamType":"DirectPut","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/x","BucketARN":"arn:aws:s3:::bkt","Prefix":"p/","BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":60},"CompressionFormat":"GZIP"}})");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->destination.compression, Compression::kGzip);
}

TEST(StreamConfigTest, MinimalBodyGetsDefaults) {
  auto config = Create(Body());
  ASSERT_TRUE(config.has_value()) << config.error().message;
  const S3Destination& d = config->destination;
  EXPECT_EQ(config->type, "DirectPut");
  EXPECT_EQ(d.prefix, "");
  EXPECT_EQ(d.error_output_prefix, std::nullopt);
  EXPECT_EQ(d.buffering, (BufferingHints{5, 300}));
  EXPECT_EQ(d.compression, Compression::kUncompressed);
  EXPECT_EQ(d.kms_key_arn, std::nullopt);
  EXPECT_FALSE(d.logging.enabled);
  EXPECT_EQ(d.s3_backup_mode, "Disabled");
  EXPECT_TRUE(config->tags.empty());
  EXPECT_EQ(config->encryption, std::nullopt);
}

TEST(StreamConfigTest, ParsesEveryMember) {
  auto config = Create(Body(
      R"("Prefix":"data/!{timestamp:yyyy}/","ErrorOutputPrefix":"err/!{firehose:error-output-type}/",
         "BufferingHints":{"SizeInMBs":128,"IntervalInSeconds":0},"CompressionFormat":"ZSTD",
         "EncryptionConfiguration":{"KMSEncryptionConfig":{"AWSKMSKeyARN":"arn:aws:kms:us-east-1:123456789012:alias/k"}},
         "CloudWatchLoggingOptions":{"Enabled":true,"LogGroupName":"/aws/fh","LogStreamName":"s3"},
         "S3BackupMode":"Disabled","FileExtension":".json.zst","CustomTimeZone":"Asia/Tokyo")",
      R"("DeliveryStreamType":"DirectPut","DirectPutSourceConfiguration":{"ThroughputHintInMBs":100},
         "DeliveryStreamEncryptionConfigurationInput":{"KeyType":"CUSTOMER_MANAGED_CMK","KeyARN":"arn:aws:kms:us-east-1:123456789012:key/k1"},
         "Tags":[{"Key":"team","Value":"data"},{"Key":"empty"}])"));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  const S3Destination& d = config->destination;
  EXPECT_EQ(d.error_output_prefix, "err/!{firehose:error-output-type}/");
  EXPECT_EQ(d.buffering, (BufferingHints{128, 0}));
  EXPECT_EQ(d.compression, Compression::kZstd);
  EXPECT_EQ(d.kms_key_arn, "arn:aws:kms:us-east-1:123456789012:alias/k");
  EXPECT_EQ(d.logging, (CloudWatchLogging{true, "/aws/fh", "s3"}));
  EXPECT_EQ(d.file_extension, ".json.zst");
  EXPECT_EQ(d.custom_time_zone, "Asia/Tokyo");
  EXPECT_EQ(config->throughput_hint_mbs, 100);
  ASSERT_TRUE(config->encryption.has_value());
  EXPECT_EQ(config->encryption->key_type, KeyType::kCustomerManagedCmk);
  EXPECT_EQ(config->encryption->key_arn, "arn:aws:kms:us-east-1:123456789012:key/k1");
  EXPECT_EQ(config->tags, (std::vector<Tag>{{"team", "data"}, {"empty", ""}}));
}

TEST(StreamConfigTest, ParsesDeprecatedS3Destination) {
  auto config = Create(std::string(R"({"DeliveryStreamName":"s","S3DestinationConfiguration":{)") +
                       std::string(kRole) + "," + std::string(kBucket) +
                       R"(,"CompressionFormat":"Snappy"}})");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_FALSE(config->destination.extended);
  EXPECT_EQ(config->destination.compression, Compression::kSnappy);
}

TEST(StreamConfigTest, NullMembersCountAsAbsent) {
  auto config = Create(Body(R"("Prefix":null,"BufferingHints":null)", R"("Tags":null)"));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->destination.buffering, BufferingHints{});
}

TEST(StreamConfigTest, PathPrefixesMessages) {
  auto config = Create(Body(R"("BufferingHints":{"SizeInMBs":0,"IntervalInSeconds":60})"),
                       "streams[2]");
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message,
            "streams[2].ExtendedS3DestinationConfiguration.BufferingHints.SizeInMBs must be "
            "between 1 and 128, got 0");
}

struct BadCase {
  std::string body;
  std::string message_part;
};

// Test listings show the expected message (else gtest prints the struct's bytes).
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.message_part; }

class StreamConfigRejectsTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(StreamConfigRejectsTest, NamesFieldAndRule) {
  auto config = Create(GetParam().body);
  ASSERT_FALSE(config.has_value()) << GetParam().body;
  EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(config.error().message, HasSubstr(GetParam().message_part));
}

constexpr std::string_view E = "ExtendedS3DestinationConfiguration";

std::string TooManyTags() {
  std::string tags = R"("Tags":[)";
  for (int i = 0; i < 51; ++i) {
    tags += std::string(i ? "," : "") + R"({"Key":"k)" + std::to_string(i) + R"("})";
  }
  return tags + "]";
}

INSTANTIATE_TEST_SUITE_P(
    TopLevel, StreamConfigRejectsTest,
    ::testing::Values(
        BadCase{"[]", "the request body must be an object, got array"},
        BadCase{R"({"ExtendedS3DestinationConfiguration":{}})", "DeliveryStreamName is required"},
        BadCase{R"({"DeliveryStreamName":5})", "DeliveryStreamName must be a string, got integer"},
        BadCase{R"({"DeliveryStreamName":"a b"})",
                "DeliveryStreamName \"a b\" must match [a-zA-Z0-9_.-]+ and be 1 to 64 characters"},
        BadCase{Body("", R"("DeliveryStreamType":"KinesisStreamAsSource")"),
                "DeliveryStreamType \"KinesisStreamAsSource\" is not supported yet by Sluice: "
                "only DirectPut"},
        BadCase{Body("", R"("DeliveryStreamType":"Pull")"),
                "DeliveryStreamType \"Pull\" must be one of DirectPut"},
        BadCase{R"({"DeliveryStreamName":"s"})", "the request must have a destination"},
        BadCase{Body("", std::string(R"("S3DestinationConfiguration":{)") + std::string(kRole) +
                             "," + std::string(kBucket) + "}"),
                "exactly one destination configuration, got ExtendedS3DestinationConfiguration "
                "and S3DestinationConfiguration"},
        BadCase{R"({"DeliveryStreamName":"s","RedshiftDestinationConfiguration":{}})",
                "RedshiftDestinationConfiguration is not supported yet by Sluice"},
        BadCase{Body("", R"("KinesisStreamSourceConfiguration":{})"),
                "KinesisStreamSourceConfiguration is not supported yet"},
        BadCase{Body("", R"("Foo":1)"), "unknown member Foo"},
        BadCase{Body("", R"("DirectPutSourceConfiguration":{"ThroughputHintInMBs":0})"),
                "DirectPutSourceConfiguration.ThroughputHintInMBs must be between 1 and 100, got 0"},
        BadCase{Body("", R"("DirectPutSourceConfiguration":{})"),
                "DirectPutSourceConfiguration.ThroughputHintInMBs is required"},
        BadCase{Body("", R"("DirectPutSourceConfiguration":5)"),
                "DirectPutSourceConfiguration must be an object, got integer"},
        BadCase{Body("", R"("DeliveryStreamEncryptionConfigurationInput":{})"),
                "DeliveryStreamEncryptionConfigurationInput.KeyType is required"},
        BadCase{Body("", R"("DeliveryStreamEncryptionConfigurationInput":{"KeyType":"AES"})"),
                "DeliveryStreamEncryptionConfigurationInput.KeyType \"AES\" must be one of "
                "AWS_OWNED_CMK, CUSTOMER_MANAGED_CMK"},
        BadCase{Body("", R"("DeliveryStreamEncryptionConfigurationInput":{"KeyType":"CUSTOMER_MANAGED_CMK"})"),
                "DeliveryStreamEncryptionConfigurationInput.KeyARN is required when KeyType is "
                "CUSTOMER_MANAGED_CMK"},
        BadCase{Body("", R"("DeliveryStreamEncryptionConfigurationInput":{"KeyType":"AWS_OWNED_CMK","KeyARN":"arn:aws:kms:us-east-1:123456789012:key/k"})"),
                "DeliveryStreamEncryptionConfigurationInput.KeyARN must not be given"},
        BadCase{Body("", R"("DeliveryStreamEncryptionConfigurationInput":{"KeyType":"CUSTOMER_MANAGED_CMK","KeyARN":"arn:aws:kms:us-east-1:123456789012:alias/k"})"),
                "DeliveryStreamEncryptionConfigurationInput.KeyARN \"arn:aws:kms:us-east-1:"},
        BadCase{Body("", R"("Tags":[])"), "Tags must have 1 to 50 tags, got 0"},
        BadCase{Body("", TooManyTags()), "Tags must have 1 to 50 tags, got 51"},
        BadCase{Body("", R"("Tags":{})"), "Tags must be an array, got object"},
        BadCase{Body("", R"("Tags":["k"])"), "Tags[0] must be an object, got string"},
        BadCase{Body("", R"("Tags":[{"Value":"v"}])"), "Tags[0].Key is required"},
        BadCase{Body("", R"("Tags":[{"Key":"k","Colour":"v"}])"), "unknown member Tags[0].Colour"},
        BadCase{Body("", R"("Tags":[{"Key":"a"},{"Key":"aws:b"}])"),
                "Tags[1].Key \"aws:b\" must not start with \"aws:\""},
        BadCase{Body("", R"("Tags":[{"Key":"a","Value":"a*"}])"), "Tags[0].Value \"a*\" may contain only"},
        BadCase{Body("", R"("Tags":[{"Key":"a"},{"Key":"a"}])"),
                "Tags[1].Key \"a\" repeats an earlier tag key"}));

INSTANTIATE_TEST_SUITE_P(
    Destination, StreamConfigRejectsTest,
    ::testing::Values(
        BadCase{R"({"DeliveryStreamName":"s","ExtendedS3DestinationConfiguration":"bkt"})",
                std::string(E) + " must be an object, got string"},
        BadCase{std::string(R"({"DeliveryStreamName":"s","ExtendedS3DestinationConfiguration":{)") +
                    std::string(kBucket) + "}}",
                std::string(E) + ".RoleARN is required"},
        BadCase{std::string(R"({"DeliveryStreamName":"s","ExtendedS3DestinationConfiguration":{)") +
                    std::string(kRole) + "}}",
                std::string(E) + ".BucketARN is required"},
        BadCase{R"({"DeliveryStreamName":"s","ExtendedS3DestinationConfiguration":{"RoleARN":1}})",
                std::string(E) + ".RoleARN must be a string, got integer"},
        BadCase{R"({"DeliveryStreamName":"s","ExtendedS3DestinationConfiguration":{"RoleARN":"r"}})",
                std::string(E) + ".RoleARN \"r\" must match arn:"},
        BadCase{std::string(R"({"DeliveryStreamName":"s","ExtendedS3DestinationConfiguration":{)") +
                    std::string(kRole) + R"(,"BucketARN":"arn:aws:s3:::a/b"}})",
                std::string(E) + ".BucketARN \"arn:aws:s3:::a/b\" must match"},
        BadCase{Body(R"("Prefix":")" + std::string(1025, 'p') + "\""),
                std::string(E) + ".Prefix must be 0 to 1024 characters long, got 1025"},
        BadCase{Body(R"("BufferingHints":{"SizeInMBs":0,"IntervalInSeconds":60})"),
                std::string(E) + ".BufferingHints.SizeInMBs must be between 1 and 128, got 0"},
        BadCase{Body(R"("BufferingHints":{"SizeInMBs":129,"IntervalInSeconds":60})"),
                ".BufferingHints.SizeInMBs must be between 1 and 128, got 129"},
        BadCase{Body(R"("BufferingHints":{"SizeInMBs":5,"IntervalInSeconds":901})"),
                ".BufferingHints.IntervalInSeconds must be between 0 and 900, got 901"},
        BadCase{Body(R"("BufferingHints":{"SizeInMBs":5,"IntervalInSeconds":-1})"),
                ".BufferingHints.IntervalInSeconds must be between 0 and 900, got -1"},
        BadCase{Body(R"("BufferingHints":{"SizeInMBs":18446744073709551615,"IntervalInSeconds":1})"),
                ".BufferingHints.SizeInMBs must be between 1 and 128, got 18446744073709551615"},
        BadCase{Body(R"("BufferingHints":{"SizeInMBs":5})"),
                ".BufferingHints.SizeInMBs and " + std::string(E) +
                    ".BufferingHints.IntervalInSeconds must be given together"},
        BadCase{Body(R"("BufferingHints":{"SizeInMBs":1.5,"IntervalInSeconds":60})"),
                ".BufferingHints.SizeInMBs must be an integer, got number"},
        BadCase{Body(R"("BufferingHints":{"SizeInMBs":"5","IntervalInSeconds":60})"),
                ".BufferingHints.SizeInMBs must be an integer, got string"},
        BadCase{Body(R"("BufferingHints":{"SizeInMB":5})"),
                "unknown member " + std::string(E) + ".BufferingHints.SizeInMB"},
        BadCase{Body(R"("CompressionFormat":"gzip")"),
                ".CompressionFormat \"gzip\" must be one of UNCOMPRESSED, GZIP, ZIP, Snappy, "
                "HADOOP_SNAPPY, ZSTD"},
        BadCase{Body(R"("EncryptionConfiguration":{"NoEncryptionConfig":"NoEncryption","KMSEncryptionConfig":{}})"),
                ".EncryptionConfiguration must have only one of"},
        BadCase{Body(R"("EncryptionConfiguration":{"NoEncryptionConfig":"None"})"),
                ".EncryptionConfiguration.NoEncryptionConfig \"None\" must be \"NoEncryption\""},
        BadCase{Body(R"("EncryptionConfiguration":{"KMSEncryptionConfig":{}})"),
                ".EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN is required"},
        BadCase{Body(R"("EncryptionConfiguration":{"KMSEncryptionConfig":{"AWSKMSKeyARN":"k"}})"),
                ".EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN \"k\" must match"},
        BadCase{Body(R"("CloudWatchLoggingOptions":{"Enabled":true})"),
                ".CloudWatchLoggingOptions.LogGroupName and " + std::string(E) +
                    ".CloudWatchLoggingOptions.LogStreamName are required when"},
        BadCase{Body(R"("CloudWatchLoggingOptions":{"Enabled":"yes"})"),
                ".CloudWatchLoggingOptions.Enabled must be a boolean, got string"},
        BadCase{Body(R"("CloudWatchLoggingOptions":{"LogGroupName":"a b"})"),
                ".CloudWatchLoggingOptions.LogGroupName \"a b\" must match"},
        BadCase{Body(R"("CloudWatchLoggingOptions":{"LogStreamName":"a:b"})"),
                ".CloudWatchLoggingOptions.LogStreamName \"a:b\" must not contain"},
        BadCase{Body(R"("S3BackupMode":"Enabled")"),
                ".S3BackupConfiguration is required when " + std::string(E) + ".S3BackupMode is Enabled"},
        BadCase{Body(R"("S3BackupMode":"On")"), ".S3BackupMode \"On\" must be one of Disabled, Enabled"},
        BadCase{Body(R"("FileExtension":"gz")"), ".FileExtension \"gz\" must be empty or match"},
        BadCase{Body(R"("FileExtension":".GZ")"), ".FileExtension \".GZ\" must be empty or match"},
        BadCase{Body(R"("FileExtension":".)" + std::string(128, 'x') + "\""),
                ".FileExtension must be 0 to 128 characters long, got 129"},
        BadCase{Body(R"("CustomTimeZone":"Asia/Tokio")"),
                ".CustomTimeZone \"Asia/Tokio\" is not a time zone in /usr/share/zoneinfo"},
        BadCase{Body(R"("CustomTimeZone":"UTC+1")"), ".CustomTimeZone \"UTC+1\" must be empty or match"},
        BadCase{Body(R"("ProcessingConfiguration":{"Enabled":true,"Processors":[{"Type":"Decompression","Parameters":[{"ParameterName":"CompressionFormat","ParameterValue":"ZIP"}]}]})"),
                std::string(E) + ".ProcessingConfiguration.Processors: Processors[0] Decompression: ParameterName "
                "CompressionFormat value 'ZIP' must be GZIP"},
        BadCase{Body(R"("ProcessingConfiguration":{"Enabled":true,"Processors":[{"Type":"MetadataExtraction","Parameters":[{"ParameterName":"MetadataExtractionQuery","ParameterValue":"{a:"},{"ParameterName":"JsonParsingEngine","ParameterValue":"JQ-1.6"}]}]})"),
                std::string(E) + ".ProcessingConfiguration.Processors: Processors[0]"},
        BadCase{Body(R"("ProcessingConfiguration":{"Enabled":true,"Processors":[{"Typ":"AppendDelimiterToRecord"}]})"),
                "unknown member " + std::string(E) + ".ProcessingConfiguration.Processors[0].Typ"},
        BadCase{Body(R"("DataFormatConversionConfiguration":{})"),
                std::string(E) + ".DataFormatConversionConfiguration.SchemaConfiguration is required when " +
                    std::string(E) + ".DataFormatConversionConfiguration.Enabled is true"},
        BadCase{Body(R"("DynamicPartitioningConfiguration":{"Enabled":true})"),
                std::string(E) + ".Prefix \"\" must use !{partitionKeyFromQuery:KEY}"},
        BadCase{Body(R"("S3BackupConfiguration":{})"),
                std::string(E) + ".S3BackupConfiguration.RoleARN is required"},
        BadCase{Body(R"("S3BackupConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"b"})"),
                std::string(E) + ".S3BackupConfiguration.BucketARN \"b\" must match"},
        BadCase{Body(R"("S3BackupConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::b","FileExtension":".x"})"),
                "unknown member " + std::string(E) + ".S3BackupConfiguration.FileExtension"},
        BadCase{Body(R"("S3BackupUpdate":{})"), "unknown member " + std::string(E) + ".S3BackupUpdate"},
        BadCase{Body(R"("Colour":"red")"), "unknown member " + std::string(E) + ".Colour"},
        BadCase{Body(R"("Prefix":"p/!{timestamp:yyyy}/")"),
                std::string(E) + ".ErrorOutputPrefix is required when " + std::string(E) +
                    ".Prefix \"p/!{timestamp:yyyy}/\" contains !{...} expressions"},
        BadCase{Body(R"("Prefix":"p/","ErrorOutputPrefix":"e/!{timestamp:yyyy}/")"),
                ".ErrorOutputPrefix \"e/!{timestamp:yyyy}/\" contains expressions, so it must "
                "also contain !{firehose:error-output-type}"},
        BadCase{Body(R"("Prefix":"p/!{firehose:error-output-type}/","ErrorOutputPrefix":"e/")"),
                std::string(E) + ".Prefix \"p/!{firehose:error-output-type}/\": expression"},
        BadCase{Body(R"("ErrorOutputPrefix":"e/!{partitionKeyFromQuery:id}/")"),
                std::string(E) + ".ErrorOutputPrefix"},
        BadCase{std::string(R"({"DeliveryStreamName":"s","S3DestinationConfiguration":{)") +
                    std::string(kRole) + "," + std::string(kBucket) + R"(,"FileExtension":".gz"}})",
                "unknown member S3DestinationConfiguration.FileExtension"}));

}  // namespace
}  // namespace sluice::config
