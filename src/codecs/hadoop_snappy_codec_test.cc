#include <gtest/gtest.h>

#include <cstdint>

#include "codecs/codec.h"
#include "codecs/codec_test_util.h"

namespace sluice::codecs {
namespace {

constexpr char kPython[] = "/usr/bin/python3";  // the system one: it has python3-snappy
constexpr char kReader[] = SLUICE_CODECS_TESTDATA "/hadoop_snappy_decode.py";
// Hadoop's per-block input cap for the default 256 KiB buffer: 262144 - (262144 / 6 + 32).
constexpr uint32_t kBlockInput = 218'422;

std::string ReadWithScript(const std::filesystem::path& file) {
  return std::string(kPython) + " " + ShellQuote(kReader) + " " + ShellQuote(file);
}

uint32_t LoadBe32(std::string_view bytes, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

TEST(HadoopSnappyCodec, HadoopFramingReaderReadsStandardInputs) {
  ASSERT_TRUE(HaveTool(kPython));
  auto codec = MakeHadoopSnappy();
  EXPECT_EQ(codec->Extension(), ".hsnappy");
  ScratchDir dir;
  for (const auto& [name, input] : StandardInputs()) {
    const auto file = dir.Write("batch.hsnappy", CompressOrDie(*codec, input));
    const CommandResult decoded = RunCommand(dir, ReadWithScript(file));
    EXPECT_EQ(decoded.exit_code, 0) << name;
    EXPECT_TRUE(decoded.out == input) << name << ": got " << decoded.out.size() << " bytes";
  }
}

TEST(HadoopSnappyCodec, PythonSnappysOwnHadoopReaderAgrees) {
  ASSERT_TRUE(HaveTool(kPython));
  const std::string input = JsonLines(1 << 20) + RandomBytes(300'000, 11);
  auto codec = MakeHadoopSnappy();
  ScratchDir dir;
  const auto file = dir.Write("batch.hsnappy", CompressOrDie(*codec, input));
  const CommandResult decoded = RunCommand(
      dir, std::string(kPython) +
               " -c 'import sys, snappy; "
               "snappy.hadoop_stream_decompress(sys.stdin.buffer, sys.stdout.buffer)' < " +
               ShellQuote(file));
  EXPECT_EQ(decoded.exit_code, 0);
  EXPECT_TRUE(decoded.out == input) << "got " << decoded.out.size() << " bytes";
}

TEST(HadoopSnappyCodec, OneChunkPerBlockOfHadoopsInputCap) {
  auto codec = MakeHadoopSnappy();
  EXPECT_EQ(CompressOrDie(*codec, ""), "");
  const std::string framed = CompressOrDie(*codec, RandomBytes(2 * kBlockInput + 1000, 2));
  std::vector<uint32_t> block_sizes;
  size_t at = 0;
  while (at < framed.size()) {
    ASSERT_LE(at + 8, framed.size());
    block_sizes.push_back(LoadBe32(framed, at));
    const uint32_t chunk_size = LoadBe32(framed, at + 4);
    EXPECT_LE(chunk_size, 256u * 1024) << "must fit Hadoop's decompressor buffer";
    at += 8 + chunk_size;
  }
  EXPECT_EQ(at, framed.size());
  EXPECT_EQ(block_sizes, (std::vector<uint32_t>{kBlockInput, kBlockInput, 1000}));
}

TEST(HadoopSnappyCodec, ReaderRejectsATruncatedFile) {
  // Proves the round-trip test would notice a framing mistake.
  ASSERT_TRUE(HaveTool(kPython));
  auto codec = MakeHadoopSnappy();
  const std::string framed = CompressOrDie(*codec, JsonLines(1000));
  ScratchDir dir;
  const auto file = dir.Write("bad.hsnappy", framed.substr(0, framed.size() - 1));
  EXPECT_NE(RunCommand(dir, ReadWithScript(file)).exit_code, 0);
}

}  // namespace
}  // namespace sluice::codecs
