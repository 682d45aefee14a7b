#include "codecs/codec.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <vector>

#include "codecs/codec_test_util.h"

namespace sluice::codecs {
namespace {

// Decodes a complete gzip file, member after member, with zlib; fails the test on any zlib
// error or trailing garbage. `members`, when given, receives how many members it held.
std::string Gunzip(std::string_view gz, size_t* members = nullptr) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 16 + MAX_WBITS), Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  stream.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  char chunk[64 * 1024];
  size_t count = 0;
  int rc = Z_OK;
  do {
    ++count;
    EXPECT_EQ(inflateReset(&stream), Z_OK);
    rc = Z_OK;
    while (rc == Z_OK) {
      stream.next_out = reinterpret_cast<Bytef*>(chunk);
      stream.avail_out = sizeof(chunk);
      rc = inflate(&stream, Z_NO_FLUSH);
      out.append(chunk, sizeof(chunk) - stream.avail_out);
    }
    EXPECT_EQ(rc, Z_STREAM_END) << (stream.msg != nullptr ? stream.msg : "");
  } while (rc == Z_STREAM_END && stream.avail_in > 0);
  inflateEnd(&stream);
  if (members != nullptr) *members = count;
  return out;
}

// The pieces CompressTo hands out, in order.
std::vector<std::string> Pieces(Codec& codec, std::string_view input) {
  std::vector<std::string> pieces;
  const auto done = codec.CompressTo(input, [&](std::string_view piece) {
    pieces.emplace_back(piece);
    return true;
  });
  EXPECT_TRUE(done.has_value()) << done.error().message;
  return pieces;
}

std::string Joined(const std::vector<std::string>& pieces) {
  std::string joined;
  for (const auto& piece : pieces) joined += piece;
  return joined;
}

