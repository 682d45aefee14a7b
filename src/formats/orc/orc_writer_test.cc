// Files written by OrcWriter, read back by the test-only reader (proven on Apache ORC's example
// files in test_reader/orc_fixture_test.cc) and compared value by value.
#include "formats/orc/orc_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/orc/test_reader/json_expectation.h"
#include "formats/orc/test_reader/orc_reader.h"
#include "formats/orc/test_reader/row_index_check.h"

namespace sluice::formats::orc {
namespace {

using test_reader::Mismatch;
using test_reader::OrcReader;

const std::vector<ColumnSpec> kAllTypes = {
    {"b", "boolean"},          {"ti", "tinyint"},        {"si", "smallint"},
    {"i", "int"},              {"bi", "bigint"},         {"f", "float"},
    {"d", "double"},           {"dec", "decimal(20,3)"}, {"s", "string"},
    {"vc", "varchar(10)"},     {"c", "char(4)"},         {"bin", "binary"},
    {"dt", "date"},            {"ts", "timestamp"},      {"tags", "array<string>"},
    {"m", "map<string,int>"},  {"geo", "struct<lat:double,lon:double,names:array<struct<n:string>>>"},
};

// Input records and the rows they must read back as (the fixtures' JSON conventions).
struct Case {
  std::string input;
  std::string expected;
};

const std::vector<Case> kAllTypesCases = {
    {R"({"b":true,"ti":-128,"si":32767,"i":-2147483648,"bi":9223372036854775807,"f":1.5,
        "d":-2.25e-300,"dec":"-12345678901234567.891","s":"héllo ✓","vc":"short","c":"ab",
        "bin":"\u0000\u0001z","dt":"1969-12-31","ts":"2021-03-04 05:06:07.123456789",
        "tags":["x","","y"],"m":{"k1":1,"k2":null},
        "geo":{"lat":1.25,"lon":-3.5,"names":[{"n":"a"},{"n":null},null]}})",
     R"({"b":true,"ti":-128,"si":32767,"i":-2147483648,"bi":9223372036854775807,"f":1.5,
        "d":-2.25e-300,"dec":-12345678901234567.891,"s":"héllo ✓","vc":"short","c":"ab  ",
        "bin":[0,1,122],"dt":"1969-12-31","ts":"2021-03-04 05:06:07.123456789",
        "tags":["x","","y"],"m":[{"key":"k1","value":1},{"key":"k2","value":null}],
        "geo":{"lat":1.25,"lon":-3.5,"names":[{"n":"a"},{"n":null},null]}})"},
    {R"({})",
     R"({"b":null,"ti":null,"si":null,"i":null,"bi":null,"f":null,"d":null,"dec":null,"s":null,
        "vc":null,"c":null,"bin":null,"dt":null,"ts":null,"tags":null,"m":null,"geo":null})"},
    {R"({"b":false,"ti":127,"si":-32768,"i":2147483647,"bi":-9223372036854775808,"f":-0.0,
        "d":0,"dec":0.5,"s":"","vc":"","c":"","bin":"","dt":"2262-01-01",
        "ts":"1900-05-05 12:34:56.1001","tags":[],"m":{},"geo":{"names":[]},"extra":"ignored"})",
     R"({"b":false,"ti":127,"si":-32768,"i":2147483647,"bi":-9223372036854775808,"f":-0.0,
        "d":0,"dec":0.500,"s":"","vc":"","c":"    ","bin":[],"dt":"2262-01-01",
        "ts":"1900-05-05 12:34:56.1001","tags":[],"m":[],"geo":{"lat":null,"lon":null,"names":[]}})"},
    {R"({"B":null,"TI":1,"s":"日本語テキスト","ts":"1969-12-31 23:59:58.5","dec":"99999999999999999.999",
        "geo":null,"tags":[null,"z"]})",
     R"({"b":null,"ti":1,"si":null,"i":null,"bi":null,"f":null,"d":null,
        "dec":99999999999999999.999,"s":"日本語テキスト","vc":null,"c":null,"bin":null,"dt":null,
        "ts":"1969-12-31 23:59:58.5","tags":[null,"z"],"m":null,"geo":null})"},
};

