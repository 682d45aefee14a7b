// DataFormatConversionConfiguration and DynamicPartitioningConfiguration: parsing, defaults,
// the rules that span destination members, and the round trip through the persisted JSON.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/stream_config_json.h"
#include "config/stream_config_test_util.h"

namespace sluice::config {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view E = "ExtendedS3DestinationConfiguration";
constexpr std::string_view kSchema =
    R"("SchemaConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/glue","DatabaseName":"weblogs","TableName":"requests"})";
constexpr std::string_view kOpenX = R"("InputFormatConfiguration":{"Deserializer":{"OpenXJsonSerDe":{}}})";
constexpr std::string_view kParquet = R"("OutputFormatConfiguration":{"Serializer":{"ParquetSerDe":{}}})";

// A DataFormatConversionConfiguration member with the given parts, joined by commas.
std::string Conversion(std::initializer_list<std::string_view> parts) {
  std::string out = R"("DataFormatConversionConfiguration":{)";
  bool first = true;
  for (const std::string_view part : parts) {
    if (!first) out += ",";
    out += part;
    first = false;
  }
  return out + "}";
}

std::string ErrorOf(const std::string& body) {
  auto config = Create(body);
  EXPECT_FALSE(config.has_value()) << body;
  return config ? "" : config.error().message;
}

TEST(FormatConversionConfigTest, ParquetWithDefaults) {
  auto config = Create(Body(Conversion({kSchema, kOpenX, kParquet})));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  const S3Destination& d = config->destination;
  ASSERT_TRUE(d.converts_format());
  EXPECT_TRUE(d.format_conversion->parquet());
  EXPECT_EQ(d.format_conversion->Extension(), ".parquet");
  EXPECT_EQ(d.format_conversion->schema->database_name, "weblogs");
  EXPECT_EQ(d.format_conversion->schema->table_name, "requests");
  EXPECT_EQ(d.format_conversion->schema->version_id, "LATEST");
  EXPECT_TRUE(d.format_conversion->input->case_insensitive);
  EXPECT_EQ(std::get<ParquetSerDe>(*d.format_conversion->output), ParquetSerDe{});
  // Firehose's buffer default with conversion is 128 MiB.
  EXPECT_EQ(d.buffering.size_mb, 128);
}

TEST(FormatConversionConfigTest, EveryMemberRoundTripsThroughTheStoredJson) {
  const std::string members = Conversion(
      {R"("Enabled":true)",
       R"("SchemaConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/glue","CatalogId":"123456789012","DatabaseName":"db","TableName":"t","Region":"eu-west-1","VersionId":"3"})",
       R"("InputFormatConfiguration":{"Deserializer":{"OpenXJsonSerDe":{"CaseInsensitive":false,"ConvertDotsInJsonKeysToUnderscores":true,"ColumnToJsonKeyMappings":{"ts":"timestamp","kind":"type"}}}})",
       R"("OutputFormatConfiguration":{"Serializer":{"OrcSerDe":{"StripeSizeBytes":8388608,"BlockSizeBytes":67108864,"RowIndexStride":5000,"EnablePadding":true,"PaddingTolerance":0.2,"Compression":"ZLIB","BloomFilterColumns":["ts"],"BloomFilterFalsePositiveProbability":0.01,"DictionaryKeyThreshold":0.5,"FormatVersion":"V0_11"}}})"}) + R"(,"BufferingHints":{"SizeInMBs":64,"IntervalInSeconds":60})";
  auto config = Create(Body(members));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  const DataFormatConversion& conversion = *config->destination.format_conversion;
  EXPECT_EQ(conversion.Extension(), ".orc");
  EXPECT_FALSE(conversion.input->case_insensitive);
  EXPECT_TRUE(conversion.input->convert_dots_to_underscores);
  EXPECT_EQ(conversion.input->column_to_json_key.at("ts"), "timestamp");
  const auto& orc = std::get<OrcSerDe>(*conversion.output);
  EXPECT_EQ(orc.compression, "ZLIB");
  EXPECT_EQ(orc.row_index_stride, 5000);
  EXPECT_DOUBLE_EQ(orc.padding_tolerance, 0.2);
  EXPECT_EQ(orc.bloom_filter_columns, std::vector<std::string>{"ts"});
  EXPECT_EQ(orc.format_version, "V0_11");
  auto again = Create(ToCreateJson(*config));
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(*again, *config);
}

TEST(FormatConversionConfigTest, HiveJsonSerDeTimestampFormats) {
  auto config = Create(Body(Conversion(
      {kSchema, R"("InputFormatConfiguration":{"Deserializer":{"HiveJsonSerDe":{"TimestampFormats":["millis","yyyy-MM-dd'T'HH:mm:ss"]}}})",
       kParquet})));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  const auto& input = *config->destination.format_conversion->input;
  EXPECT_EQ(input.serde, formats::JsonInputOptions::SerDe::kHive);
  EXPECT_EQ(input.timestamp_formats, (std::vector<std::string>{"millis", "yyyy-MM-dd'T'HH:mm:ss"}));
  auto again = Create(ToCreateJson(*config));
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(*again, *config);
}

TEST(FormatConversionConfigTest, DisabledConfigurationMayBeIncomplete) {
  auto config = Create(Body(Conversion({R"("Enabled":false)", kParquet}) + R"(,"CompressionFormat":"GZIP")"));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_FALSE(config->destination.converts_format());
  EXPECT_EQ(config->destination.buffering.size_mb, 5);
}

TEST(FormatConversionConfigTest, RulesNameTheMember) {
  const std::string c = std::string(E) + ".DataFormatConversionConfiguration";
  EXPECT_EQ(ErrorOf(Body(Conversion({kSchema, kOpenX, kParquet}) + R"(,"CompressionFormat":"GZIP")")),
            std::string(E) + ".CompressionFormat \"GZIP\" must be UNCOMPRESSED when " + c +
                " is enabled (the serializer's Compression compresses the file)");
  EXPECT_EQ(ErrorOf(Body(Conversion({kSchema, kOpenX, kParquet}) +
                         R"(,"BufferingHints":{"SizeInMBs":5,"IntervalInSeconds":60})")),
            std::string(E) + ".BufferingHints.SizeInMBs must be at least 64 when " + c + " is enabled, got 5");
  EXPECT_EQ(ErrorOf(Body(Conversion({kSchema, kParquet}))),
            c + ".InputFormatConfiguration is required when " + c + ".Enabled is true");
  EXPECT_EQ(ErrorOf(Body(Conversion(
                {kSchema, R"("InputFormatConfiguration":{"Deserializer":{"OpenXJsonSerDe":{},"HiveJsonSerDe":{}}})",
                 kParquet}))),
            c + ".InputFormatConfiguration.Deserializer must have only one of OpenXJsonSerDe and HiveJsonSerDe");
  EXPECT_EQ(ErrorOf(Body(Conversion({kSchema, kOpenX, R"("OutputFormatConfiguration":{"Serializer":{}})"}))),
            c + ".OutputFormatConfiguration.Serializer needs one of ParquetSerDe and OrcSerDe");
  EXPECT_THAT(ErrorOf(Body(Conversion(
                  {R"("SchemaConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/glue","DatabaseName":"db"})",
                   kOpenX, kParquet}))),
              HasSubstr(c + ".SchemaConfiguration.TableName is required"));
  EXPECT_THAT(ErrorOf(Body(Conversion(
                  {kSchema, kOpenX, R"("OutputFormatConfiguration":{"Serializer":{"ParquetSerDe":{"Compression":"LZ4"}}})"}))),
              HasSubstr(c + ".OutputFormatConfiguration.Serializer.ParquetSerDe.Compression \"LZ4\" must be one of "
                            "UNCOMPRESSED, GZIP, SNAPPY, ZSTD"));
  EXPECT_THAT(ErrorOf(Body(Conversion(
                  {kSchema, kOpenX, R"("OutputFormatConfiguration":{"Serializer":{"ParquetSerDe":{"PageSizeBytes":1024}}})"}))),
              HasSubstr("ParquetSerDe.PageSizeBytes must be between 65536 and 2147483647, got 1024"));
  EXPECT_THAT(ErrorOf(Body(Conversion(
                  {kSchema, kOpenX, R"("OutputFormatConfiguration":{"Serializer":{"OrcSerDe":{"PaddingTolerance":1.5}}})"}))),
              HasSubstr("OrcSerDe.PaddingTolerance must be between 0 and 1, got 1.5"));
  EXPECT_THAT(ErrorOf(Body(Conversion(
                  {kSchema, R"("InputFormatConfiguration":{"Deserializer":{"OpenXJsonSerDe":{"ColumnToJsonKeyMappings":{"ts":7}}}})",
                   kParquet}))),
              HasSubstr("OpenXJsonSerDe.ColumnToJsonKeyMappings.ts must be a string, got integer"));
  EXPECT_THAT(ErrorOf(Body(Conversion({kSchema, kOpenX, kParquet, R"("Colour":1)"}))),
              HasSubstr("unknown member " + c + ".Colour"));
}

constexpr std::string_view kMetadataExtraction =
    R"("ProcessingConfiguration":{"Enabled":true,"Processors":[{"Type":"MetadataExtraction","Parameters":[{"ParameterName":"MetadataExtractionQuery","ParameterValue":"{customer_id:.customer_id}"},{"ParameterName":"JsonParsingEngine","ParameterValue":"JQ-1.6"}]}]})";

std::string Partitioned(std::string_view prefix, std::string_view more = "") {
  std::string members = R"("DynamicPartitioningConfiguration":{"Enabled":true},"Prefix":")" + std::string(prefix) +
                        R"(","BufferingHints":{"SizeInMBs":64,"IntervalInSeconds":60})";
  if (!more.empty()) members += "," + std::string(more);
  return Body(members);
}

