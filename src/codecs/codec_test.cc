#include "codecs/codec.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

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

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(gen() & 0xFF);
  return out;
}

// Log-like text: compressible, like real Firehose payloads.
std::string JsonLines(size_t min_size) {
  std::string out;
  for (int i = 0; out.size() < min_size; ++i) {
    out += R"({"ticker":"AMZN","price":)" + std::to_string(i % 997) + R"(,"seq":)" +
           std::to_string(i) + "}\n";
  }
  return out;
}

std::string CompressOrDie(Codec& codec, std::string_view input) {
  auto out = codec.Compress(input);
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().message);
  return out.value_or("");
}

TEST(GzipCodec, RoundTripsThroughZlib) {
  auto codec = MakeGzip();
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes += static_cast<char>(b);
  const std::vector<std::string> inputs = {
      "", "x", "hello, firehose\n", all_bytes, RandomBytes(5 << 20, 7), JsonLines(5 << 20)};
  for (const auto& input : inputs) {
    const std::string gz = CompressOrDie(*codec, input);
    ASSERT_GE(gz.size(), 18u);  // 10-byte header + 8-byte trailer at least
    EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
    EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
    EXPECT_EQ(Gunzip(gz), input) << "input size " << input.size();
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
  if (!std::filesystem::exists("/bin/gzip")) GTEST_SKIP() << "no /bin/gzip";
  const std::string input = RandomBytes(3000, 3) + JsonLines(300'000);
  auto codec = MakeGzip();
  const auto dir =
      std::filesystem::temp_directory_path() / ("sluice-codecs-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto gz_path = dir / "batch.gz";
  const auto out_path = dir / "batch";
  std::ofstream(gz_path, std::ios::binary) << CompressOrDie(*codec, input);
  const std::string command =
      "/bin/gzip -dc '" + gz_path.string() + "' > '" + out_path.string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream decoded(out_path, std::ios::binary);
  const std::string got((std::istreambuf_iterator<char>(decoded)), {});
  EXPECT_EQ(got, input);
  std::filesystem::remove_all(dir);
}

TEST(UncompressedCodec, PassesBytesThrough) {
  auto codec = MakeUncompressed();
  const std::string input = RandomBytes(1000, 9);
  EXPECT_EQ(CompressOrDie(*codec, input), input);
  EXPECT_EQ(CompressOrDie(*codec, ""), "");
  EXPECT_EQ(codec->Extension(), "");
}

TEST(MakeCodec, BuildsImplementedFormats) {
  auto gzip = MakeCodec("GZIP");
  ASSERT_TRUE(gzip.has_value());
  EXPECT_EQ((*gzip)->Extension(), ".gz");
  EXPECT_EQ(Gunzip(CompressOrDie(**gzip, "abc")), "abc");

  auto plain = MakeCodec("UNCOMPRESSED");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ((*plain)->Extension(), "");
}

TEST(MakeCodec, KnownButUnimplementedFormatsAreRejected) {
  for (std::string_view name : {"ZIP", "Snappy", "HADOOP_SNAPPY", "ZSTD"}) {
    auto codec = MakeCodec(name);
    ASSERT_FALSE(codec.has_value()) << name;
    EXPECT_EQ(codec.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(codec.error().message,
              "CompressionFormat " + std::string(name) + " is not supported yet");
  }
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
