#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstdint>

#include "codecs/codec.h"
#include "codecs/codec_test_util.h"

namespace sluice::codecs {
namespace {

constexpr char kUnzip[] = "/usr/bin/unzip";
constexpr char kZipinfo[] = "/usr/bin/zipinfo";

// Checks `archive` with Info-ZIP: the integrity test (CRC and sizes), the single entry's name,
// and the extracted bytes.
void ExpectUnzipReads(const ScratchDir& dir, const std::string& archive_bytes,
                      const std::string& expected, const std::string& label) {
  const auto archive = dir.Write("batch.zip", archive_bytes);
  EXPECT_EQ(RunCommand(dir, std::string(kUnzip) + " -tq " + ShellQuote(archive)).exit_code, 0)
      << label;
  const CommandResult names =
      RunCommand(dir, std::string(kZipinfo) + " -1 " + ShellQuote(archive));
  EXPECT_EQ(names.exit_code, 0) << label;
  EXPECT_EQ(names.out, "data\n") << label;
  const CommandResult extracted =
      RunCommand(dir, std::string(kUnzip) + " -p " + ShellQuote(archive) + " data");
  EXPECT_EQ(extracted.exit_code, 0) << label;
  EXPECT_TRUE(extracted.out == expected) << label << ": unzip -p gave " << extracted.out.size()
                                         << " bytes, expected " << expected.size();
}

TEST(ZipCodec, UnzipReadsStandardInputs) {
  ASSERT_TRUE(HaveTool(kUnzip));
  ASSERT_TRUE(HaveTool(kZipinfo));
  auto codec = MakeZip();
  EXPECT_EQ(codec->Extension(), ".zip");
  ScratchDir dir;
  for (const auto& [name, input] : StandardInputs()) {
    ExpectUnzipReads(dir, CompressOrDie(*codec, input), input, name);
  }
}

TEST(ZipCodec, EntryIsAUnixRegularFileDatedAtTheDosEpoch) {
  ASSERT_TRUE(HaveTool(kZipinfo));
  auto codec = MakeZip();
  ScratchDir dir;
  const auto archive = dir.Write("batch.zip", CompressOrDie(*codec, JsonLines(1000)));
  // zipinfo's long listing: permissions, "2.0 unx", sizes, "defN", date, time, name.
  const CommandResult listing =
      RunCommand(dir, std::string(kZipinfo) + " -l " + ShellQuote(archive));
  ASSERT_EQ(listing.exit_code, 0);
  EXPECT_NE(listing.out.find("-rw-r--r--  2.0 unx"), std::string::npos) << listing.out;
  EXPECT_NE(listing.out.find("defN 80-Jan-01 00:00 data"), std::string::npos) << listing.out;
  EXPECT_NE(listing.out.find("1 file"), std::string::npos) << listing.out;
}

TEST(ZipCodec, OutputIsAPureFunctionOfTheInput) {
  auto codec = MakeZip();
  const std::string input = JsonLines(200'000);
  const std::string first = CompressOrDie(*codec, input);
  CompressOrDie(*codec, RandomBytes(50'000, 1));
  EXPECT_EQ(CompressOrDie(*codec, input), first);
  EXPECT_LT(first.size(), input.size() / 4);
}

TEST(ZipCodec, OutOfRangeLevelsAreClamped) {
  ASSERT_TRUE(HaveTool(kUnzip));
  ASSERT_TRUE(HaveTool(kZipinfo));
  const std::string input = JsonLines(10'000);
  ScratchDir dir;
  for (int level : {-3, 0, 1, 12, 99}) {
    auto codec = MakeZip(level);
    ExpectUnzipReads(dir, CompressOrDie(*codec, input), input, "level " + std::to_string(level));
  }
}

TEST(ZipCodec, RefusesBatchesThatNeedZip64) {
  // A 4 GiB read-only view of never-touched zero pages: the codec must refuse it from its size
  // alone, before reading any byte.
  constexpr size_t kSize = size_t{1} << 32;
  void* pages =
      ::mmap(nullptr, kSize, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  ASSERT_NE(pages, MAP_FAILED);
  auto codec = MakeZip();
  auto out = codec->Compress(std::string_view(static_cast<const char*>(pages), kSize));
  ::munmap(pages, kSize);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(out.error().message,
            "ZIP: a batch of 4294967296 bytes is too large: Sluice writes ZIP archives without "
            "ZIP64, so an archive (with deflate's worst-case overhead) must stay below 4 GiB; use "
            "GZIP or ZSTD for larger objects");
}

}  // namespace
}  // namespace sluice::codecs
