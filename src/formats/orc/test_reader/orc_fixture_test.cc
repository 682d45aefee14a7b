// Proves the test-only ORC reader on Apache ORC's example files (see the fixtures' README.md):
// every file with an expected output must give exactly its rows; every other file must be read
// whole (or refused as its README says), and the corrupt ones must fail cleanly.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "formats/orc/test_reader/json_expectation.h"
#include "formats/orc/test_reader/orc_reader.h"
#include "formats/orc/test_reader/row_index_check.h"

namespace sluice::formats::orc::test_reader {
namespace {

const std::filesystem::path kFixtures = SLUICE_ORC_FIXTURES_DIR;

// The files that have an expected/NAME.jsn.gz.
const std::vector<std::string> kWithExpected = {
    "TestOrcFile.columnProjection", "TestOrcFile.emptyFile", "TestOrcFile.metaData",
    "TestOrcFile.test1", "TestOrcFile.testDate1900", "TestOrcFile.testDate2038",
    "TestOrcFile.testMemoryManagementV11", "TestOrcFile.testMemoryManagementV12",
    "TestOrcFile.testPredicatePushdown", "TestOrcFile.testSeek", "TestOrcFile.testSnappy",
    "TestOrcFile.testStringAndBinaryStatistics", "TestOrcFile.testStripeLevelStats",
    "TestOrcFile.testTimestamp", "TestOrcFile.testUnionAndTimestamp",
    "TestOrcFile.testWithoutIndex", "TestStringDictionary.testRowIndex",
    "TestVectorOrcFile.testLz4", "TestVectorOrcFile.testLzo", "decimal", "nulls-at-end-snappy",
    "orc-file-11-format", "orc_index_int_string", "orc_split_elim", "orc_split_elim_cpp",
    "orc_split_elim_new", "over1k_bloom"};

// Files without expected rows that must read completely; their row count is checked against
// the footer.
const std::vector<std::string> kReadable = {
    "TestOrcFile.testSargSkipPickupGroupWithoutIndexCPlusPlus",
    "TestOrcFile.testSargSkipPickupGroupWithoutIndexJava",
    "TestOrcFile.testWithoutCompressionBlockSize", "TestVectorOrcFile.testZstd.0.12",
    "bad_bloom_filter_1.6.0", "bad_bloom_filter_1.6.11", "complextypes_iceberg",
    "decimal64_v2", "decimal64_v2_cplusplus", "demo-11-zlib", "demo-12-zlib", "orc_no_format",
    "zero"};

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Result<OrcReader> OpenFixture(const std::string& relative) {
  return OrcReader::Open(ReadFile(kFixtures / relative));
}

std::set<std::string> OrcFilesIn(const std::filesystem::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".orc") names.insert(entry.path().stem().string());
  }
  return names;
}

TEST(OrcFixtures, EveryTopLevelFileIsCovered) {
  ASSERT_TRUE(std::filesystem::is_directory(kFixtures)) << kFixtures;
  std::set<std::string> covered(kWithExpected.begin(), kWithExpected.end());
  covered.insert(kReadable.begin(), kReadable.end());
  covered.insert("version1999");
  EXPECT_EQ(OrcFilesIn(kFixtures), covered);
  std::set<std::string> expected_outputs;
  for (const auto& entry : std::filesystem::directory_iterator(kFixtures / "expected")) {
    expected_outputs.insert(entry.path().filename().string());
  }
  std::set<std::string> wanted;
  for (const auto& name : kWithExpected) wanted.insert(name + ".jsn.gz");
  EXPECT_EQ(expected_outputs, wanted);
}

std::string TestName(const testing::TestParamInfo<std::string>& param) {
  std::string name = param.param;
  std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
  return name;
}

class ExpectedRows : public testing::TestWithParam<std::string> {};

TEST_P(ExpectedRows, MatchExactly) {
  const std::string name = GetParam();
  auto lines = ReadGzipLines((kFixtures / "expected" / (name + ".jsn.gz")).string());
  ASSERT_TRUE(lines.has_value()) << lines.error().message;
  auto reader = OpenFixture(name + ".orc");
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  uint64_t row = 0;
  std::string first_mismatch;
  auto read = reader->ReadAll([&](const Value& value) {
    if (first_mismatch.empty()) {
      if (row >= lines->size()) {
        first_mismatch = "more rows than expected";
      } else if (std::string m = Mismatch(value, (*lines)[row]); !m.empty()) {
        first_mismatch = "row " + std::to_string(row) + ": " + m;
      }
    }
    ++row;
  });
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(first_mismatch, "");
  EXPECT_EQ(row, lines->size());
  EXPECT_EQ(row, reader->rows());
}

INSTANTIATE_TEST_SUITE_P(ApacheOrcExamples, ExpectedRows, testing::ValuesIn(kWithExpected),
                         TestName);

class ReadableFiles : public testing::TestWithParam<std::string> {};

TEST_P(ReadableFiles, ReadEveryRowTheFooterCounts) {
  auto reader = OpenFixture(GetParam() + ".orc");
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  uint64_t rows = 0;
  auto read = reader->ReadAll([&](const Value&) { ++rows; });
  ASSERT_TRUE(read.has_value()) << read.error().message;
  uint64_t stripe_rows = 0;
  for (const auto& stripe : reader->footer().stripes) stripe_rows += stripe.rows;
  EXPECT_EQ(rows, stripe_rows);
  if (reader->footer().rows.has_value()) {
    EXPECT_EQ(rows, *reader->footer().rows);
  }
}

INSTANTIATE_TEST_SUITE_P(ApacheOrcExamples, ReadableFiles, testing::ValuesIn(kReadable),
                         TestName);

