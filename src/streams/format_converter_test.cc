#include "streams/format_converter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::streams {
namespace {

// Converts, collecting the file into `file`.
Result<ConvertedObject> ConvertAll(FormatConverter& converter, const config::DataFormatConversion& conversion,
                                   const config::CatalogTable& table, std::span<const std::string_view> records,
                                   std::string& file) {
  file.clear();
  return converter.Convert(conversion, table, records, [&](std::string_view bytes) {
    file += bytes;
    return true;
  });
}

using ::testing::HasSubstr;

config::DataFormatConversion Parquet() {
  config::DataFormatConversion conversion;
  conversion.schema = config::SchemaConfiguration{"arn:aws:iam::123456789012:role/r", "", "db", "t", "", "LATEST"};
  conversion.input = formats::JsonInputOptions{};
  conversion.output = config::ParquetSerDe{};
  return conversion;
}

const config::CatalogTable kTable{{{"id", "bigint"}, {"tags", "array<string>"}}};

TEST(FormatConverterTest, EveryObjectOfARecordIsARowAndMisfitsFailAlone) {
  FormatConverter converter;
  const std::vector<std::string_view> records = {R"({"id":1,"tags":["a"]})", R"({"id":2} {"id":3})",
                                                 R"({"id":"nope"})", "[1,2]", "", R"({"ID":4,"other":1})"};
  std::string file;
  auto converted = ConvertAll(converter, Parquet(), kTable, records, file);
  ASSERT_TRUE(converted.has_value()) << converted.error().message;
  EXPECT_EQ(converted->rows, 4u);
  EXPECT_EQ(converted->bytes, file.size());  // 1, 2, 3 and 4 (keys match ignoring case by default)
  ASSERT_EQ(converted->failed.size(), 3u);
  EXPECT_EQ(converted->failed[0].record, 2u);
  EXPECT_EQ(converted->failed[0].error_code, "DataFormatConversion.InvalidSchema");
  EXPECT_THAT(converted->failed[0].error_message, HasSubstr("id"));
  EXPECT_EQ(converted->failed[1].record, 3u);  // a JSON array is not a row
  EXPECT_EQ(converted->failed[2].record, 4u);
  EXPECT_EQ(converted->failed[2].error_code, "DataFormatConversion.MalformedData");
  EXPECT_EQ(file.substr(0, 4), "PAR1");
  EXPECT_EQ(file.substr(file.size() - 4), "PAR1");
}

TEST(FormatConverterTest, OrcSerDeWritesAnOrcFile) {
  FormatConverter converter;
  auto conversion = Parquet();
  conversion.output = config::OrcSerDe{};
  const std::vector<std::string_view> records = {R"({"id":1,"tags":["a","b"]})", R"({"id":"x"})"};
  std::string file;
  auto converted = ConvertAll(converter, conversion, kTable, records, file);
  ASSERT_TRUE(converted.has_value()) << converted.error().message;
  EXPECT_EQ(converted->rows, 1u);
  ASSERT_EQ(converted->failed.size(), 1u);
  EXPECT_EQ(converted->failed[0].record, 1u);
  EXPECT_EQ(file.substr(0, 3), "ORC");
  // The postscript ends the file: its length in the last byte, "ORC" just before it.
  const auto postscript = static_cast<uint8_t>(file.back());
  ASSERT_GT(file.size(), postscript + 1u);
  EXPECT_EQ(file.substr(file.size() - 4, 3), "ORC");
}

TEST(FormatConverterTest, ConvertersAreReusableAcrossObjects) {
  FormatConverter converter;
  const std::vector<std::string_view> first = {R"({"id":1})"};
  const std::vector<std::string_view> second = {R"({"id":2})", R"({"id":3})"};
  std::string file;
  ASSERT_EQ(ConvertAll(converter, Parquet(), kTable, first, file)->rows, 1u);
  ASSERT_EQ(ConvertAll(converter, Parquet(), kTable, second, file)->rows, 2u);
}

TEST(FormatConverterTest, ARefusingDestinationStopsTheConversion) {
  FormatConverter converter;
  const std::vector<std::string_view> records = {R"({"id":1})"};
  int calls = 0;
  auto converted = converter.Convert(Parquet(), kTable, records, [&](std::string_view) { return ++calls > 1; });
  ASSERT_FALSE(converted.has_value());
  EXPECT_EQ(converted.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace sluice::streams