Result<std::string> WriteOrc(const std::vector<ColumnSpec>& columns, const OrcWriterOptions& options,
                             const std::vector<std::string>& records,
                             std::vector<std::string>* errors = nullptr) {
  auto writer = OrcWriter::Create(columns, options);
  if (!writer) return std::unexpected(writer.error());
  simdjson::dom::parser parser;
  std::string file;
  for (const std::string& record : records) {
    simdjson::dom::element element;
    if (parser.parse(record).get(element) != simdjson::SUCCESS) {
      return InvalidArgument("bad test JSON: " + record);
    }
    if (auto status = (*writer)->Append(element); !status) {
      if (errors == nullptr || status.error().code != ErrorCode::kInvalidArgument) {
        return std::unexpected(status.error());
      }
      errors->push_back(status.error().message);
    }
    file += (*writer)->TakeBytes();
  }
  if (auto finished = (*writer)->Finish(); !finished) return std::unexpected(finished.error());
  return file + (*writer)->TakeBytes();
}

// Reads every row and compares it with `expected` (JSON lines); returns the first difference.
std::string CompareRows(const std::string& file, const std::vector<std::string>& expected) {
  auto reader = OrcReader::Open(file);
  if (!reader) return "open: " + reader.error().message;
  size_t row = 0;
  std::string mismatch;
  auto read = reader->ReadAll([&](const test_reader::Value& value) {
    if (mismatch.empty()) {
      if (row >= expected.size()) {
        mismatch = "more rows than expected";
      } else if (std::string m = Mismatch(value, expected[row]); !m.empty()) {
        mismatch = "row " + std::to_string(row) + ": " + m;
      }
    }
    ++row;
  });
  if (!read) return "read: " + read.error().message;
  if (!mismatch.empty()) return mismatch;
  if (row != expected.size()) return "read " + std::to_string(row) + " rows";
  if (reader->rows() != row) return "footer counts " + std::to_string(reader->rows()) + " rows";
  return "";
}

// Checks every stripe's row index and bloom filters (see row_index_check.h).
Result<test_reader::IndexCheck> CheckRowIndexes(const std::string& file) {
  auto reader = OrcReader::Open(file);
  if (!reader) return std::unexpected(reader.error());
  test_reader::IndexCheck checked;
  for (size_t i = 0; i < reader->stripe_count(); ++i) {
    auto stripe = reader->LoadStripe(i);
    if (!stripe) return std::unexpected(stripe.error());
    auto entries = test_reader::CheckRowIndex(*stripe, reader->footer().stripes[i].rows,
                                              reader->footer().row_index_stride);
    if (!entries) return std::unexpected(entries.error());
    checked.row_index_entries += entries->row_index_entries;
    checked.bloom_filters += entries->bloom_filters;
  }
  return checked;
}

struct Variant {
  Compression compression;
  FormatVersion version;
};

std::string Name(const Variant& variant) {
  static const char* const kNames[] = {"None", "Zlib", "Snappy"};
  return std::string(kNames[static_cast<int>(variant.compression)]) +
         (variant.version == FormatVersion::kV0_11 ? "V0_11" : "V0_12");
}

std::string VariantName(const testing::TestParamInfo<Variant>& param) { return Name(param.param); }

// Test listings show the variant by name (else gtest prints the struct's bytes).
void PrintTo(const Variant& variant, std::ostream* os) { *os << Name(variant); }

class AllTypes : public testing::TestWithParam<Variant> {};

