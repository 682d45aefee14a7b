#include "processors/decompression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "processors/processors_test_util.h"

namespace sluice::processors {
namespace {

using testing::Gzip;
using ::testing::HasSubstr;
using testing::MakeRecord;

TEST(GunzipTest, RoundTripsZlibOutput) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "line " + std::to_string(i) + "\n";
  EXPECT_EQ(*Gunzip(Gzip(text)), text);
  EXPECT_EQ(*Gunzip(Gzip("")), "");
}

TEST(GunzipTest, ConcatenatedMembersDecompressToTheirConcatenation) {
  EXPECT_EQ(*Gunzip(Gzip("abc") + Gzip("def")), "abcdef");
}

TEST(GunzipTest, RejectsNonGzip) {
  auto result = Gunzip("{\"plain\":true}");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kCorruption);
  EXPECT_THAT(result.error().message, HasSubstr("magic bytes 1f 8b"));
}

TEST(GunzipTest, RejectsTruncatedData) {
  const std::string gz = Gzip("hello hello hello hello");
  auto result = Gunzip(std::string_view(gz).substr(0, gz.size() - 5));
  ASSERT_FALSE(result);
  EXPECT_THAT(result.error().message, HasSubstr("truncated"));
}

TEST(GunzipTest, RejectsBadCrc) {
  std::string gz = Gzip("hello");
  gz[gz.size() - 8] = static_cast<char>(gz[gz.size() - 8] ^ 0xFF);  // CRC32 of the trailer
  auto result = Gunzip(gz);
  ASSERT_FALSE(result);
  EXPECT_THAT(result.error().message, HasSubstr("invalid gzip data"));
}

TEST(GunzipTest, RejectsTrailingGarbage) { EXPECT_FALSE(Gunzip(Gzip("hello") + "xyz")); }

TEST(GunzipTest, EnforcesTheOutputLimit) {
  auto result = Gunzip(Gzip(std::string(100000, 'a')), 1000);
  ASSERT_FALSE(result);
  EXPECT_THAT(result.error().message, HasSubstr("limit of 1000 bytes"));
}

TEST(DecompressionProcessorTest, FailsOnlyTheBadRecordToDecompressionFailed) {
  DecompressionProcessor processor;
  std::vector<Record> batch;
  batch.push_back(MakeRecord(1, Gzip("one")));
  batch.push_back(MakeRecord(2, "not gzip"));
  batch.push_back(MakeRecord(3, Gzip("three")));
  auto out = processor.Process(std::move(batch));
  ASSERT_TRUE(out);
  ASSERT_EQ(out->size(), 3u);
  EXPECT_EQ((*out)[0].data, "one");
  EXPECT_EQ((*out)[1].result, ProcessResult::kProcessingFailed);
  EXPECT_EQ((*out)[1].data, "not gzip");
  EXPECT_EQ((*out)[1].error_code, "Decompression.Failed");
  EXPECT_EQ((*out)[1].error_output_type, "decompression-failed");
  EXPECT_THAT((*out)[1].error_message, HasSubstr("GZIP decompression failed: not gzip data"));
  EXPECT_EQ((*out)[2].data, "three");
  EXPECT_EQ((*out)[2].seq, 3u);
}

}  // namespace
}  // namespace sluice::processors
