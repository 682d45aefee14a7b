#include "streams/sealed_batch.h"

#include <gtest/gtest.h>

namespace sluice::streams {
namespace {

TEST(SealedBatchTest, RoundTripsEveryField) {
  const SealedBatch batch{"my-bucket", "2026/11/30/12/s1-1-2026-11-30-12-00-00-uuid.gz", "GZIP",
                          "backup", "errors/s3-failed/2026/11/30/12/s1-1-2026-11-30-12-00-00-uuid.gz",
                          "backup", "source/2026/11/30/12/s1-1-2026-11-30-12-00-00-uuid.zst", "ZSTD"};
  const auto decoded = SealedBatch::Decode(batch.Encode());
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, batch);
}

TEST(SealedBatchTest, ErrorKeyFillsEveryTypeSlot) {
  SealedBatch batch;
  batch.error_key = "e/!{firehose:error-output-type}/x/!{firehose:error-output-type}/name.gz";
  EXPECT_EQ(batch.ErrorKey("processing-failed"), "e/processing-failed/x/processing-failed/name.gz");
  batch.error_key = "plain/name";
  EXPECT_EQ(batch.ErrorKey("s3-failed"), "plain/name");
}

TEST(SealedBatchTest, RejectsTruncatedTrailingAndUnknownVersion) {
  const std::string encoded = SealedBatch{"b", "k", "UNCOMPRESSED", "b", "e"}.Encode();
  for (size_t size = 0; size < encoded.size(); ++size) {
    EXPECT_FALSE(SealedBatch::Decode(encoded.substr(0, size))) << size;
  }
  EXPECT_FALSE(SealedBatch::Decode(encoded + "x"));
  std::string other_version = encoded;
  other_version[0] = 2;
  EXPECT_FALSE(SealedBatch::Decode(other_version));
}

}  // namespace
}  // namespace sluice::streams