TEST(DynamicPartitioningConfigTest, AcceptsQueryKeysWithMetadataExtraction) {
  auto config = Create(Partitioned("c=!{partitionKeyFromQuery:customer_id}/",
                                   std::string(R"("ErrorOutputPrefix":"e/!{firehose:error-output-type}/",)") +
                                       std::string(kMetadataExtraction)));
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_TRUE(config->destination.partitions());
  EXPECT_EQ(config->destination.dynamic_partitioning->retry_duration_s, 300);
  auto again = Create(ToCreateJson(*config));
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(*again, *config);
}

TEST(DynamicPartitioningConfigTest, RulesNameTheMember) {
  const std::string enabled = std::string(E) + ".DynamicPartitioningConfiguration.Enabled";
  EXPECT_EQ(ErrorOf(Body(R"("Prefix":"c=!{partitionKeyFromQuery:c}/","ErrorOutputPrefix":"e/")")),
            std::string(E) + ".Prefix \"c=!{partitionKeyFromQuery:c}/\" uses partition keys, which need " + enabled +
                " true");
  EXPECT_EQ(ErrorOf(Partitioned("c=!{partitionKeyFromQuery:c}/", kMetadataExtraction)),
            std::string(E) + ".ErrorOutputPrefix is required when " + enabled + " is true");
  EXPECT_THAT(ErrorOf(Partitioned("c=!{partitionKeyFromQuery:c}/", R"("ErrorOutputPrefix":"e/")")),
              HasSubstr("needs an enabled " + std::string(E) +
                        ".ProcessingConfiguration with a MetadataExtraction processor"));
  EXPECT_THAT(ErrorOf(Partitioned("c=!{partitionKeyFromLambda:c}/", R"("ErrorOutputPrefix":"e/")")),
              HasSubstr("with a Lambda (or Command) processor"));
  EXPECT_THAT(ErrorOf(Body(
                  R"("DynamicPartitioningConfiguration":{"Enabled":true},"Prefix":"c=!{partitionKeyFromQuery:c}/","ErrorOutputPrefix":"e/",)" +
                  std::string(kMetadataExtraction) + R"(,"BufferingHints":{"SizeInMBs":64,"IntervalInSeconds":0})")),
              HasSubstr(".BufferingHints.IntervalInSeconds must be at least 1 when " + enabled));
  EXPECT_THAT(ErrorOf(Body(R"("DynamicPartitioningConfiguration":{"Enabled":true,"RetryOptions":{"DurationInSeconds":7201}})")),
              HasSubstr("RetryOptions.DurationInSeconds must be between 0 and 7200, got 7201"));
}

TEST(DynamicPartitioningConfigTest, CannotBeEnabledOrDisabledByAnUpdate) {
  auto config = Create(Body());
  ASSERT_TRUE(config.has_value());
  simdjson::dom::parser parser;
  simdjson::dom::element update_json;
  ASSERT_EQ(parser.parse(simdjson::padded_string(std::string_view(R"({"DynamicPartitioningConfiguration":{"Enabled":true}})")))
                .get(update_json),
            simdjson::SUCCESS);
  auto update = ParseS3DestinationUpdate(update_json, "ExtendedS3DestinationUpdate");
  ASSERT_TRUE(update.has_value()) << update.error().message;
  S3Destination dest = config->destination;
  auto applied = ApplyUpdate(dest, *update);
  ASSERT_FALSE(applied.has_value());
  EXPECT_EQ(applied.error().message,
            "ExtendedS3DestinationUpdate.DynamicPartitioningConfiguration.Enabled can only be set when the stream "
            "is created (Firehose's rule)");
  EXPECT_EQ(dest, config->destination);
}

}  // namespace
}  // namespace sluice::config
