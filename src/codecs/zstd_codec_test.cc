#include <gtest/gtest.h>
#include <zstd.h>

#include <string>
#include <vector>

#include "codecs/codec.h"
#include "codecs/codec_test_util.h"

namespace sluice::codecs {
namespace {

constexpr char kZstd[] = "/usr/bin/zstd";

// Expects `frame` to be a single zstd frame whose header states `content_size` (or
// ZSTD_CONTENTSIZE_UNKNOWN), and the zstd CLI to decode it to `input`.
void ExpectOneFrameTheCliReads(const std::string& frame, const std::string& input, unsigned long long content_size) {
  EXPECT_EQ(ZSTD_findFrameCompressedSize(frame.data(), frame.size()), frame.size());
  EXPECT_EQ(ZSTD_getFrameContentSize(frame.data(), frame.size()), content_size);
  ScratchDir dir;
  const CommandResult decoded = RunCommand(dir, std::string(kZstd) + " -dcq " + ShellQuote(dir.Write("f.zst", frame)));
  EXPECT_EQ(decoded.exit_code, 0);
  EXPECT_TRUE(decoded.out == input);
}

TEST(ZstdCodec, ZstdCliReadsStandardInputs) {
  ASSERT_TRUE(HaveTool(kZstd));
  auto codec = MakeZstd();
  EXPECT_EQ(codec->Extension(), ".zst");
  ScratchDir dir;
  for (const auto& [name, input] : StandardInputs()) {
    const std::string frame = CompressOrDie(*codec, input);
    // A single frame whose header states the content size.
    EXPECT_EQ(ZSTD_findFrameCompressedSize(frame.data(), frame.size()), frame.size()) << name;
    EXPECT_EQ(ZSTD_getFrameContentSize(frame.data(), frame.size()), input.size()) << name;
    const auto file = dir.Write("batch.zst", frame);
    const CommandResult decoded = RunCommand(dir, std::string(kZstd) + " -dcq " + ShellQuote(file));
    EXPECT_EQ(decoded.exit_code, 0) << name;
    EXPECT_TRUE(decoded.out == input) << name << ": got " << decoded.out.size() << " bytes";
  }
}

TEST(ZstdCodec, FrameCarriesAChecksumTheCliVerifies) {
  ASSERT_TRUE(HaveTool(kZstd));
  auto codec = MakeZstd();
  std::string frame = CompressOrDie(*codec, JsonLines(10'000));
  // The last 4 bytes are the content checksum; zstd -t must notice a flipped bit there.
  frame.back() = static_cast<char>(frame.back() ^ 0x01);
  ScratchDir dir;
  EXPECT_NE(RunCommand(dir, std::string(kZstd) + " -tq " + ShellQuote(dir.Write("bad.zst", frame)))
                .exit_code,
            0);
}

TEST(ZstdCodec, SmallPiecesStillMakeOneFrameWithItsContentSize) {
  ASSERT_TRUE(HaveTool(kZstd));
  auto codec = MakeZstd(3, 1001);
  const std::string input = RandomBytes(7'000, 5) + JsonLines(300'000);
  std::vector<std::string> pieces;
  ASSERT_TRUE(codec->CompressTo(input, [&](std::string_view piece) {
    EXPECT_LE(piece.size(), 1001u);
    pieces.emplace_back(piece);
    return true;
  }));
  EXPECT_GT(pieces.size(), 10u);
  std::string frame;
  for (const auto& piece : pieces) frame += piece;
  EXPECT_EQ(frame, CompressOrDie(*codec, input));
  ExpectOneFrameTheCliReads(frame, input, input.size());
}

TEST(ZstdCodec, ABodyOfUnknownSizeInPiecesIsOneFrameTheCliReads) {
  ASSERT_TRUE(HaveTool(kZstd));
  auto codec = MakeZstd();
  const std::string input = JsonLines(3 << 20);
  std::string frame;
  auto object = codec->Start([&](std::string_view piece) { frame += piece; return true; }, std::nullopt);
  ASSERT_TRUE(object.has_value());
  for (size_t at = 0; at < input.size(); at += 100'003) ASSERT_TRUE((*object)->Write(std::string_view(input).substr(at, 100'003)));
  ASSERT_TRUE((*object)->Finish());
  ExpectOneFrameTheCliReads(frame, input, ZSTD_CONTENTSIZE_UNKNOWN);
}

TEST(ZstdCodec, ABodyOtherThanItsPledgedSizeIsAnError) {
  auto codec = MakeZstd();
  auto object = codec->Start([](std::string_view) { return true; }, 10);
  ASSERT_TRUE(object.has_value());
  ASSERT_TRUE((*object)->Write("12345"));
  const auto finished = (*object)->Finish();
  ASSERT_FALSE(finished.has_value());
  EXPECT_EQ(finished.error().code, ErrorCode::kInternal);
}

TEST(ZstdCodec, WorkerThreadsGiveOneFrameWhoseBytesDoNotDependOnTheirNumber) {
  ASSERT_TRUE(HaveTool(kZstd));
  const std::string input = JsonLines(24 << 20);
  auto two = MakeZstd(3, kZstdPieceBytes, 2);
  auto three = MakeZstd(3, kZstdPieceBytes, 3);
  const std::string frame = CompressOrDie(*two, input);
  EXPECT_EQ(CompressOrDie(*three, input), frame);
  EXPECT_EQ(CompressOrDie(*two, input), frame);  // the context is reused
  ExpectOneFrameTheCliReads(frame, input, input.size());
}

TEST(ZstdCodec, AFrameStoppedHalfwayDoesNotSpoilTheNext) {
  auto codec = MakeZstd(3, 512);
  const std::string input = JsonLines(200'000);
  const std::string whole = CompressOrDie(*codec, input);
  int calls = 0;
  const auto stopped = codec->CompressTo(input, [&](std::string_view) { return ++calls < 3; });
  ASSERT_FALSE(stopped.has_value());
  EXPECT_EQ(stopped.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(CompressOrDie(*codec, input), whole);
}

TEST(ZstdCodec, LevelsAreClampedAndReusedContextIsDeterministic) {
  ASSERT_TRUE(HaveTool(kZstd));
  const std::string input = JsonLines(100'000);
  ScratchDir dir;
  for (int level : {-1'000'000, 1, 3, 19, 1'000}) {
    auto codec = MakeZstd(level);
    const std::string first = CompressOrDie(*codec, input);
    CompressOrDie(*codec, RandomBytes(10'000, 4));
    EXPECT_EQ(CompressOrDie(*codec, input), first) << "level " << level;
    const CommandResult decoded =
        RunCommand(dir, std::string(kZstd) + " -dcq " + ShellQuote(dir.Write("l.zst", first)));
    EXPECT_EQ(decoded.exit_code, 0) << "level " << level;
    EXPECT_TRUE(decoded.out == input) << "level " << level;
  }
}

}  // namespace
}  // namespace sluice::codecs
