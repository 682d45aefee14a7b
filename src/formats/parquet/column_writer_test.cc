#include "formats/parquet/column_writer.h"
#include "formats/parquet/test_bytes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>
#include <string>

namespace sluice::formats::parquet {
namespace {

struct Flushed {
  ColumnChunkInfo info;
  std::string bytes;
};

// A table of one column "c" of `type`, whose only leaf the tests write.
ParquetSchema OneColumn(const std::string& type, const WriterOptions& options = {}) {
  auto schema = ParquetSchema::Create({{"c", type}}, options);
  EXPECT_TRUE(schema) << type;
  return std::move(*schema);
}

// Appends a flat column's value: defined (level 1) unless null (level 0).
void Add(ColumnWriter& column, const Value& value) {
  EXPECT_TRUE(column.Append(IsNull(value) ? 0 : 1, 0, value));
}

// Ends the column chunk at `file_offset` and appends its pages to `bytes`.
Result<ColumnChunkInfo> Flush(ColumnWriter& column, int64_t file_offset, std::string& bytes) {
  std::deque<std::string> pages;
  auto info = column.Flush(file_offset, pages);
  for (const std::string& page : pages) bytes += page;
  return info;
}

Flushed Write(const std::string& type, const std::vector<Value>& cells,
              WriterOptions options = {.compression = Compression::kUncompressed}) {
  const ParquetSchema schema = OneColumn(type, options);
  PageScratch scratch(options.compression);
  ColumnWriter column(*schema.leaves()[0], options, scratch);
  for (const Value& cell : cells) Add(column, cell);
  Flushed out;
  out.bytes = "PAR1";
  auto info = Flush(column, 4, out.bytes);
  EXPECT_TRUE(info);
  out.info = *info;
  return out;
}

template <typename T>
std::string Plain(T value) {
  std::string out(sizeof(T), '\0');
  std::memcpy(out.data(), &value, sizeof(T));
  return out;
}

TEST(ColumnWriterTest, CountsValuesNullsAndOffsets) {
  const Flushed out = Write("int", {Value(int64_t{3}), Value(), Value(int64_t{-7})});
  EXPECT_EQ(out.info.num_values, 3);
  EXPECT_EQ(out.info.null_count, 1);
  EXPECT_EQ(out.info.data_page_offset, 4);
  EXPECT_FALSE(out.info.dictionary_page_offset);
  EXPECT_EQ(out.info.compressed_bytes, static_cast<int64_t>(out.bytes.size()) - 4);
  EXPECT_EQ(out.info.uncompressed_bytes, out.info.compressed_bytes);
  EXPECT_EQ(*out.info.min_value, Plain(int32_t{-7}));
  EXPECT_EQ(*out.info.max_value, Plain(int32_t{3}));
  // The page ends with: level length 2, levels (1 0 1 bit-packed), then the two PLAIN values.
  EXPECT_EQ(out.bytes.substr(out.bytes.size() - 14),
            Bytes({2, 0, 0, 0, 0x03, 0x05}) + Plain(int32_t{3}) + Plain(int32_t{-7}));
}

TEST(ColumnWriterTest, AllNullColumnHasNoMinMax) {
  const Flushed out = Write("string", {Value(), Value()});
  EXPECT_EQ(out.info.null_count, 2);
  EXPECT_FALSE(out.info.min_value);
  EXPECT_FALSE(out.info.dictionary_page_offset);  // no values, no dictionary
}

TEST(ColumnWriterTest, FloatStatsSkipNaNAndSignZeros) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Flushed out = Write("float", {Value(double{nan}), Value(0.0), Value(2.5)});
  EXPECT_EQ(*out.info.min_value, Plain(-0.0f));
  EXPECT_EQ(*out.info.max_value, Plain(2.5f));
  out = Write("double", {Value(-1.0), Value(-0.0)});
  EXPECT_EQ(*out.info.max_value, Plain(0.0));
  out = Write("double", {Value(std::nan(""))});
  EXPECT_FALSE(out.info.min_value);
}

TEST(ColumnWriterTest, StringsUseDictionaryUntilTheLimit) {
  std::vector<Value> cells{Value(std::string_view("b")), Value(std::string_view("a")),
                          Value(std::string_view("b")), Value(OwnedText{"\xc3\xa9"})};
  Flushed out = Write("string", cells);
  ASSERT_TRUE(out.info.dictionary_page_offset);
  EXPECT_EQ(*out.info.dictionary_page_offset, 4);
  EXPECT_GT(out.info.data_page_offset, 4);
  EXPECT_EQ(out.info.encodings, (std::vector{Encoding::kPlainDictionary, Encoding::kRle}));
  EXPECT_EQ(*out.info.min_value, "a");
  EXPECT_EQ(*out.info.max_value, "\xc3\xa9");  // bytes compare unsigned

  WriterOptions v2{.compression = Compression::kUncompressed, .page_version = PageVersion::kV2};
  out = Write("string", cells, v2);
  EXPECT_EQ(out.info.encodings,
            (std::vector{Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary}));

  WriterOptions small{.compression = Compression::kUncompressed, .dictionary_limit_bytes = 10};
  out = Write("string", cells, small);  // "b", "a" fit (5 bytes each); the third entry does not
  EXPECT_FALSE(out.info.dictionary_page_offset);
  EXPECT_EQ(out.info.encodings, (std::vector{Encoding::kPlain, Encoding::kRle}));

  WriterOptions off{.compression = Compression::kUncompressed, .dictionary = false};
  EXPECT_FALSE(Write("string", cells, off).info.dictionary_page_offset);
}

TEST(ColumnWriterTest, MostlyDistinctChunksGiveUpTheDictionary) {
  std::vector<std::string> texts;
  for (int i = 0; i < 3000; ++i) texts.push_back("value-" + std::to_string(i));
  std::vector<Value> distinct;
  std::vector<Value> repeated;
  for (int i = 0; i < 3000; ++i) {
    distinct.emplace_back(std::string_view(texts[i]));
    repeated.emplace_back(std::string_view(texts[i % 10]));
  }
  const Flushed plain = Write("string", distinct);
  EXPECT_FALSE(plain.info.dictionary_page_offset);
  EXPECT_EQ(*plain.info.min_value, "value-0");
  EXPECT_EQ(*plain.info.max_value, "value-999");
  // The values written before giving up are all there, PLAIN, in order.
  EXPECT_NE(plain.bytes.find(Plain(uint32_t{7}) + "value-0" + Plain(uint32_t{7}) + "value-1"),
            std::string::npos);
  EXPECT_NE(plain.bytes.find(Plain(uint32_t{10}) + "value-2999"), std::string::npos);
  EXPECT_TRUE(Write("string", repeated).info.dictionary_page_offset);
}

TEST(ColumnWriterTest, PagesAreCutAtPageSize) {
  std::vector<Value> cells(100, Value(int64_t{1}));
  WriterOptions one_page{.compression = Compression::kUncompressed};
  WriterOptions small_pages{.compression = Compression::kUncompressed, .page_bytes = 80};
  const Flushed single = Write("bigint", cells, one_page);
  const Flushed split = Write("bigint", cells, small_pages);
  // Ten pages of ten values each: nine more page headers and level sections.
  EXPECT_GT(split.bytes.size(), single.bytes.size() + 9 * 10);
  EXPECT_EQ(split.info.num_values, 100);
}

TEST(ColumnWriterTest, PlainPagesAreWrittenAsTheyFill) {
  // 100 values of 8 bytes a page: however many pages, no more than a page of raw values (their
  // levels are encoded as they come) is held before the chunk ends.
  const WriterOptions options{.compression = Compression::kSnappy, .page_bytes = 800};
  const ParquetSchema schema = OneColumn("bigint", options);
  PageScratch scratch(options.compression);
  ColumnWriter column(*schema.leaves()[0], options, scratch);
  size_t most_held = 0;
  for (int64_t i = 0; i < 10'000; ++i) {
    Add(column, Value(i));
    most_held = std::max(most_held, column.unwritten_bytes());
  }
  EXPECT_LE(most_held, 101u * 8 + 16);
  // The row group size still counts every value appended.
  EXPECT_EQ(column.buffered_bytes(), 10'000u * (8 + 1));
  std::string bytes;
  auto info = Flush(column, 0, bytes);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->num_values, 10'000);
  EXPECT_EQ(*info->max_value, Plain(int64_t{9'999}));
  EXPECT_EQ(info->compressed_bytes, static_cast<int64_t>(bytes.size()));
}

TEST(ColumnWriterTest, DictionaryGivenUpAfterPagesWereCutIsThePlainChunk) {
  // 2,500 values of ten distinct ones keep the dictionary past its first check; pages of ~12
  // values are cut meanwhile. Then distinct values outgrow the dictionary's limit: the chunk is
  // written as if it had been PLAIN from the start, page for page.
  std::vector<std::string> texts;
  for (int i = 0; i < 2'600; ++i) texts.push_back("value-" + std::to_string(i < 2'500 ? i % 10 : i));
  std::vector<Value> cells;
  for (int i = 0; i < 2'600; ++i) {
    cells.emplace_back(i % 7 == 0 ? Value() : Value(std::string_view(texts[i])));
  }
  WriterOptions dictionary{.compression = Compression::kUncompressed, .page_bytes = 128,
                           .dictionary_limit_bytes = 300};
  WriterOptions plain = dictionary;
  plain.dictionary = false;
  const Flushed given_up = Write("string", cells, dictionary);
  EXPECT_FALSE(given_up.info.dictionary_page_offset);
  const Flushed expected = Write("string", cells, plain);
  EXPECT_EQ(given_up.bytes, expected.bytes);
  EXPECT_EQ(given_up.info.uncompressed_bytes, expected.info.uncompressed_bytes);
  EXPECT_EQ(given_up.info.null_count, expected.info.null_count);
  // Under the limit, the same values stay dictionary-encoded.
  dictionary.dictionary_limit_bytes = 1u << 20;
  EXPECT_TRUE(Write("string", cells, dictionary).info.dictionary_page_offset);
}

TEST(ColumnWriterTest, ZeroPageSizeStillMakesProgress) {
  WriterOptions tiny{.compression = Compression::kUncompressed, .page_bytes = 0};
  EXPECT_EQ(Write("int", {Value(int64_t{1}), Value(), Value(int64_t{2})}, tiny).info.num_values, 3);
}

TEST(ColumnWriterTest, Int96TimestampLayout) {
  // 1970-01-02 00:00:01.5: Julian day 2440589, 1.5e9 nanoseconds into the day.
  const Flushed out = Write("timestamp", {Value(int64_t{86'401'500'000'000})});
  EXPECT_EQ(out.bytes.substr(out.bytes.size() - 12),
            Plain(int64_t{1'500'000'000}) + Plain(uint32_t{2'440'589}));
  EXPECT_FALSE(out.info.min_value);  // INT96 has no order
  // Before the epoch: 1969-12-31 23:59:59.999999999.
  const Flushed before = Write("timestamp", {Value(int64_t{-1})});
  EXPECT_EQ(before.bytes.substr(before.bytes.size() - 12),
            Plain(int64_t{86'399'999'999'999}) + Plain(uint32_t{2'440'587}));
}

TEST(ColumnWriterTest, Int64MillisTimestampsFloor) {
  WriterOptions options{.compression = Compression::kUncompressed,
                        .timestamp_encoding = TimestampEncoding::kInt64Millis};
  const Flushed out = Write("timestamp", {Value(int64_t{-1}), Value(int64_t{2'999'999})}, options);
  EXPECT_EQ(out.bytes.substr(out.bytes.size() - 16), Plain(int64_t{-1}) + Plain(int64_t{2}));
  EXPECT_EQ(*out.info.min_value, Plain(int64_t{-1}));
  EXPECT_EQ(*out.info.max_value, Plain(int64_t{2}));
}

TEST(ColumnWriterTest, DecimalsAreBigEndianTwosComplement) {
  // precision 4 fits 2 bytes; precision 38 needs 16.
  Flushed out = Write("decimal(4,2)", {Value(Decimal{-2}), Value(Decimal{9999})});
  EXPECT_EQ(out.bytes.substr(out.bytes.size() - 4), Bytes({0xFF, 0xFE, 0x27, 0x0F}));
  EXPECT_EQ(*out.info.min_value, Bytes({0xFF, 0xFE}));
  EXPECT_EQ(*out.info.max_value, Bytes({0x27, 0x0F}));
  out = Write("decimal(38,0)", {Value(Decimal{1})});
  EXPECT_EQ(out.bytes.substr(out.bytes.size() - 16), std::string(15, '\0') + "\x01");
}

TEST(ColumnWriterTest, BooleansArePackedLsbFirst) {
  const Flushed out = Write("boolean", {Value(true), Value(false), Value(true), Value(true)});
  EXPECT_EQ(out.bytes.back(), 0x0D);
  EXPECT_EQ(*out.info.min_value, Bytes({0}));
  EXPECT_EQ(*out.info.max_value, Bytes({1}));
}

TEST(ColumnWriterTest, FlushResetsForTheNextRowGroup) {
  const ParquetSchema schema = OneColumn("int");
  PageScratch scratch(Compression::kSnappy);
  ColumnWriter column(*schema.leaves()[0], {}, scratch);
  std::string bytes;
  Add(column, Value(int64_t{50}));
  ASSERT_TRUE(Flush(column, 0, bytes));
  EXPECT_EQ(column.buffered_bytes(), 0u);
  Add(column, Value(int64_t{1}));
  auto info = Flush(column, 100, bytes);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->num_values, 1);
  EXPECT_EQ(*info->max_value, Plain(int32_t{1}));
  EXPECT_EQ(info->data_page_offset, 100);
}

TEST(ColumnWriterTest, ListLeafWritesRepetitionAndDefinitionLevels) {
  // array<int>: the column (1), its repeated group (2) and the element (3) add definition levels.
  const WriterOptions options{.compression = Compression::kUncompressed};
  const ParquetSchema schema = OneColumn("array<int>", options);
  const SchemaNode& leaf = *schema.leaves()[0];
  ASSERT_EQ(leaf.def, 3);
  ASSERT_EQ(leaf.rep, 1);
  PageScratch scratch(options.compression);
  ColumnWriter column(leaf, options, scratch);
  ASSERT_TRUE(column.Append(3, 0, Value(int64_t{1})));  // [1, 2]
  ASSERT_TRUE(column.Append(3, 1, Value(int64_t{2})));
  ASSERT_TRUE(column.Append(1, 0, Value()));  // []
  ASSERT_TRUE(column.Append(0, 0, Value()));  // null
  ASSERT_TRUE(column.Append(2, 0, Value()));  // [null]
  std::string bytes;
  auto info = Flush(column, 0, bytes);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->num_values, 5);
  EXPECT_EQ(info->null_count, 3);
  // Repetition levels 0 1 0 0 0 (1 bit), then definition levels 3 3 1 0 2 (2 bits), each
  // bit-packed with its length in front, then the two values.
  EXPECT_EQ(bytes.substr(bytes.size() - 21), Bytes({2, 0, 0, 0, 0x03, 0x02, 3, 0, 0, 0, 0x03, 0x1F,
                                                    0x02}) +
                                                 Plain(int32_t{1}) + Plain(int32_t{2}));
}

}  // namespace
}  // namespace sluice::formats::parquet
