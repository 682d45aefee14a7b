#include <gtest/gtest.h>

#include <cstdint>

#include "codecs/codec.h"
#include "codecs/codec_test_util.h"

namespace sluice::codecs {
namespace {

constexpr char kPython[] = "/usr/bin/python3";  // the system one: it has python3-snappy

constexpr char kReader[] = SLUICE_CODECS_TESTDATA "/snappy_framing_decode.py";

std::string FramingReader(const std::filesystem::path& file) {
  return std::string(kPython) + " " + ShellQuote(kReader) + " " + ShellQuote(file);
}

struct Chunk {
  unsigned char type;
  size_t length;  // bytes after the 4-byte chunk header
};

// Walks the chunk headers (no decoding) so the test can check types and sizes.
std::vector<Chunk> Chunks(std::string_view framed) {
  std::vector<Chunk> chunks;
  size_t at = 0;
  while (at + 4 <= framed.size()) {
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(framed[at + i]); };
    const Chunk chunk{byte(0), size_t{byte(1)} | size_t{byte(2)} << 8 | size_t{byte(3)} << 16};
    chunks.push_back(chunk);
    at += 4 + chunk.length;
  }
  EXPECT_EQ(at, framed.size()) << "the last chunk is truncated";
  return chunks;
}

TEST(SnappyCodec, PythonSnappyReadsStandardInputs) {
  ASSERT_TRUE(HaveTool(kPython));
  auto codec = MakeSnappy();
  EXPECT_EQ(codec->Extension(), ".snappy");
  ScratchDir dir;
  for (const auto& [name, input] : StandardInputs()) {
    const auto file = dir.Write("batch.snappy", CompressOrDie(*codec, input));
    const CommandResult decoded = RunCommand(dir, FramingReader(file));
    EXPECT_EQ(decoded.exit_code, 0) << name;
    EXPECT_TRUE(decoded.out == input) << name << ": got " << decoded.out.size() << " bytes";
  }
}

TEST(SnappyCodec, StartsWithTheStreamIdentifierAndCapsChunksAt64KiB) {
  auto codec = MakeSnappy();
  EXPECT_EQ(CompressOrDie(*codec, ""), std::string_view("\xff\x06\x00\x00sNaPpY", 10));

  const std::vector<Chunk> random = Chunks(CompressOrDie(*codec, RandomBytes(200'000, 5)));
  // Identifier, then ceil(200000 / 65536) = 4 data chunks, stored raw as they do not compress.
  ASSERT_EQ(random.size(), 5u);
  for (size_t i = 1; i < random.size(); ++i) {
    EXPECT_EQ(random[i].type, 0x01) << i;
    EXPECT_EQ(random[i].length, 4 + (i < 4 ? 65536u : 200'000u - 3 * 65536u)) << i;
  }

  const std::vector<Chunk> text = Chunks(CompressOrDie(*codec, JsonLines(200'000)));
  ASSERT_EQ(text.size(), 5u);
  for (size_t i = 1; i < text.size(); ++i) {
    EXPECT_EQ(text[i].type, 0x00) << i;
    EXPECT_LT(text[i].length, 65536u / 2) << i;
  }
}

TEST(SnappyCodec, ReaderRejectsACorruptedChecksum) {
  // Proves the round-trip test would notice a wrong CRC-32C.
  ASSERT_TRUE(HaveTool(kPython));
  auto codec = MakeSnappy();
  std::string framed = CompressOrDie(*codec, JsonLines(1000));
  framed[10 + 4] = static_cast<char>(framed[10 + 4] ^ 0x01);  // first data chunk's CRC
  ScratchDir dir;
  const CommandResult decoded =
      RunCommand(dir, FramingReader(dir.Write("bad.snappy", framed)) + " 2>&1");
  EXPECT_NE(decoded.exit_code, 0);
  EXPECT_NE(decoded.out.find("crc mismatch"), std::string::npos) << decoded.out;
}

}  // namespace
}  // namespace sluice::codecs