TEST_P(AllTypes, ReadBackValueByValue) {
  OrcWriterOptions options;
  options.compression = GetParam().compression;
  options.format_version = GetParam().version;
  options.row_index_stride = 2;  // several row groups, nested columns included
  for (const ColumnSpec& column : kAllTypes) options.bloom_filter_columns.push_back(column.name);
  std::vector<std::string> inputs;
  std::vector<std::string> expected;
  for (const Case& c : kAllTypesCases) {
    inputs.push_back(c.input);
    expected.push_back(c.expected);
  }
  auto file = WriteOrc(kAllTypes, options, inputs);
  ASSERT_TRUE(file.has_value()) << file.error().message;
  EXPECT_EQ(CompareRows(*file, expected), "");
  auto reader = OrcReader::Open(*file);
  ASSERT_TRUE(reader.has_value());
  EXPECT_EQ(static_cast<int>(reader->postscript().compression),
            static_cast<int>(GetParam().compression));
  const uint64_t minor = GetParam().version == FormatVersion::kV0_11 ? 11 : 12;
  EXPECT_EQ(reader->postscript().version, (std::vector<uint64_t>{0, minor}));
  // 17 columns plus the root, the struct's 3 fields, the list elements and the map's key/value.
  const size_t columns = 1u + 17u + 3u + 1u + 1u + 1u + 2u;
  EXPECT_EQ(reader->footer().types.size(), columns);
  EXPECT_EQ(reader->footer().row_index_stride, 2u);
  auto checked = CheckRowIndexes(*file);
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->row_index_entries, columns * 2) << "two row groups of every column";
  // Every primitive column but ts and dec: 12 top-level, the list's element, the map's key and
  // value, and geo's lat, lon and names[].n; two row groups each.
  EXPECT_EQ(checked->bloom_filters, 18u * 2);
  EXPECT_EQ(checked->bloom_misses, std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(
    OrcWriter, AllTypes,
    testing::Values(Variant{Compression::kNone, FormatVersion::kV0_12},
                    Variant{Compression::kZlib, FormatVersion::kV0_12},
                    Variant{Compression::kSnappy, FormatVersion::kV0_12},
                    Variant{Compression::kNone, FormatVersion::kV0_11},
                    Variant{Compression::kZlib, FormatVersion::kV0_11},
                    Variant{Compression::kSnappy, FormatVersion::kV0_11}),
    VariantName);

TEST(OrcWriter, RejectedRecordLeavesNoTrace) {
  std::vector<std::string> errors;
  auto file = WriteOrc(kAllTypes, {},
                       {R"({"i":1,"s":"kept"})",
                        // fails deep inside, after several columns took values
                        R"({"b":true,"i":2,"s":"lost","tags":["a"],"m":{"k":1},
                            "geo":{"lat":1,"names":[{"n":"x"},{"n":{"bad":1}}]},"ts":"nope"})",
                        R"({"i":3,"geo":{"names":[{"n":"y"}]},"ti":300})",
                        R"([1,2])",
                        R"({"i":4,"tags":["b"]})"},
                       &errors);
  ASSERT_TRUE(file.has_value()) << file.error().message;
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_NE(errors[0].find("ts"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("ti"), std::string::npos) << errors[1];
  EXPECT_NE(errors[2].find("not a JSON object"), std::string::npos) << errors[2];
  const auto row = [](const std::string& i, const std::string& s, const std::string& tags) {
    return R"({"b":null,"ti":null,"si":null,"i":)" + i + R"(,"bi":null,"f":null,"d":null,)" +
           R"("dec":null,"s":)" + s + R"(,"vc":null,"c":null,"bin":null,"dt":null,"ts":null,)" +
           R"("tags":)" + tags + R"(,"m":null,"geo":null})";
  };
  EXPECT_EQ(CompareRows(*file, {row("1", R"("kept")", "null"), row("4", "null", R"(["b"])")}), "");
}

// Fixed pseudo-random data: many rows over many stripes and compression chunks.
std::vector<Case> ManyRows(int count) {
  std::vector<Case> cases;
  uint64_t state = 12345;
  const auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  for (int i = 0; i < count; ++i) {
    const int64_t big = static_cast<int64_t>(next() << 20) * ((i % 2) != 0 ? -1 : 1);
    const std::string word = "w" + std::to_string(next() % 50);
    const std::string unique = std::string(static_cast<size_t>(next() % 300), 'x') + std::to_string(i);
    const std::string id = std::to_string(i);
    const std::string nullable = i % 7 == 0 ? "null" : std::to_string(static_cast<int>(next() % 1000) - 500);
    const std::string json = R"({"id":)" + id + R"(,"big":)" + std::to_string(big) +
                             R"(,"word":")" + word + R"(","unique":")" + unique +
                             R"(","n":)" + nullable + R"(,"flag":)" + (i % 3 == 0 ? "true" : "false") + "}";
    cases.push_back({json, json});
  }
  return cases;
}