// The object `codec` makes of `input` handed over in pieces of the sizes in `cuts` (cycled).
std::string Streamed(Codec& codec, std::string_view input, const std::vector<size_t>& cuts,
                     std::optional<uint64_t> body_bytes) {
  std::string out;
  auto object = codec.Start(
      [&](std::string_view piece) {
        out += piece;
        return true;
      },
      body_bytes);
  EXPECT_TRUE(object.has_value());
  if (!object) return out;
  for (size_t i = 0; !input.empty(); ++i) {
    const std::string_view piece = input.substr(0, cuts[i % cuts.size()]);
    input.remove_prefix(piece.size());
    const auto written = (*object)->Write(piece);
    EXPECT_TRUE(written.has_value()) << written.error().message;
  }
  const auto finished = (*object)->Finish();
  EXPECT_TRUE(finished.has_value()) << finished.error().message;
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

TEST(GzipCodec, LargeInputsBecomeOneMemberPerChunkAndReadBackWhole) {
  ASSERT_TRUE(HaveTool("/bin/gzip"));
  constexpr size_t kMember = 4097;
  auto codec = MakeGzip(6, kMember);
  const std::string text = JsonLines(5 * kMember);
  ScratchDir dir;
  // Chunk boundaries: none, exactly one member, one byte over, one byte short of three.
  for (const size_t size : {size_t{0}, size_t{1}, kMember - 1, kMember, kMember + 1, 3 * kMember - 1, 3 * kMember}) {
    const std::string input = text.substr(0, size);
    const std::vector<std::string> pieces = Pieces(*codec, input);
    const size_t expected_members = std::max<size_t>(1, (size + kMember - 1) / kMember);
    EXPECT_EQ(pieces.size(), expected_members) << size;
    const std::string gz = Joined(pieces);
    size_t members = 0;
    EXPECT_EQ(Gunzip(gz, &members), input) << size;
    EXPECT_EQ(members, expected_members) << size;
    EXPECT_EQ(CompressOrDie(*codec, input), gz) << size;
    const CommandResult gunzip = RunCommand(dir, "/bin/gzip -dc " + ShellQuote(dir.Write("m.gz", gz)));
    EXPECT_EQ(gunzip.exit_code, 0) << size;
    EXPECT_EQ(gunzip.out, input) << size;
  }
}

TEST(GzipCodec, EightMiBMembersKeepTheRatioOfOneMember) {
  const std::string input = JsonLines(20 << 20);
  auto whole = MakeGzip(6, input.size());
  auto chunked = MakeGzip();
  const size_t one_member = CompressOrDie(*whole, input).size();
  size_t members = 0;
  const std::string gz = CompressOrDie(*chunked, input);
  EXPECT_EQ(Gunzip(gz, &members), input);
  EXPECT_EQ(members, 3u);
  EXPECT_LT(static_cast<double>(gz.size()), one_member * 1.001);
}

TEST(GzipCodec, MembersCompressedInParallelGiveTheSameBytesInOrder) {
  constexpr size_t kMember = 4097;
  const std::string text = JsonLines(7 * kMember);
  auto one_thread = MakeGzip(6, kMember, 1);
  auto three_threads = MakeGzip(6, kMember, 3);
  // Rounds of three members: short of a round, whole rounds, one over, and an empty input.
  for (const size_t size : {size_t{0}, kMember + 1, 3 * kMember, 3 * kMember + 1, 7 * kMember}) {
    const std::string input = text.substr(0, size);
    const std::vector<std::string> pieces = Pieces(*three_threads, input);
    EXPECT_EQ(pieces, Pieces(*one_thread, input)) << size;
    EXPECT_EQ(Gunzip(Joined(pieces)), input) << size;
  }
  // A destination stopping in the middle of a round ends it there.
  int calls = 0;
  const auto stopped = three_threads->CompressTo(text, [&](std::string_view) { return ++calls < 2; });
  ASSERT_FALSE(stopped.has_value());
  EXPECT_EQ(calls, 2);
}

TEST(GzipCodec, ADestinationThatStopsEndsCompression) {
  auto codec = MakeGzip(6, 1000);
  const std::string input = JsonLines(10'000);
  int calls = 0;
  const auto stopped = codec->CompressTo(input, [&](std::string_view) { return ++calls < 2; });
  ASSERT_FALSE(stopped.has_value());
  EXPECT_EQ(stopped.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(Gunzip(CompressOrDie(*codec, input)), input);  // the codec is still usable
}

TEST(UncompressedCodec, EmitsTheInputItselfInOnePiece) {
  auto codec = MakeUncompressed();
  const std::string input = RandomBytes(1000, 9);
  std::vector<const char*> pieces;
  ASSERT_TRUE(codec->CompressTo(input, [&](std::string_view piece) {
    pieces.push_back(piece.data());
    return true;
  }));
  EXPECT_EQ(pieces, std::vector<const char*>{input.data()});  // no copy
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

TEST(ObjectCompressor, ABodyInPiecesGivesTheBytesOfTheWholeBody) {
  // Pieces smaller than, straddling and larger than each format's chunks (gzip members of 4097
  // bytes in rounds of three here, 64 KiB Snappy chunks, ~213 KiB Hadoop blocks).
  const std::vector<std::vector<size_t>> cuts = {{1}, {7, 4096, 1}, {65535, 3}, {300'000}, {1 << 20, 5}};
  std::vector<std::pair<std::string, std::unique_ptr<Codec>>> codecs;
  for (const std::string_view name : {"UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY", "ZSTD"}) {
    codecs.emplace_back(name, std::move(*MakeCodec(name)));
  }
  codecs.emplace_back("GZIP, small members, 3 threads", MakeGzip(6, 4097, 3));
  const std::string text = JsonLines(3 << 20);
  for (const size_t size : {size_t{0}, size_t{1}, size_t{4097 * 3}, size_t{65536}, size_t{(3 << 20) + 17}}) {
    const std::string input = text.substr(0, size);
    for (auto& [name, codec] : codecs) {
      const std::string whole = CompressOrDie(*codec, input);
      // Only the first cuts for the one-byte pieces: a 3 MiB body a byte at a time is slow.
      for (const auto& cut : cuts) {
        if (cut.front() == 1 && size > 65536) continue;
        EXPECT_EQ(Streamed(*codec, input, cut, input.size()), whole) << name << ", " << size << " bytes";
      }
    }
  }
}

TEST(ObjectCompressor, AnAbandonedObjectLeavesTheCodecUsable) {
  for (const std::string_view name : {"GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY", "ZSTD"}) {
    auto codec = std::move(*MakeCodec(name));
    const std::string input = JsonLines(100'000);
    const std::string whole = CompressOrDie(*codec, input);
    {
      auto object = codec->Start([](std::string_view) { return true; }, std::nullopt);
      ASSERT_TRUE(object.has_value()) << name;
      ASSERT_TRUE((*object)->Write(input.substr(0, 70'000))) << name;
    }
    EXPECT_EQ(CompressOrDie(*codec, input), whole) << name;
  }
}

TEST(ObjectCompressor, GzipWithoutAWriteIsOneEmptyMember) {
  auto codec = MakeGzip();
  std::string out;
  auto object = codec->Start([&](std::string_view piece) { out += piece; return true; }, std::nullopt);
  ASSERT_TRUE(object.has_value());
  ASSERT_TRUE((*object)->Finish());
  size_t members = 0;
  EXPECT_EQ(Gunzip(out, &members), "");
  EXPECT_EQ(members, 1u);
}

}  // namespace
}  // namespace sluice::codecs
