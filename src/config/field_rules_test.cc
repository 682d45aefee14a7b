#include "config/field_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::config {
namespace {

using ::testing::HasSubstr;

TEST(FieldRulesTest, StreamName) {
  EXPECT_TRUE(CheckStreamName("my-stream_1.x", "DeliveryStreamName"));
  EXPECT_EQ(CheckStreamName("a b", "DeliveryStreamName").error().message,
            "DeliveryStreamName \"a b\" must match [a-zA-Z0-9_.-]+ and be 1 to 64 characters");
  EXPECT_FALSE(CheckStreamName("", "DeliveryStreamName"));
  EXPECT_FALSE(CheckStreamName(std::string(65, 'a'), "DeliveryStreamName"));
  EXPECT_TRUE(CheckStreamName(std::string(64, 'a'), "DeliveryStreamName"));
}

TEST(FieldRulesTest, RoleArn) {
  EXPECT_TRUE(CheckRoleArn("arn:aws:iam::123456789012:role/firehose_role", "RoleARN"));
  EXPECT_TRUE(CheckRoleArn("arn:aws-cn:iam::123456789012:role/path/to/r+=,.@-", "RoleARN"));
  EXPECT_THAT(CheckRoleArn("arn:aws:iam::12345:role/x", "X.RoleARN").error().message,
              HasSubstr("X.RoleARN \"arn:aws:iam::12345:role/x\" must match arn:"));
  EXPECT_FALSE(CheckRoleArn("arn:aws:iam::123456789012:user/x", "RoleARN"));
  EXPECT_FALSE(CheckRoleArn("arn:aws:iam::123456789012:role/", "RoleARN"));
  EXPECT_FALSE(CheckRoleArn("arn:aws:iam::123456789012:role/a b", "RoleARN"));
  EXPECT_FALSE(CheckRoleArn("aws:iam::123456789012:role/x", "RoleARN"));
  EXPECT_THAT(CheckRoleArn("", "RoleARN").error().message,
              HasSubstr("must be 1 to 512 characters long, got 0"));
}

TEST(FieldRulesTest, BucketArn) {
  EXPECT_TRUE(CheckBucketArn("arn:aws:s3:::my.bucket-1_x", "BucketARN"));
  EXPECT_FALSE(CheckBucketArn("arn:aws:s3:::", "BucketARN"));
  EXPECT_FALSE(CheckBucketArn("arn:aws:s3:::a/b", "BucketARN"));
  EXPECT_FALSE(CheckBucketArn("arn:aws:s3:::" + std::string(256, 'b'), "BucketARN"));
  EXPECT_FALSE(CheckBucketArn("bkt", "BucketARN"));
  EXPECT_EQ(BucketNameOf("arn:aws:s3:::my.bucket"), "my.bucket");
}

TEST(FieldRulesTest, KmsKeyArn) {
  const std::string key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab";
  const std::string alias = "arn:aws:kms:us-east-1:123456789012:alias/my-key";
  EXPECT_TRUE(CheckKmsKeyArn(key, false, "KeyARN"));
  EXPECT_TRUE(CheckKmsKeyArn(alias, true, "AWSKMSKeyARN"));
  EXPECT_THAT(CheckKmsKeyArn(alias, false, "KeyARN").error().message, HasSubstr("KeyARN"));
  EXPECT_FALSE(CheckKmsKeyArn("arn:aws:kms::123456789012:key/x", false, "KeyARN"));
  EXPECT_FALSE(CheckKmsKeyArn("arn:aws:kms:us-east-1:1234:key/x", false, "KeyARN"));
}

TEST(FieldRulesTest, Tags) {
  EXPECT_TRUE(CheckTagKey("team name/_.:=+-@%", "Key"));
  EXPECT_TRUE(CheckTagKey("équipe", "Key"));
  EXPECT_THAT(CheckTagKey("aws:x", "Tags[0].Key").error().message,
              HasSubstr("Tags[0].Key \"aws:x\" must not start with \"aws:\""));
  EXPECT_THAT(CheckTagKey("a*b", "Tags[0].Key").error().message, HasSubstr("may contain only"));
  EXPECT_FALSE(CheckTagKey("", "Key"));
  EXPECT_FALSE(CheckTagKey(std::string(129, 'k'), "Key"));
  EXPECT_TRUE(CheckTagValue("", "Value"));
  EXPECT_FALSE(CheckTagValue(std::string(257, 'v'), "Value"));
  EXPECT_FALSE(CheckTagValue("a#b", "Value"));
}

TEST(FieldRulesTest, LengthCountsCodePoints) {
  EXPECT_TRUE(CheckLength("ééé", 3, 3, "X"));
}

TEST(FieldRulesTest, QuoteShortensLongValues) {
  EXPECT_EQ(Quote("a\"b"), "\"a\\\"b\"");
  EXPECT_EQ(Quote(std::string(100, 'x')), "\"" + std::string(80, 'x') + "...\"");
}

}  // namespace
}  // namespace sluice::config