const std::vector<ColumnSpec> kManyColumns = {{"id", "int"},      {"big", "bigint"},
                                              {"word", "string"}, {"unique", "string"},
                                              {"n", "smallint"},  {"flag", "boolean"}};

TEST(OrcWriter, StripesAreCutAtTheStripeSizeAndDrainedAsTheyAreMade) {
  OrcWriterOptions options;
  options.stripe_size_bytes = 64 * 1024;
  options.compression_block_size = 4096;
  options.compression = Compression::kZlib;
  auto writer = OrcWriter::Create(kManyColumns, options);
  ASSERT_TRUE(writer.has_value());
  simdjson::dom::parser parser;
  std::string file;
  size_t largest_take = 0;
  std::vector<std::string> expected;
  for (const Case& c : ManyRows(20000)) {
    ASSERT_TRUE((*writer)->Append(parser.parse(c.input).value()).has_value());
    std::string taken = (*writer)->TakeBytes();
    largest_take = std::max(largest_take, taken.size());
    file += taken;
    expected.push_back(c.expected);
  }
  EXPECT_GT(file.size(), 3u) << "stripes must be produced before Finish";
  EXPECT_LT(largest_take, 2u * 64 * 1024) << "one stripe at a time";
  ASSERT_TRUE((*writer)->Finish().has_value());
  file += (*writer)->TakeBytes();
  EXPECT_EQ(CompareRows(file, expected), "");
  auto reader = OrcReader::Open(file);
  ASSERT_TRUE(reader.has_value());
  EXPECT_GT(reader->stripe_count(), 10u);
  auto stripe_stats = reader->StripeStatistics();
  ASSERT_TRUE(stripe_stats.has_value()) << stripe_stats.error().message;
  ASSERT_EQ(stripe_stats->size(), reader->stripe_count());
  uint64_t rows = 0;
  for (size_t i = 0; i < stripe_stats->size(); ++i) {
    EXPECT_EQ((*stripe_stats)[i][0].number_of_values, reader->footer().stripes[i].rows);
    rows += reader->footer().stripes[i].rows;
  }
  EXPECT_EQ(rows, 20000u);
  EXPECT_EQ(reader->footer().row_index_stride, 10000u);
  auto checked = CheckRowIndexes(file);
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_GE(checked->row_index_entries, reader->stripe_count() * 7);
}

TEST(OrcWriter, RowIndexEveryStrideRowsOrNone) {
  const auto cases = ManyRows(5000);
  std::vector<std::string> inputs;
  std::vector<std::string> expected;
  for (const Case& c : cases) {
    inputs.push_back(c.input);
    expected.push_back(c.expected);
  }
  for (const auto compression : {Compression::kNone, Compression::kZlib, Compression::kSnappy}) {
    OrcWriterOptions options;
    options.compression = compression;
    options.compression_block_size = 2000;  // positions inside and across chunks
    options.row_index_stride = 1000;
    options.bloom_filter_columns = {"WORD", "id", "big"};
    options.bloom_filter_false_positive_probability = 0.01;
    auto file = WriteOrc(kManyColumns, options, inputs);
    ASSERT_TRUE(file.has_value());
    EXPECT_EQ(CompareRows(*file, expected), "");
    auto checked = CheckRowIndexes(*file);
    ASSERT_TRUE(checked.has_value()) << checked.error().message;
    EXPECT_EQ(checked->row_index_entries, 7u * 5u);  // 7 columns, 5 row groups in the one stripe
    EXPECT_EQ(checked->bloom_filters, 3u * 5u);
    EXPECT_EQ(checked->bloom_misses, std::vector<std::string>{});
  }
  OrcWriterOptions no_index;
  no_index.row_index_stride = 0;
  auto file = WriteOrc(kManyColumns, no_index, inputs);
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(CompareRows(*file, expected), "");
  auto reader = OrcReader::Open(*file);
  ASSERT_TRUE(reader.has_value());
  EXPECT_EQ(reader->footer().row_index_stride, 0u);
  EXPECT_EQ(reader->footer().stripes[0].index_length, 0u);
}

