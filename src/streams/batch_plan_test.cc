#include "streams/batch_plan.h"

#include "streams/failed_records.h"

#include <gtest/gtest.h>

#include <regex>

namespace sluice::streams {
namespace {

constexpr int64_t kTime = 1'535'365'800'000;  // 2018-08-27T10:30:00Z
const config::TimeZone kUtc = config::TimeZone::Utc();

config::StreamConfig MakeConfig(std::string prefix, std::optional<std::string> error_prefix = std::nullopt) {
  config::StreamConfig config;
  config.name = "s";
  config.destination.bucket_arn = "arn:aws:s3:::bkt";
  config.destination.prefix = std::move(prefix);
  config.destination.error_output_prefix = std::move(error_prefix);
  config.destination.compression = config::Compression::kGzip;
  return config;
}

// The key with the UUID replaced by "U".
std::string Masked(const std::string& key) {
  return std::regex_replace(key, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), "U");
}

TEST(BatchPlanTest, DefaultLayoutForDataAndErrors) {
  const auto plan = PlanBatch(MakeConfig(""), 3, kTime, ".gz", kUtc);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->bucket, "bkt");
  EXPECT_EQ(plan->error_bucket, "bkt");
  EXPECT_EQ(plan->compression, "GZIP");
  EXPECT_EQ(Masked(plan->key), "2018/08/27/10/s-3-2018-08-27-10-30-00-U.gz");
  EXPECT_EQ(Masked(plan->ErrorKey(kS3FailedOutputType)), "s3-failed/2018/08/27/10/s-3-2018-08-27-10-30-00-U.gz");
  EXPECT_EQ(plan->key.substr(plan->key.size() - 39), plan->error_key.substr(plan->error_key.size() - 39))
      << "both objects share the batch's UUID";
}

TEST(BatchPlanTest, PrefixWithoutErrorOutputPrefixHoldsTheErrors) {
  const auto plan = PlanBatch(MakeConfig("logs/"), 1, kTime, "", kUtc);
  ASSERT_TRUE(plan);
  EXPECT_EQ(Masked(plan->key), "logs/2018/08/27/10/s-1-2018-08-27-10-30-00-U");
  EXPECT_EQ(Masked(plan->ErrorKey(kS3FailedOutputType)), "logs/s3-failed/2018/08/27/10/s-1-2018-08-27-10-30-00-U");
}

TEST(BatchPlanTest, ErrorOutputPrefixWithAndWithoutExpressions) {
  const auto with = PlanBatch(
      MakeConfig("d/!{timestamp:yyyy}/", "e/!{firehose:error-output-type}/!{timestamp:yyyy-MM}/"), 1, kTime, ".gz", kUtc);
  ASSERT_TRUE(with) << with.error().message;
  EXPECT_EQ(Masked(with->key), "d/2018/s-1-2018-08-27-10-30-00-U.gz");
  EXPECT_EQ(Masked(with->ErrorKey(kS3FailedOutputType)), "e/s3-failed/2018-08/s-1-2018-08-27-10-30-00-U.gz");
  const auto without = PlanBatch(MakeConfig("d/", "errors/"), 1, kTime, ".gz", kUtc);
  ASSERT_TRUE(without);
  EXPECT_EQ(Masked(without->ErrorKey(kS3FailedOutputType)), "errors/s3-failed/2018/08/27/10/s-1-2018-08-27-10-30-00-U.gz");
}

TEST(BatchPlanTest, FileExtensionReplacesTheCodecs) {
  auto config = MakeConfig("");
  config.destination.file_extension = ".json.gz";
  const auto plan = PlanBatch(config, 1, kTime, ".gz", kUtc);
  ASSERT_TRUE(plan);
  EXPECT_TRUE(plan->key.ends_with(".json.gz")) << plan->key;
  EXPECT_TRUE(plan->error_key.ends_with(".json.gz")) << plan->error_key;
}

TEST(BatchPlanTest, CustomTimeZoneSetsEveryTimeInTheKeys) {
  auto config = MakeConfig("t=!{timestamp:yyyy-MM-dd'T'HH}/", "e/!{firehose:error-output-type}/!{timestamp:HH}/");
  config.destination.custom_time_zone = "Asia/Tokyo";
  const auto tokyo = config::TimeZone::Load("Asia/Tokyo");
  ASSERT_TRUE(tokyo) << tokyo.error().message;
  const auto plan = PlanBatch(config, 1, kTime, "", *tokyo);  // 10:30Z is 19:30 in Tokyo
  ASSERT_TRUE(plan);
  EXPECT_EQ(Masked(plan->key), "t=2018-08-27T19/s-1-2018-08-27-19-30-00-U");
  EXPECT_EQ(Masked(plan->ErrorKey(kS3FailedOutputType)), "e/s3-failed/19/s-1-2018-08-27-19-30-00-U");
}

TEST(BatchPlanTest, BackupGetsTheFailedRecordsAndItsOwnBatches) {
  auto config = MakeConfig("d/", "e/");
  config::S3Destination backup;
  backup.bucket_arn = "arn:aws:s3:::bk";
  backup.prefix = "src/";
  backup.compression = config::Compression::kZstd;
  config.destination.backup.push_back(backup);
  const auto data = PlanBatch(config, 1, kTime, ".gz", kUtc);
  ASSERT_TRUE(data);
  EXPECT_EQ(data->kind, SealedBatch::Kind::kData);
  EXPECT_EQ(data->bucket, "bkt");
  EXPECT_EQ(data->error_bucket, "bk");
  const auto copy = PlanBackupBatch(config, 1, kTime, ".zst", kUtc);
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->kind, SealedBatch::Kind::kBackup);
  EXPECT_EQ(copy->bucket, "bk");
  EXPECT_EQ(copy->compression, "ZSTD");
  EXPECT_EQ(Masked(copy->key), "src/2018/08/27/10/s-1-2018-08-27-10-30-00-U.zst");
  EXPECT_EQ(copy->error_key, "");
}

TEST(BatchPlanTest, AConvertingStreamsErrorObjectsAreNotNamedAsItsFormat) {
  auto config = MakeConfig("d/", "e/");
  config::DataFormatConversion conversion;
  conversion.schema = config::SchemaConfiguration{};
  conversion.input = formats::JsonInputOptions{};
  conversion.output = config::OrcSerDe{};
  config.destination.format_conversion = conversion;
  const auto plan = PlanBatch(config, 1, kTime, ".orc", kUtc);
  ASSERT_TRUE(plan);
  EXPECT_TRUE(plan->key.ends_with(".orc")) << plan->key;
  EXPECT_FALSE(plan->ErrorKey("format-conversion-failed").ends_with(".orc")) << plan->error_key;
}

TEST(BatchPlanTest, EveryBatchGetsANewUuid) {
  const auto a = PlanBatch(MakeConfig(""), 1, kTime, "", kUtc);
  const auto b = PlanBatch(MakeConfig(""), 1, kTime, "", kUtc);
  EXPECT_NE(a->key, b->key);
}

TEST(BatchPlanTest, RefusesAnEvaluatedPrefixOverFirehosesLimit) {
  const auto plan = PlanBatch(MakeConfig(std::string(600, 'p') + "/"), 1, kTime, "", kUtc);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(plan.error().message.find("512"), std::string::npos) << plan.error().message;
}

}  // namespace
}  // namespace sluice::streams
