#include "config/s3_destination.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::config {
namespace {

using ::testing::HasSubstr;

Result<S3DestinationUpdate> Update(std::string_view json,
                                   std::string_view field = "ExtendedS3DestinationUpdate") {
  simdjson::dom::parser parser;
  simdjson::dom::element body;
  EXPECT_EQ(parser.parse(simdjson::padded_string(json)).get(body), simdjson::SUCCESS) << json;
  return ParseS3DestinationUpdate(body, field);
}

S3Destination Existing() {
  S3Destination dest;
  dest.role_arn = "arn:aws:iam::123456789012:role/fh";
  dest.bucket_arn = "arn:aws:s3:::bkt";
  dest.prefix = "logs/";
  dest.compression = Compression::kGzip;
  dest.file_extension = ".gz";
  return dest;
}

TEST(CompressionTest, NamesRoundTrip) {
  for (const Compression c : {Compression::kUncompressed, Compression::kGzip, Compression::kZip,
                              Compression::kSnappy, Compression::kHadoopSnappy, Compression::kZstd}) {
    EXPECT_EQ(ParseCompression(CompressionName(c)), c);
  }
  EXPECT_EQ(CompressionName(Compression::kSnappy), "Snappy");
  EXPECT_EQ(ParseCompression("SNAPPY"), std::nullopt);
}

TEST(S3DestinationUpdateTest, MergeKeepsUnspecifiedMembers) {
  auto update = Update(R"({"BufferingHints":{"SizeInMBs":64,"IntervalInSeconds":60}})");
  ASSERT_TRUE(update.has_value()) << update.error().message;
  S3Destination dest = Existing();
  ASSERT_TRUE(ApplyUpdate(dest, *update));
  S3Destination expected = Existing();
  expected.buffering = {64, 60};
  EXPECT_EQ(dest, expected);
}

TEST(S3DestinationUpdateTest, ReplacesGivenMembers) {
  auto update = Update(
      R"({"RoleARN":"arn:aws:iam::123456789012:role/other","Prefix":"p/!{timestamp:yyyy}/",
          "ErrorOutputPrefix":"e/!{firehose:error-output-type}/","CompressionFormat":"UNCOMPRESSED",
          "EncryptionConfiguration":{"KMSEncryptionConfig":{"AWSKMSKeyARN":"arn:aws:kms:eu-west-1:123456789012:key/k"}},
          "CloudWatchLoggingOptions":{"Enabled":true,"LogGroupName":"g","LogStreamName":"s"},
          "FileExtension":"","CustomTimeZone":"UTC"})");
  ASSERT_TRUE(update.has_value()) << update.error().message;
  S3Destination dest = Existing();
  ASSERT_TRUE(ApplyUpdate(dest, *update));
  EXPECT_EQ(dest.role_arn, "arn:aws:iam::123456789012:role/other");
  EXPECT_EQ(dest.bucket_arn, "arn:aws:s3:::bkt");
  EXPECT_EQ(dest.prefix, "p/!{timestamp:yyyy}/");
  EXPECT_EQ(dest.error_output_prefix, "e/!{firehose:error-output-type}/");
  EXPECT_EQ(dest.compression, Compression::kUncompressed);
  EXPECT_EQ(dest.kms_key_arn, "arn:aws:kms:eu-west-1:123456789012:key/k");
  EXPECT_TRUE(dest.logging.enabled);
  EXPECT_EQ(dest.file_extension, "");
  EXPECT_EQ(dest.custom_time_zone, "UTC");

  auto back = Update(R"({"EncryptionConfiguration":{"NoEncryptionConfig":"NoEncryption"}})");
  ASSERT_TRUE(back.has_value());
  ASSERT_TRUE(ApplyUpdate(dest, *back));
  EXPECT_EQ(dest.kms_key_arn, std::nullopt);
}

TEST(S3DestinationUpdateTest, CrossMemberErrorLeavesDestinationUnchanged) {
  auto update = Update(R"({"Prefix":"p/!{timestamp:yyyy}/","CompressionFormat":"ZIP"})");
  ASSERT_TRUE(update.has_value()) << update.error().message;
  S3Destination dest = Existing();
  auto status = ApplyUpdate(dest, *update);
  ASSERT_FALSE(status);
  EXPECT_THAT(status.error().message,
              HasSubstr("ExtendedS3DestinationUpdate.ErrorOutputPrefix is required when "
                        "ExtendedS3DestinationUpdate.Prefix"));
  EXPECT_EQ(dest, Existing());
}