TEST(OrcWriter, FileAndStripeStatistics) {
  auto file = WriteOrc({{"i", "int"}, {"s", "string"}, {"d", "double"}, {"dec", "decimal(5,2)"},
                        {"dt", "date"}, {"b", "boolean"}, {"bin", "binary"}, {"l", "array<int>"}},
                       {},
                       {R"({"i":5,"s":"pear","d":2.5,"dec":1.5,"dt":"2020-01-02","b":true,"bin":"ab","l":[1,2]})",
                        R"({"i":-3,"s":"apple","d":-1,"dec":-2.25,"dt":"1999-12-31","b":true,"bin":"c","l":[]})",
                        R"({"s":"zoo","b":false})"});
  ASSERT_TRUE(file.has_value()) << file.error().message;
  auto reader = OrcReader::Open(*file);
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  const auto& stats = reader->footer().statistics;
  ASSERT_EQ(stats.size(), 10u);
  EXPECT_EQ(stats[0].number_of_values, 3u);
  EXPECT_EQ(stats[1].number_of_values, 2u);
  EXPECT_EQ(stats[1].has_null, true);
  EXPECT_EQ(stats[1].int_min, -3);
  EXPECT_EQ(stats[1].int_max, 5);
  EXPECT_EQ(stats[1].int_sum, 2);
  EXPECT_EQ(stats[2].has_null, false);
  EXPECT_EQ(stats[2].string_min, "apple");
  EXPECT_EQ(stats[2].string_max, "zoo");
  EXPECT_EQ(stats[2].string_sum, 12);
  EXPECT_EQ(stats[3].double_min, -1.0);
  EXPECT_EQ(stats[3].double_max, 2.5);
  EXPECT_EQ(stats[3].double_sum, 1.5);
  EXPECT_EQ(stats[4].decimal_min, "-2.25");
  EXPECT_EQ(stats[4].decimal_max, "1.50");
  EXPECT_EQ(stats[4].decimal_sum, "-0.75");
  EXPECT_EQ(stats[5].date_min, 10956);
  EXPECT_EQ(stats[5].date_max, 18263);
  EXPECT_EQ(stats[6].bucket_count, (std::vector<uint64_t>{2}));
  EXPECT_EQ(stats[7].binary_sum, 3);
  EXPECT_EQ(stats[8].number_of_values, 2u);
  auto stripes = reader->StripeStatistics();
  ASSERT_TRUE(stripes.has_value());
  ASSERT_EQ(stripes->size(), 1u);
  EXPECT_EQ((*stripes)[0][2].string_min, "apple");
  EXPECT_EQ((*stripes)[0][1].int_sum, 2);
}

