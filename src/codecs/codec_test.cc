#include "codecs/codec.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "codecs/codec_test_util.h"

namespace sluice::codecs {
namespace {

// Decodes a complete gzip file with zlib; fails the test on any zlib error or trailing garbage.
std::string Gunzip(std::string_view gz) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 16 + MAX_WBITS), Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  stream.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  char chunk[64 * 1024];
  int rc = Z_OK;
  while (rc == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof(chunk);
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof(chunk) - stream.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END) << (stream.msg != nullptr ? stream.msg : "");
  EXPECT_EQ(stream.avail_in, 0u) << "bytes after the gzip member";
  inflateEnd(&stream);
  return out;
}

TEST(GzipCodec, RoundTripsThroughZlib) {
  auto codec = MakeGzip();
  for (const auto& [name, input] : StandardInputs()) {
    const std::string gz = CompressOrDie(*codec, input);
    ASSERT_GE(gz.size(), 18u) << name;  // 10-byte header + 8-byte trailer at least
    EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
    EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
    EXPECT_EQ(Gunzip(gz), input) << name;
  }
}

TEST(GzipCodec, ReusedCompressorGivesIdenticalOutput) {
  auto codec = MakeGzip();
  const std::string input = JsonLines(200'000);
  const std::string first = CompressOrDie(*codec, input);
  CompressOrDie(*codec, RandomBytes(50'000, 1));
  EXPECT_EQ(CompressOrDie(*codec, input), first);
  EXPECT_LT(first.size(), input.size() / 4);
}

TEST(GzipCodec, OutOfRangeLevelsAreClamped) {
  const std::string input = JsonLines(10'000);
  for (int level : {-3, 0, 1, 12, 99}) {
    auto codec = MakeGzip(level);
    EXPECT_EQ(Gunzip(CompressOrDie(*codec, input)), input) << "level " << level;
  }
}

TEST(GzipCodec, SystemGzipReadsOutput) {
  ASSERT_TRUE(HaveTool("/bin/gzip"));
  const std::string input = RandomBytes(3000, 3) + JsonLines(300'000);
  auto codec = MakeGzip();
  ScratchDir dir;
  const auto gz = dir.Write("batch.gz", CompressOrDie(*codec, input));
  const CommandResult gunzip = RunCommand(dir, "/bin/gzip -dc " + ShellQuote(gz));
  ASSERT_EQ(gunzip.exit_code, 0);
  EXPECT_EQ(gunzip.out, input);
}

TEST(UncompressedCodec, PassesBytesThrough) {
  auto codec = MakeUncompressed();
  const std::string input = RandomBytes(1000, 9);
  EXPECT_EQ(CompressOrDie(*codec, input), input);
  EXPECT_EQ(CompressOrDie(*codec, ""), "");
  EXPECT_EQ(codec->Extension(), "");
}

TEST(MakeCodec, BuildsEveryFirehoseFormatWithItsExtension) {
  const std::vector<std::pair<std::string_view, std::string_view>> formats = {
      {"UNCOMPRESSED", ""}, {"GZIP", ".gz"},          {"ZIP", ".zip"},
      {"Snappy", ".snappy"}, {"HADOOP_SNAPPY", ".hsnappy"}, {"ZSTD", ".zst"}};
  for (const auto& [name, extension] : formats) {
    auto codec = MakeCodec(name);
    ASSERT_TRUE(codec.has_value()) << name << ": " << codec.error().message;
    EXPECT_EQ((*codec)->Extension(), extension) << name;
    EXPECT_TRUE((*codec)->Compress("abc").has_value()) << name;
  }
  auto gzip = MakeCodec("GZIP");
  EXPECT_EQ(Gunzip(CompressOrDie(**gzip, "abc")), "abc");
}

TEST(MakeCodec, LevelsChangeTheOutputNotTheContent) {
  std::string text;
  for (int i = 0; i < 4000; ++i) text += "line " + std::to_string(i * 7919 % 1000) + " of the log\n";
  for (const std::string_view name : {"GZIP", "ZSTD"}) {
    auto fast = MakeCodec(name, {1, 1});
    auto small = MakeCodec(name, {12, 19});
    ASSERT_TRUE(fast && small) << name;
    // The level is applied: the encodings differ (which one is smaller depends on the data).
    EXPECT_NE(CompressOrDie(**fast, text), CompressOrDie(**small, text)) << name;
  }
  auto fast_gzip = MakeCodec("GZIP", {1, 1});
  auto small_gzip = MakeCodec("GZIP", {12, 19});
  EXPECT_LT(CompressOrDie(**small_gzip, text).size(), CompressOrDie(**fast_gzip, text).size());
  EXPECT_EQ(Gunzip(CompressOrDie(**fast_gzip, text)), text);
}

TEST(MakeCodec, UnknownNamesListTheKnownOnes) {
  // Firehose spellings are case-sensitive ("Snappy" but "GZIP").
  for (std::string_view name : {"gzip", "SNAPPY", "", "LZ4"}) {
    auto codec = MakeCodec(name);
    ASSERT_FALSE(codec.has_value()) << name;
    EXPECT_EQ(codec.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(codec.error().message,
              "CompressionFormat '" + std::string(name) +
                  "' is not a known format; expected one of: UNCOMPRESSED, GZIP, ZIP, Snappy, "
                  "HADOOP_SNAPPY, ZSTD");
  }
}

}  // namespace
}  // namespace sluice::codecs