TEST(S3DestinationUpdateTest, ErrorOutputPrefixCheckedAgainstMergedState) {
  S3Destination dest = Existing();
  dest.prefix = "p/!{timestamp:yyyy}/";
  dest.error_output_prefix = "e/";
  auto update = Update(R"({"ErrorOutputPrefix":"e/!{timestamp:yyyy}/"})", "S3DestinationUpdate");
  ASSERT_TRUE(update.has_value());
  auto status = ApplyUpdate(dest, *update);
  ASSERT_FALSE(status);
  EXPECT_THAT(status.error().message,
              HasSubstr("S3DestinationUpdate.ErrorOutputPrefix \"e/!{timestamp:yyyy}/\" contains "
                        "expressions, so it must also contain !{firehose:error-output-type}"));
}

TEST(S3DestinationUpdateTest, PlainUpdateKeepsExtendedAndExtendedUpdateUpgrades) {
  auto plain = Update(R"({"Prefix":"x/"})", "S3DestinationUpdate");
  ASSERT_TRUE(plain.has_value());
  S3Destination dest = Existing();
  ASSERT_TRUE(ApplyUpdate(dest, *plain));
  EXPECT_TRUE(dest.extended);

  dest.extended = false;
  auto extended = Update(R"({"FileExtension":".log"})");
  ASSERT_TRUE(extended.has_value());
  ASSERT_TRUE(ApplyUpdate(dest, *extended));
  EXPECT_TRUE(dest.extended);
  EXPECT_EQ(dest.file_extension, ".log");
}

TEST(S3DestinationUpdateTest, AppliesTheSameMemberRules) {
  struct Case {
    std::string_view json;
    std::string_view field;
    std::string_view message_part;
  };
  const Case cases[] = {
      {R"({"BufferingHints":{"SizeInMBs":0,"IntervalInSeconds":1}})", "ExtendedS3DestinationUpdate",
       "ExtendedS3DestinationUpdate.BufferingHints.SizeInMBs must be between 1 and 128, got 0"},
      {R"({"BufferingHints":{"IntervalInSeconds":1}})", "ExtendedS3DestinationUpdate",
       "must be given together"},
      {R"({"RoleARN":""})", "ExtendedS3DestinationUpdate",
       "ExtendedS3DestinationUpdate.RoleARN must be 1 to 512 characters long"},
      {R"({"S3BackupConfiguration":{}})", "ExtendedS3DestinationUpdate",
       "unknown member ExtendedS3DestinationUpdate.S3BackupConfiguration"},
      {R"({"S3BackupUpdate":{"FileExtension":".x"}})", "ExtendedS3DestinationUpdate",
       "unknown member ExtendedS3DestinationUpdate.S3BackupUpdate.FileExtension"},
      {R"({"CustomTimeZone":"Asia/Tokio"})", "ExtendedS3DestinationUpdate",
       "ExtendedS3DestinationUpdate.CustomTimeZone \"Asia/Tokio\" is not a time zone in "
       "/usr/share/zoneinfo (/usr/share/zoneinfo/Asia/Tokio does not exist)"},
      {R"({"CustomTimeZone":"Asia"})", "ExtendedS3DestinationUpdate",
       "ExtendedS3DestinationUpdate.CustomTimeZone \"Asia\" is not a time zone in "
       "/usr/share/zoneinfo (/usr/share/zoneinfo/Asia is not a regular file"},
      {R"({"CustomTimeZone":"/Asia/Tokyo"})", "ExtendedS3DestinationUpdate",
       "ExtendedS3DestinationUpdate.CustomTimeZone \"/Asia/Tokyo\" is not a time zone in "
       "/usr/share/zoneinfo (time zone name \"/Asia/Tokyo\" must not start with '/')"},
      {R"({"CustomTimeZone":"Asia/Tokyo+9"})", "ExtendedS3DestinationUpdate",
       "ExtendedS3DestinationUpdate.CustomTimeZone \"Asia/Tokyo+9\" must be empty or match "
       "[a-zA-Z/_]+"},
      {R"({"FileExtension":".gz"})", "S3DestinationUpdate",
       "unknown member S3DestinationUpdate.FileExtension"},
      {R"({"Prefix":"!{firehose:error-output-type}"})", "S3DestinationUpdate",
       "S3DestinationUpdate.Prefix"},
      {R"("x")", "S3DestinationUpdate", "S3DestinationUpdate must be an object, got string"},
  };
  for (const Case& c : cases) {
    auto update = Update(c.json, c.field);
    ASSERT_FALSE(update.has_value()) << c.json;
    EXPECT_THAT(update.error().message, HasSubstr(std::string(c.message_part))) << c.json;
  }
}