TEST(OrcWriter, StringColumnsUseADictionaryBelowTheThreshold) {
  const auto cases = ManyRows(3000);
  std::vector<std::string> inputs;
  for (const Case& c : cases) inputs.push_back(c.input);
  for (const auto version : {FormatVersion::kV0_12, FormatVersion::kV0_11}) {
    OrcWriterOptions options;
    options.format_version = version;
    auto file = WriteOrc(kManyColumns, options, inputs);
    ASSERT_TRUE(file.has_value());
    auto reader = OrcReader::Open(*file);
    ASSERT_TRUE(reader.has_value());
    auto stripe = reader->LoadStripe(0);
    ASSERT_TRUE(stripe.has_value()) << stripe.error().message;
    const bool v2 = version == FormatVersion::kV0_12;
    const auto& encodings = stripe->footer.encodings;
    ASSERT_EQ(encodings.size(), 7u);
    EXPECT_EQ(encodings[3].kind, v2 ? test_reader::EncodingKind::kDictionaryV2
                                    : test_reader::EncodingKind::kDictionary);
    EXPECT_EQ(encodings[3].dictionary_size, 50u);
    EXPECT_EQ(encodings[4].kind, v2 ? test_reader::EncodingKind::kDirectV2
                                    : test_reader::EncodingKind::kDirect);
  }
  OrcWriterOptions no_dictionary;
  no_dictionary.dictionary_key_threshold = 0;
  auto file = WriteOrc(kManyColumns, no_dictionary, inputs);
  ASSERT_TRUE(file.has_value());
  auto reader = OrcReader::Open(*file);
  ASSERT_TRUE(reader.has_value());
  auto stripe = reader->LoadStripe(0);
  ASSERT_TRUE(stripe.has_value());
  EXPECT_EQ(stripe->footer.encodings[3].kind, test_reader::EncodingKind::kDirectV2);
}

TEST(OrcWriter, LargeStringsAcrossSmallCompressionChunks) {
  for (const auto compression : {Compression::kNone, Compression::kZlib, Compression::kSnappy}) {
    OrcWriterOptions options;
    options.compression = compression;
    options.compression_block_size = 1000;
    std::string large;
    for (int i = 0; large.size() < 300000; ++i) large += "é" + std::to_string(i * 7919 % 10007) + " ";
    const std::string record = R"({"s":")" + large + R"("})";
    auto file = WriteOrc({{"s", "string"}}, options, {record, R"({"s":"small"})", record});
    ASSERT_TRUE(file.has_value());
    EXPECT_EQ(CompareRows(*file, {record, R"({"s":"small"})", record}), "");
  }
}

TEST(OrcWriter, EmptyFileHasTheSchemaAndNoStripes) {
  auto file = WriteOrc(kAllTypes, {}, {});
  ASSERT_TRUE(file.has_value());
  auto reader = OrcReader::Open(*file);
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  EXPECT_EQ(reader->rows(), 0u);
  EXPECT_EQ(reader->stripe_count(), 0u);
  ASSERT_EQ(reader->footer().types[0].field_names.size(), kAllTypes.size());
  EXPECT_EQ(reader->footer().types[0].field_names[7], "dec");
  EXPECT_EQ(reader->footer().types[8].precision, 20u);
  EXPECT_EQ(reader->footer().types[8].scale, 3u);
  EXPECT_EQ(reader->footer().types[11].maximum_length, 4u);
}

TEST(OrcWriter, RejectsBadSchemasAndOptions) {
  EXPECT_FALSE(OrcWriter::Create({}, {}).has_value());
  auto bad_type = OrcWriter::Create({{"x", "map<int"}}, {});
  ASSERT_FALSE(bad_type.has_value());
  EXPECT_NE(bad_type.error().message.find("column \"x\""), std::string::npos);
  EXPECT_FALSE(OrcWriter::Create({{"a", "int"}, {"A", "int"}}, {}).has_value());
  OrcWriterOptions options;
  options.dictionary_key_threshold = 1.5;
  EXPECT_FALSE(OrcWriter::Create({{"a", "int"}}, options).has_value());
  options = {};
  options.stripe_size_bytes = 0;
  EXPECT_FALSE(OrcWriter::Create({{"a", "int"}}, options).has_value());
  options = {};
  options.bloom_filter_columns = {"b"};
  auto unknown = OrcWriter::Create({{"a", "int"}}, options);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message.find("BloomFilterColumns names \"b\""), std::string::npos);
}

TEST(OrcWriter, AppendAfterFinishFails) {
  auto writer = OrcWriter::Create({{"a", "int"}}, {});
  ASSERT_TRUE(writer.has_value());
  ASSERT_TRUE((*writer)->Finish().has_value());
  simdjson::dom::parser parser;
  auto status = (*writer)->Append(parser.parse(std::string(R"({"a":1})")).value());
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace sluice::formats::orc
