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
