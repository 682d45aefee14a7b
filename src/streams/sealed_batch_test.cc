#include "streams/sealed_batch.h"

#include <gtest/gtest.h>

namespace sluice::streams {
namespace {

TEST(SealedBatchTest, RoundTripsEveryFieldOfBothKinds) {
  const SealedBatch data{SealedBatch::Kind::kData, "my-bucket", "2026/11/30/12/s1-1-2026-11-30-12-00-00-uuid.gz",
                         "GZIP", "backup", "errors/!{firehose:error-output-type}/s1-1-2026-11-30-12-00-00-uuid.gz"};
  const SealedBatch backup{SealedBatch::Kind::kBackup, "backup", "source/s1-1-2026-11-30-12-00-00-uuid.zst", "ZSTD"};
  for (const SealedBatch& batch : {data, backup}) {
    const auto decoded = SealedBatch::Decode(batch.Encode());
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, batch);
  }
}

TEST(SealedBatchTest, ReadsVersionOneSealsAsDataBatches) {
  // Version 1: the five fields, then the backup copy's bucket, key and compression.
  std::string v1(1, '\x01');
  for (const std::string_view field : {"b", "k", "GZIP", "e", "ek", "bk", "bkey", "ZSTD"}) {
    v1 += static_cast<char>(field.size());
    v1 += '\0';
    v1 += field;
  }
  const auto decoded = SealedBatch::Decode(v1);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, (SealedBatch{SealedBatch::Kind::kData, "b", "k", "GZIP", "e", "ek"}));
}

TEST(SealedBatchTest, ErrorKeyFillsEveryTypeSlot) {
  SealedBatch batch;
  batch.error_key = "e/!{firehose:error-output-type}/x/!{firehose:error-output-type}/name.gz";
  EXPECT_EQ(batch.ErrorKey("processing-failed"), "e/processing-failed/x/processing-failed/name.gz");
  batch.error_key = "plain/name";
  EXPECT_EQ(batch.ErrorKey("s3-failed"), "plain/name");
}

TEST(SealedBatchTest, RejectsTruncatedTrailingAndUnknownVersion) {
  const std::string encoded = SealedBatch{SealedBatch::Kind::kData, "b", "k", "UNCOMPRESSED", "b", "e"}.Encode();
  for (size_t size = 0; size < encoded.size(); ++size) {
    EXPECT_FALSE(SealedBatch::Decode(encoded.substr(0, size))) << size;
  }
  EXPECT_FALSE(SealedBatch::Decode(encoded + "x"));
  std::string other_version = encoded;
  other_version[0] = 3;
  EXPECT_FALSE(SealedBatch::Decode(other_version));
  std::string other_kind = encoded;
  other_kind[1] = 7;
  EXPECT_FALSE(SealedBatch::Decode(other_kind));
}

}  // namespace
}  // namespace sluice::streams