TEST(S3DestinationUpdateTest, AcceptsTimeZonesOfTheSystemZoneinfo) {
  for (const std::string_view zone :
       {"", "UTC", "Asia/Tokyo", "America/New_York", "Europe/London", "Australia/Sydney"}) {
    auto update = Update(R"({"CustomTimeZone":")" + std::string(zone) + R"("})");
    ASSERT_TRUE(update.has_value()) << zone << ": " << update.error().message;
    S3Destination dest = Existing();
    ASSERT_TRUE(ApplyUpdate(dest, *update));
    EXPECT_EQ(dest.custom_time_zone, zone);
  }
}

TEST(S3DestinationUpdateTest, BackupModeNeedsABackupAndCannotBeDisabledAgain) {
  S3Destination dest = Existing();
  auto enable = Update(R"({"S3BackupMode":"Enabled"})");
  ASSERT_TRUE(enable.has_value()) << enable.error().message;
  const auto refused = ApplyUpdate(dest, *enable);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "ExtendedS3DestinationUpdate.S3BackupConfiguration is required when "
            "ExtendedS3DestinationUpdate.S3BackupMode is Enabled");
  EXPECT_EQ(dest, Existing());
  dest.backup.push_back(Existing());
  dest.backup[0].extended = false;
  ASSERT_TRUE(ApplyUpdate(dest, *enable));
  EXPECT_EQ(dest.s3_backup_mode, "Enabled");
  auto disable = Update(R"({"S3BackupMode":"Disabled"})");
  const auto irreversible = ApplyUpdate(dest, *disable);
  ASSERT_FALSE(irreversible);
  EXPECT_NE(irreversible.error().message.find("cannot go back from Enabled to Disabled"), std::string::npos);
  EXPECT_EQ(dest.s3_backup_mode, "Enabled");
}

TEST(S3DestinationUpdateTest, BackupUpdateCreatesOrMergesTheBackupDestination) {
  S3Destination dest = Existing();
  auto partial = Update(R"({"S3BackupUpdate":{"Prefix":"copy/"}})");
  ASSERT_TRUE(partial.has_value()) << partial.error().message;
  const auto refused = ApplyUpdate(dest, *partial);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "ExtendedS3DestinationUpdate.S3BackupUpdate.RoleARN is required: the stream has no backup "
            "destination yet");
  EXPECT_EQ(dest, Existing());

  auto create = Update(
      R"({"S3BackupMode":"Enabled","S3BackupUpdate":{"RoleARN":"arn:aws:iam::123456789012:role/r","BucketARN":"arn:aws:s3:::bk","CompressionFormat":"GZIP"}})");
  ASSERT_TRUE(create.has_value()) << create.error().message;
  ASSERT_TRUE(ApplyUpdate(dest, *create));
  ASSERT_EQ(dest.backup.size(), 1u);
  EXPECT_EQ(dest.s3_backup_mode, "Enabled");
  EXPECT_EQ(dest.backup[0].BucketName(), "bk");
  EXPECT_FALSE(dest.backup[0].extended);

  ASSERT_TRUE(ApplyUpdate(dest, *partial));  // now a merge: only the prefix changes
  EXPECT_EQ(dest.backup[0].prefix, "copy/");
  EXPECT_EQ(dest.backup[0].BucketName(), "bk");
  EXPECT_EQ(dest.backup[0].compression, Compression::kGzip);
}

TEST(S3DestinationUpdateTest, EmptyUpdateChangesNothing) {
  auto update = Update("{}");
  ASSERT_TRUE(update.has_value());
  S3Destination dest = Existing();
  ASSERT_TRUE(ApplyUpdate(dest, *update));
  EXPECT_EQ(dest, Existing());
}

}  // namespace
}  // namespace sluice::config
