// Stream: processors, dynamic partitioning and format conversion on the way to the destination.
#include <zstd.h>

#include "streams/stream_test_fixture.h"

namespace sluice::streams {
namespace {

using testing::ErrorDocuments;
using testing::FlakySink;
using testing::Gzip;
using testing::MakeConfig;
using testing::ScriptedSink;
using testing::StreamTest;
using testing::WaitFor;

TEST_F(StreamTest, ProcessorsTransformRecordsAndSendFailuresToTheirErrorOutput) {
  auto config = MakeConfig();
  config.destination.processing = config::ProcessingConfiguration{
      true,
      {{"AppendDelimiterToRecord", {}},
       {"Decompression", {{"CompressionFormat", "GZIP"}}}}};  // run in Firehose's order, not this one
  auto stream = Open(config);
  const std::string not_gzip = "plain text, not gzip";
  ASSERT_TRUE(PutAndWait(*stream, {Gzip("first"), not_gzip, Gzip("second")}));
  ASSERT_TRUE(WaitFor([&] {
    const auto stats = stream->stats();
    return stats.delivered_objects == 1 && stats.processing_failed_records == 1;
  }));
  std::string delivered;
  std::string errors_key, errors;
  for (const auto& [key, body] : Objects()) {
    if (key.starts_with("p/decompression-failed/")) {
      errors_key = key;
      errors = body;
    } else {
      delivered = body;
    }
  }
  EXPECT_EQ(delivered, "first\nsecond\n");
  ASSERT_FALSE(errors_key.empty()) << "no decompression-failed object";
  const auto documents = ErrorDocuments(errors);
  ASSERT_EQ(documents.size(), 1u);
  EXPECT_EQ(documents[0].second, not_gzip);  // rawData: the record as it was put
  EXPECT_EQ(stream->stats().delivered_records, 2u);
  EXPECT_EQ(stream->stats().error_output_records, 1u);
}

TEST_F(StreamTest, DisabledProcessingLeavesRecordsAsPut) {
  auto config = MakeConfig();
  config.destination.processing = config::ProcessingConfiguration{false, {{"AppendDelimiterToRecord", {}}}};
  auto stream = Open(config);
  ASSERT_TRUE(PutAndWait(*stream, {"as-is"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  EXPECT_EQ(Objects().begin()->second, "as-is");
}

// One MetadataExtraction processor with `query`.
config::ProcessingConfiguration Extraction(std::string query) {
  return {true, {{"MetadataExtraction", {{"MetadataExtractionQuery", std::move(query)}, {"JsonParsingEngine", "JQ-1.6"}}}}};
}

TEST_F(StreamTest, DynamicPartitioningWritesOneObjectPerPartitionAndFailsRecordsWithoutKeys) {
  context_.max_active_partitions = 2;
  auto config = MakeConfig();
  config.destination.prefix = "c=!{partitionKeyFromQuery:customer}/!{timestamp:yyyy}/";
  config.destination.error_output_prefix = "e/!{firehose:error-output-type}/";
  config.destination.processing = Extraction("{customer:.customer}");
  config.destination.dynamic_partitioning = config::DynamicPartitioning{true, 300};
  auto stream = Open(config);
  ASSERT_TRUE(PutAndWait(*stream, {R"({"customer":"a","n":1})", R"({"customer":"b","n":2})", "not json",
                                   R"({"customer":"a","n":3})", R"({"customer":"c","n":4})"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 2; }));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().error_output_records == 2; }));
  std::map<std::string, std::string> data;
  std::map<std::string, std::string> errors;
  for (const auto& [key, body] : Objects()) (key.starts_with("e/") ? errors : data)[key.substr(0, key.find('/', 2))] = body;
  EXPECT_EQ(data, (std::map<std::string, std::string>{{"c=a", R"({"customer":"a","n":1}{"customer":"a","n":3})"},
                                                      {"c=b", R"({"customer":"b","n":2})"}}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(errors.contains("e/partitioning-failed")) << errors.begin()->first;
  const auto documents = ErrorDocuments(errors.begin()->second);
  ASSERT_EQ(documents.size(), 2u);
  // The record that is not JSON fails in the MetadataExtraction processor; the third customer
  // passes the limit of 2 active partitions.
  EXPECT_EQ(documents[0].second, "not json");
  EXPECT_EQ(documents[1], (std::pair<std::string, std::string>{"DynamicPartitioning.ActivePartitionsLimitExceeded",
                                                               R"({"customer":"c","n":4})"}));
  EXPECT_EQ(stream->stats().partitioning_failed_records, 1u);
}

// A stream partitioned by `.customer` into "c=<customer>/", with the given buffering hints.
config::StreamConfig PartitionedByCustomer(config::BufferingHints hints) {
  auto config = MakeConfig();
  config.destination.buffering = hints;
  config.destination.prefix = "c=!{partitionKeyFromQuery:customer}/";
  config.destination.error_output_prefix = "e/!{firehose:error-output-type}/";
  config.destination.processing = Extraction("{customer:.customer}");
  config.destination.dynamic_partitioning = config::DynamicPartitioning{true, 300};
  return config;
}

// Delivered objects by their first folder ("c=a"); fails the test if one holds two objects.
std::map<std::string, std::string> ByPartition(const std::map<std::string, std::string>& objects) {
  std::map<std::string, std::string> out;
  for (const auto& [key, body] : objects) {
    EXPECT_TRUE(out.emplace(key.substr(0, key.find('/')), body).second) << "two objects for " << key;
  }
  return out;
}

TEST_F(StreamTest, EachPartitionBuffersRecordsOfManyPutsIntoOneObject) {
  auto stream = Open(PartitionedByCustomer({1, 1}));
  ASSERT_TRUE(PutAndWait(*stream, {R"({"customer":"a","n":1})", R"({"customer":"b","n":2})"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().active_partitions == 2; }));  // in the partitions' buffers
  ASSERT_TRUE(PutAndWait(*stream, {R"({"customer":"a","n":3})"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 2; }));
  EXPECT_EQ(ByPartition(Objects()),
            (std::map<std::string, std::string>{{"c=a", R"({"customer":"a","n":1}{"customer":"a","n":3})"},
                                                {"c=b", R"({"customer":"b","n":2})"}}));
  EXPECT_EQ(stream->stats().active_partitions, 0u);
}

TEST_F(StreamTest, ABusyPartitionIsCutBySizeWhileAQuietOneKeepsBuffering) {
  auto stream = Open(PartitionedByCustomer({1, 900}));
  const std::string big = R"({"customer":"a","pad":")" + std::string(600 * 1024, 'x') + R"("})";
  ASSERT_TRUE(PutAndWait(*stream, {big, R"({"customer":"b"})"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().active_partitions == 2; }));
  ASSERT_TRUE(PutAndWait(*stream, {big}));  // a now holds more than its 1 MiB
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  EXPECT_EQ(ByPartition(Objects()), (std::map<std::string, std::string>{{"c=a", big + big}}));
  EXPECT_EQ(stream->stats().active_partitions, 1u);
  stream->Close(Stream::Drain::kAll);  // as before a delete: every buffer is delivered
  EXPECT_EQ(ByPartition(Objects()),
            (std::map<std::string, std::string>{{"c=a", big + big}, {"c=b", R"({"customer":"b"})"}}));
}

TEST_F(StreamTest, APartitionLargerThanAReadSliceIsOneCompressedObject) {
  auto config = PartitionedByCustomer({32, 1});
  config.destination.compression = config::Compression::kZstd;
  auto stream = Open(config);
  // 12 MiB for customer a: its cut is read from the partition log in more than one slice.
  std::vector<std::string> records;
  std::string expected;
  for (int i = 0; i < 24; ++i) {
    records.push_back(R"({"customer":"a","pad":")" + std::string(512 * 1024, static_cast<char>('a' + i)) + R"("})");
    expected += records.back();
  }
  ASSERT_TRUE(PutAndWait(*stream, std::vector<std::string_view>(records.begin(), records.end())));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 1u);
  const std::string& frame = objects.begin()->second;
  // One frame, its header giving the content size pledged from the cut.
  ASSERT_EQ(ZSTD_getFrameContentSize(frame.data(), frame.size()), expected.size());
  std::string body(expected.size(), '\0');
  ASSERT_EQ(ZSTD_decompress(body.data(), body.size(), frame.data(), frame.size()), expected.size());
  EXPECT_TRUE(body == expected);
  EXPECT_EQ(stream->stats().delivered_bytes, expected.size());
  EXPECT_EQ(stream->stats().delivered_records, records.size());
}

TEST_F(StreamTest, APartitionObjectS3GivesUpOnGoesToTheErrorOutputWhole) {
  ScriptedSink sink(store_, [](const sinks::Delivery& d) -> sinks::DeliveryResult {
    if (d.key.starts_with("c=")) return {sinks::Outcome::kPermanent, "access denied"};
    return {sinks::Outcome::kOk, ""};
  });
  context_.sink = &sink;
  auto stream = Open(PartitionedByCustomer({1, 1}));
  ASSERT_TRUE(PutAndWait(*stream, {R"({"customer":"a","n":1})", R"({"customer":"a","n":2})"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().error_output_records == 2; }));
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_TRUE(objects.begin()->first.starts_with("e/s3-failed/")) << objects.begin()->first;
  const auto documents = ErrorDocuments(objects.begin()->second);
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_EQ(documents[0], (std::pair<std::string, std::string>{"S3.PermanentFailure", R"({"customer":"a","n":1})"}));
  EXPECT_EQ(documents[1], (std::pair<std::string, std::string>{"S3.PermanentFailure", R"({"customer":"a","n":2})"}));
  EXPECT_EQ(stream->stats().delivered_objects, 0u);
}

TEST_F(StreamTest, PartitionBuffersSurviveARestartWithoutLossOrDuplicates) {
  const auto config = PartitionedByCustomer({1, 900});
  {
    auto stream = Open(config);
    ASSERT_TRUE(PutAndWait(*stream, {R"({"customer":"a","n":1})", R"({"customer":"b","n":2})"}));
    ASSERT_TRUE(WaitFor([&] { return stream->stats().active_partitions == 2; }));
  }  // closed with the partitions still buffering (their interval is far away)
  EXPECT_TRUE(Objects().empty());
  auto stream = Open(config);
  EXPECT_EQ(stream->stats().active_partitions, 0u);  // published by the delivery thread on its next change
  ASSERT_TRUE(PutAndWait(*stream, {R"({"customer":"a","n":3})"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().active_partitions == 2; }));
  stream->Close(Stream::Drain::kAll);
  EXPECT_EQ(ByPartition(Objects()),
            (std::map<std::string, std::string>{{"c=a", R"({"customer":"a","n":1}{"customer":"a","n":3})"},
                                                {"c=b", R"({"customer":"b","n":2})"}}));
  EXPECT_EQ(stream->stats().delivered_records, 3u);
}

TEST_F(StreamTest, BufferedRecordsWithoutAKeyTheUpdatedPrefixNamesGoToTheErrorOutput) {
  auto config = PartitionedByCustomer({1, 900});
  auto stream = Open(config);
  ASSERT_TRUE(PutAndWait(*stream, {R"({"customer":"a"})"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().active_partitions == 1; }));
  config.destination.prefix = "c=!{partitionKeyFromQuery:customer}/r=!{partitionKeyFromQuery:region}/";
  stream->Reconfigure(config, {2, 1, 2});
  stream->Close(Stream::Drain::kAll);  // the partition is cut: its records cannot be named
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_TRUE(objects.begin()->first.starts_with("e/partitioning-failed/")) << objects.begin()->first;
  EXPECT_EQ(ErrorDocuments(objects.begin()->second),
            (std::vector<std::pair<std::string, std::string>>{
                {"DynamicPartitioning.MissingPartitionKey", R"({"customer":"a"})"}}));
  EXPECT_EQ(stream->stats().partitioning_failed_records, 1u);
}

TEST_F(StreamTest, TheActivePartitionLimitCountsPartitionsStillBuffering) {
  context_.max_active_partitions = 1;
  auto stream = Open(PartitionedByCustomer({1, 900}));
  ASSERT_TRUE(PutAndWait(*stream, {R"({"customer":"a"})"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().active_partitions == 1; }));
  ASSERT_TRUE(PutAndWait(*stream, {R"({"customer":"b"})", R"({"customer":"a","n":2})"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().partitioning_failed_records == 1; }));
  stream->Close(Stream::Drain::kAll);
  std::map<std::string, std::string> data, errors;
  for (const auto& [key, body] : Objects()) (key.starts_with("e/") ? errors : data)[key.substr(0, key.find('/', 2))] = body;
  EXPECT_EQ(data, (std::map<std::string, std::string>{{"c=a", R"({"customer":"a"}{"customer":"a","n":2})"}}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(ErrorDocuments(errors.begin()->second),
            (std::vector<std::pair<std::string, std::string>>{
                {"DynamicPartitioning.ActivePartitionsLimitExceeded", R"({"customer":"b"})"}}));
}

TEST_F(StreamTest, PartitionsAreStoredByTheirIntervalWhileTheLogIsBusyUnderSteadyLoad) {
  auto stream = Open(PartitionedByCustomer({1, 1}));
  testing::SteadyLoad load(*stream, R"({"customer":"a"})", std::chrono::microseconds(50));
  EXPECT_TRUE(WaitFor([&] { return stream->stats().delivered_objects >= 2; }));
}

// Conversion to Parquet with table db.`table`, OpenXJsonSerDe and default options.
config::DataFormatConversion ParquetOf(std::string table) {
  config::DataFormatConversion conversion;
  conversion.schema = config::SchemaConfiguration{"arn:aws:iam::123456789012:role/r", "", "db", std::move(table), "",
                                                  "LATEST"};
  conversion.input = formats::JsonInputOptions{};
  conversion.output = config::ParquetSerDe{};
  return conversion;
}

TEST_F(StreamTest, FormatConversionWritesParquetAndSendsMisfitsToTheErrorOutput) {
  config::Catalog catalog;
  catalog["db"]["t"].columns = {{"id", "int"}, {"name", "string"}};
  context_.catalog = &catalog;
  auto config = MakeConfig();
  config.destination.error_output_prefix = "e/!{firehose:error-output-type}/";
  config.destination.format_conversion = ParquetOf("t");
  auto stream = Open(config);
  ASSERT_TRUE(PutAndWait(*stream, {R"({"id":1,"name":"a"})", R"({"id":"x"})", R"({"id":2}{"id":3,"extra":true})", "{"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().error_output_records == 2; }));
  EXPECT_EQ(stream->stats().format_conversion_failed_records, 2u);
  std::string parquet;
  std::string errors;
  for (const auto& [key, body] : Objects()) {
    if (key.starts_with("e/format-conversion-failed/")) errors = body;
    if (key.starts_with("p/") && key.ends_with(".parquet")) parquet = body;
  }
  ASSERT_GE(parquet.size(), 8u);
  EXPECT_EQ(parquet.substr(0, 4), "PAR1");
  EXPECT_EQ(parquet.substr(parquet.size() - 4), "PAR1");
  simdjson::dom::parser parser;
  std::vector<std::string> raw;
  for (size_t begin = 0, end; begin < errors.size(); begin = end + 1) {
    end = errors.find('\n', begin);
    simdjson::dom::element doc = parser.parse(errors.substr(begin, end - begin)).value();
    EXPECT_EQ(std::string_view(doc["dataCatalogTable"]["databaseName"]), "db");
    EXPECT_EQ(std::string_view(doc["dataCatalogTable"]["tableName"]), "t");
    EXPECT_FALSE(std::string_view(doc["lastErrorMessage"]).empty());
    std::string decoded;
    EXPECT_TRUE(Base64DecodeAppend(std::string_view(doc["rawData"]), decoded));
    raw.push_back(decoded);
  }
  EXPECT_EQ(raw, (std::vector<std::string>{R"({"id":"x"})", "{"}));
}

TEST_F(StreamTest, ABatchLargerThanAReadSliceIsConvertedSliceBySliceAndItsMisfitsKeepTheirBytes) {
  config::Catalog catalog;
  catalog["db"]["t"].columns = {{"id", "int"}, {"name", "string"}};
  context_.catalog = &catalog;
  auto config = MakeConfig();
  config.destination.buffering = {32, 1};
  config.destination.error_output_prefix = "e/!{firehose:error-output-type}/";
  config.destination.format_conversion = ParquetOf("t");
  auto stream = Open(config);
  // ~13 MB: the log is read in more than one slice; the misfit is in the second.
  std::vector<std::string> records;
  for (int i = 0; i < 130; ++i) {
    records.push_back(i == 120 ? R"({"id":"bad-120"})"
                               : R"({"id":)" + std::to_string(i) + R"(,"name":")" + std::string(100'000, 'n') + R"("})");
  }
  ASSERT_TRUE(PutAndWait(*stream, std::vector<std::string_view>(records.begin(), records.end())));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().error_output_records == 1; }));
  EXPECT_EQ(stream->stats().delivered_records, 129u);
  EXPECT_EQ(stream->stats().format_conversion_failed_records, 1u);
  std::string errors;
  for (const auto& [key, body] : Objects()) {
    if (key.starts_with("e/format-conversion-failed/")) errors = body;
    if (key.starts_with("p/")) {
      EXPECT_TRUE(key.ends_with(".parquet")) << key;
      EXPECT_EQ(body.substr(0, 4), "PAR1");
    }
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(errors.substr(0, errors.find('\n'))).value();
  std::string decoded;
  EXPECT_TRUE(Base64DecodeAppend(std::string_view(doc["rawData"]), decoded));
  EXPECT_EQ(decoded, R"({"id":"bad-120"})");
}

TEST_F(StreamTest, AConvertingStreamSendsAProcessedMisfitToTheErrorOutputAsItWasPut) {
  config::Catalog catalog;
  catalog["db"]["t"].columns = {{"id", "int"}};
  context_.catalog = &catalog;
  auto config = MakeConfig();
  config.destination.error_output_prefix = "e/!{firehose:error-output-type}/";
  config.destination.format_conversion = ParquetOf("t");
  config.destination.processing = config::ProcessingConfiguration{true, {{"Decompression", {{"CompressionFormat", "GZIP"}}}}};
  auto stream = Open(config);
  const std::string misfit = Gzip(R"({"id":"x"})");
  ASSERT_TRUE(PutAndWait(*stream, {Gzip(R"({"id":1})"), misfit}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().error_output_records == 1; }));
  EXPECT_EQ(stream->stats().format_conversion_failed_records, 1u);
  std::string errors;
  for (const auto& [key, body] : Objects()) {
    if (key.starts_with("e/format-conversion-failed/")) errors = body;
  }
  // rawData is the record as it was put (gzip), not as the processors left it: the source batch
  // outlives the processors when a conversion follows them.
  ASSERT_EQ(errors.find('\n'), errors.size() - 1) << errors;  // one document
  simdjson::dom::parser parser;
  std::string raw;
  EXPECT_TRUE(Base64DecodeAppend(std::string_view(parser.parse(errors).value()["rawData"]), raw));
  EXPECT_EQ(raw, misfit);
}

TEST_F(StreamTest, AConversionRetriedAfterASinkFailureReportsEachMisfitOnce) {
  config::Catalog catalog;
  catalog["db"]["t"].columns = {{"id", "int"}};
  context_.catalog = &catalog;
  FlakySink sink(store_, 2);
  context_.sink = &sink;
  auto config = MakeConfig();
  config.destination.error_output_prefix = "e/!{firehose:error-output-type}/";
  config.destination.format_conversion = ParquetOf("t");
  auto stream = Open(config);
  ASSERT_TRUE(PutAndWait(*stream, {R"({"id":1})", R"({"id":"x"})"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  EXPECT_EQ(stream->stats().delivered_records, 1u);
  EXPECT_EQ(stream->stats().format_conversion_failed_records, 1u);
  EXPECT_EQ(stream->stats().error_output_records, 1u);
  EXPECT_GE(sink.attempts, 3);
}

TEST_F(StreamTest, FormatConversionWithoutTheCatalogTableFailsEveryRecordIntoTheErrorOutput) {
  config::Catalog empty;
  context_.catalog = &empty;
  auto config = MakeConfig();
  config.destination.format_conversion = ParquetOf("gone");
  auto stream = Open(config);
  ASSERT_TRUE(PutAndWait(*stream, {R"({"id":1})"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().error_output_records == 1; }));
  EXPECT_EQ(stream->stats().delivered_objects, 0u);
  EXPECT_EQ(stream->stats().format_conversion_failed_records, 1u);
}

TEST_F(StreamTest, PartitionedAndConvertedEachPartitionIsAParquetFile) {
  config::Catalog catalog;
  catalog["db"]["t"].columns = {{"customer", "string"}, {"n", "int"}};
  context_.catalog = &catalog;
  auto config = MakeConfig(1);
  config.destination.buffering = {64, 1};
  config.destination.prefix = "c=!{partitionKeyFromQuery:customer}/";
  config.destination.error_output_prefix = "e/!{firehose:error-output-type}/";
  config.destination.processing = Extraction("{customer:.customer}");
  config.destination.dynamic_partitioning = config::DynamicPartitioning{true, 300};
  config.destination.format_conversion = ParquetOf("t");
  auto stream = Open(config);
  ASSERT_TRUE(PutAndWait(*stream, {R"({"customer":"a","n":1})", R"({"customer":"b","n":2})",
                                   R"({"customer":"a","n":"not a number"})"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 2 && stream->stats().error_output_records == 1; }));
  std::vector<std::string> keys;
  for (const auto& [key, body] : Objects()) {
    if (key.starts_with("e/")) {
      EXPECT_TRUE(key.starts_with("e/format-conversion-failed/")) << key;
      continue;
    }
    keys.push_back(key.substr(0, key.find('/')));
    EXPECT_TRUE(key.ends_with(".parquet")) << key;
    EXPECT_EQ(body.substr(0, 4), "PAR1");
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"c=a", "c=b"}));
  EXPECT_EQ(stream->stats().delivered_records, 2u);
}

}  // namespace
}  // namespace sluice::streams