// Files whose footer declares a row index stride but that hold no row index to check.
const std::set<std::string> kNoRowIndex = {
    "TestOrcFile.emptyFile", "TestOrcFile.testSargSkipPickupGroupWithoutIndexJava"};

class RowIndexes : public testing::TestWithParam<std::string> {};

TEST_P(RowIndexes, LeadToTheirRowGroups) {
  auto reader = OpenFixture(GetParam() + ".orc");
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  uint64_t checked = 0;
  uint64_t bloom_filters = 0;
  std::vector<std::string> bloom_misses;
  for (size_t i = 0; i < reader->stripe_count(); ++i) {
    auto stripe = reader->LoadStripe(i);
    ASSERT_TRUE(stripe.has_value()) << stripe.error().message;
    auto entries = CheckRowIndex(*stripe, reader->footer().stripes[i].rows,
                                 reader->footer().row_index_stride);
    ASSERT_TRUE(entries.has_value()) << "stripe " << i << ": " << entries.error().message;
    checked += entries->row_index_entries;
    bloom_filters += entries->bloom_filters;
    bloom_misses.insert(bloom_misses.end(), entries->bloom_misses.begin(),
                        entries->bloom_misses.end());
  }
  if (GetParam().starts_with("bad_bloom_filter")) {
    // Written by C++ writers whose integer hash shifted right without sign extension: their
    // bigint filter holds 1, 2 and 3 (hashed the same either way) but misses 0 and 18000000000
    // (entries 0 and 4); the string column's filter holds all its values.
    EXPECT_EQ(bloom_misses, (std::vector<std::string>{"column 1, group 0: entry 0",
                                                      "column 1, group 0: entry 4"}));
    EXPECT_EQ(bloom_filters, 1u);
  } else {
    EXPECT_EQ(bloom_misses, std::vector<std::string>{});
    EXPECT_EQ(bloom_filters, 0u) << "no other file has BLOOM_FILTER_UTF8 streams";
  }
  if (reader->footer().row_index_stride > 0 && !kNoRowIndex.contains(GetParam())) {
    EXPECT_GT(checked, 0u);
  } else {
    EXPECT_EQ(checked, 0u);
  }
}

std::vector<std::string> IndexedFiles() {
  std::vector<std::string> files = kWithExpected;
  for (const std::string& name : kReadable) {
    if (name != "zero") files.push_back(name);
  }
  return files;
}

INSTANTIATE_TEST_SUITE_P(ApacheOrcExamples, RowIndexes, testing::ValuesIn(IndexedFiles()),
                         TestName);

TEST(OrcFixtures, FutureVersionIsRefused) {
  auto reader = OpenFixture("version1999.orc");
  ASSERT_FALSE(reader.has_value());
  EXPECT_NE(reader.error().message.find("future ORC version 19.99"), std::string::npos)
      << reader.error().message;
}

TEST(OrcFixtures, EmptyFileIsAnEmptyStruct) {
  auto reader = OpenFixture("zero.orc");
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  EXPECT_EQ(reader->rows(), 0u);
  ASSERT_EQ(reader->footer().types.size(), 1u);
  EXPECT_EQ(reader->footer().types[0].kind, TypeKind::kStruct);
}

struct CorruptCase {
  std::string file;
  std::string message;
};

// Test listings show the file (else gtest prints the struct's bytes).
void PrintTo(const CorruptCase& c, std::ostream* os) { *os << c.file; }

class CorruptFiles : public testing::TestWithParam<CorruptCase> {};

TEST_P(CorruptFiles, FailWithAPreciseError) {
  const CorruptCase& c = GetParam();
  auto reader = OpenFixture("corrupt/" + c.file);
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  auto read = reader->ReadAll([](const Value&) {});
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kCorruption);
  EXPECT_NE(read.error().message.find(c.message), std::string::npos) << read.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    ApacheOrcExamples, CorruptFiles,
    testing::Values(
        CorruptCase{"missing_blob_stream_in_string_dict.orc", "DICTIONARY_DATA stream not found"},
        CorruptCase{"missing_length_stream_in_string_dict.orc", "LENGTH stream not found"},
        CorruptCase{"negative_dict_entry_lengths.orc", "negative dictionary entry length"},
        // Its stripe footer is cut inside a stream entry, before any column encoding.
        CorruptCase{"stripe_footer_bad_column_encodings.orc",
                    "stripe 0 footer: ORC protobuf: field 1 is longer than its message"}),
    [](const testing::TestParamInfo<CorruptCase>& param) {
      return param.param.file.substr(0, param.param.file.find('.'));
    });

TEST(OrcFixtures, CorruptFolderIsCovered) {
  EXPECT_EQ(OrcFilesIn(kFixtures / "corrupt"),
            (std::set<std::string>{"missing_blob_stream_in_string_dict",
                                   "missing_length_stream_in_string_dict",
                                   "negative_dict_entry_lengths",
                                   "stripe_footer_bad_column_encodings"}));
}

TEST(OrcFixtures, EncryptedFilesAreRefusedCleanly) {
  EXPECT_EQ(OrcFilesIn(kFixtures / "encrypted"), (std::set<std::string>{"sample1", "sample2"}));
  for (const std::string name : {"encrypted/sample1.orc", "encrypted/sample2.orc"}) {
    auto reader = OpenFixture(name);
    ASSERT_TRUE(reader.has_value()) << name << ": " << reader.error().message;
    EXPECT_EQ(reader->rows(), 1u);
    auto read = reader->ReadAll([](const Value&) {});
    ASSERT_FALSE(read.has_value()) << name;
    EXPECT_NE(read.error().message.find("column encryption"), std::string::npos)
        << read.error().message;
  }
}

}  // namespace
}  // namespace sluice::formats::orc::test_reader
