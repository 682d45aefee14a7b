#include "processors/make_processor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "processors/processors_test_util.h"

namespace sluice::processors {
namespace {

using testing::DataOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeRecord;

constexpr std::string_view kArn = "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST";

ProcessorEnvironment Environment() {
  ProcessorEnvironment environment;
  environment.delivery_stream_arn = "arn:aws:firehose:us-east-1:123456789012:deliverystream/s";
  environment.region = "us-east-1";
  environment.invoke_lambda = [](const std::string&, const std::string&) {
    return LambdaInvokeResult{LambdaInvokeResult::Status::kPermanentError, "",
                              "Lambda.ResourceNotFound", ""};
  };
  return environment;
}

std::string ErrorOf(const ProcessorConfig& config) {
  auto status = ValidateProcessor(0, config);
  return status ? "" : status.error().message;
}

TEST(ValidateProcessorTest, AcceptsFirehosesDocumentedConfigurations) {
  const std::vector<ProcessorConfig> valid = {
      {"Decompression", {{"CompressionFormat", "GZIP"}}},
      {"Decompression", {}},
      {"CloudWatchLogProcessing", {{"DataMessageExtraction", "true"}}},
      {"RecordDeAggregation", {{"SubRecordType", "JSON"}}},
      {"RecordDeAggregation", {{"SubRecordType", "DELIMITED"}, {"Delimiter", "IyMjIw=="}}},
      {"Lambda",
       {{"LambdaArn", std::string(kArn)},
        {"NumberOfRetries", "3"},
        {"BufferSizeInMBs", "0.2"},
        {"BufferIntervalInSeconds", "900"},
        {"RoleArn", "arn:aws:iam::123456789012:role/firehose_delivery_role"}}},
      {"Lambda", {{"LambdaArn", "arn:aws:lambda:eu-west-1:123456789012:function:my-fn"}}},
      {"MetadataExtraction",
       {{"MetadataExtractionQuery", "{customer_id:.customer_id}"},
        {"JsonParsingEngine", "JQ-1.6"}}},
      {"AppendDelimiterToRecord", {}},
      {"AppendDelimiterToRecord", {{"Delimiter", "\\n"}}},
  };
  for (size_t i = 0; i < valid.size(); ++i) {
    EXPECT_EQ(ErrorOf(valid[i]), "") << "config " << i;
  }
}

TEST(ValidateProcessorTest, NamesTheProcessorTheParameterAndTheRule) {
  EXPECT_EQ(
      ErrorOf({"Decompression", {{"CompressionFormat", "ZIP"}}}),
      "Processors[0] Decompression: ParameterName CompressionFormat value 'ZIP' must be GZIP");
  EXPECT_EQ(ErrorOf({"Uppercase", {}}),
            "Processors[0].Type 'Uppercase' must be one of RecordDeAggregation, Decompression, "
            "CloudWatchLogProcessing, Lambda, MetadataExtraction, Command, AppendDelimiterToRecord");
  EXPECT_EQ(
      ErrorOf({"Decompression", {{"Delimiter", "x"}}}),
      "Processors[0] Decompression: ParameterName Delimiter is not a parameter of Decompression; "
      "allowed: CompressionFormat");
  EXPECT_EQ(
      ErrorOf({"Decompression", {{"CompressionFormat", "GZIP"}, {"CompressionFormat", "GZIP"}}}),
      "Processors[0] Decompression: ParameterName CompressionFormat is given more than once");
  EXPECT_THAT(
      ErrorOf({"AppendDelimiterToRecord", {{"Delimiter", "  "}}}),
      HasSubstr("ParameterName Delimiter ParameterValue must be 1-5120 characters and not blank"));
  EXPECT_THAT(
      ErrorOf({"MetadataExtraction", {{"MetadataExtractionQuery", std::string(5121, 'x')}}}),
      HasSubstr("(got 5121 characters)"));
  EXPECT_EQ(
      ErrorOf({"CloudWatchLogProcessing", {}}),
      "Processors[0] CloudWatchLogProcessing: ParameterName DataMessageExtraction is required");
  EXPECT_EQ(ErrorOf({"CloudWatchLogProcessing", {{"DataMessageExtraction", "false"}}}),
            "Processors[0] CloudWatchLogProcessing: ParameterName DataMessageExtraction value "
            "'false' must be true");
  EXPECT_EQ(ErrorOf({"RecordDeAggregation", {{"SubRecordType", "CSV"}}}),
            "Processors[0] RecordDeAggregation: ParameterName SubRecordType value 'CSV' must be "
            "JSON or DELIMITED");
  EXPECT_THAT(ErrorOf({"RecordDeAggregation", {{"SubRecordType", "DELIMITED"}}}),
              HasSubstr("ParameterName Delimiter is required with SubRecordType DELIMITED"));
  EXPECT_THAT(
      ErrorOf({"RecordDeAggregation", {{"SubRecordType", "DELIMITED"}, {"Delimiter", "####"}}}),
      HasSubstr("ParameterName Delimiter value '####' must be the base64 encoding of a non-empty "
                "delimiter"));
  EXPECT_THAT(
      ErrorOf({"RecordDeAggregation", {{"SubRecordType", "JSON"}, {"Delimiter", "IyMjIw=="}}}),
      HasSubstr("Delimiter is only allowed with SubRecordType DELIMITED"));
  EXPECT_THAT(ErrorOf({"AppendDelimiterToRecord", {{"Delimiter", "\\q"}}}),
              HasSubstr("AppendDelimiterToRecord: ParameterName Delimiter value '\\q' has the "
                        "unknown escape \\q"));
  EXPECT_EQ(ErrorOf({"MetadataExtraction",
                     {{"MetadataExtractionQuery", "{a:.a}"}, {"JsonParsingEngine", "JQ-1.5"}}}),
            "Processors[0] MetadataExtraction: ParameterName JsonParsingEngine value 'JQ-1.5' must "
            "be JQ-1.6");
}

TEST(ValidateProcessorTest, ChecksLambdaParameters) {
  auto lambda = [](std::string name, std::string value) {
    ProcessorConfig config{"Lambda", {{"LambdaArn", std::string(kArn)}}};
    if (name == "LambdaArn") config.parameters.clear();
    config.parameters.push_back({std::move(name), std::move(value)});
    return ErrorOf(config);
  };
  EXPECT_EQ(ErrorOf({"Lambda", {{"NumberOfRetries", "3"}}}),
            "Processors[0] Lambda: ParameterName LambdaArn is required");
  EXPECT_THAT(lambda("LambdaArn", "arn:aws:s3:::bucket"),
              HasSubstr("value 'arn:aws:s3:::bucket' must be a Lambda function ARN"));
  EXPECT_THAT(lambda("NumberOfRetries", "301"),
              HasSubstr("value '301' must be a whole number from 0 to 300"));
  EXPECT_THAT(lambda("NumberOfRetries", "3x"), HasSubstr("must be a whole number"));
  EXPECT_THAT(lambda("BufferIntervalInSeconds", "59"),
              HasSubstr("must be a whole number from 60 to 900"));
  EXPECT_THAT(lambda("BufferSizeInMBs", "0.1"),
              HasSubstr("value '0.1' must be a number from 0.2 to 3"));
  EXPECT_THAT(lambda("BufferSizeInMBs", "3.5"), HasSubstr("from 0.2 to 3"));
  EXPECT_THAT(lambda("BufferSizeInMBs", "one"), HasSubstr("from 0.2 to 3"));
  EXPECT_THAT(lambda("RoleArn", "role"), HasSubstr("value 'role' must be an IAM role ARN"));
}

TEST(ParseLambdaSettingsTest, AppliesDefaultsAndValues) {
  auto defaults = ParseLambdaSettings(0, {"Lambda", {{"LambdaArn", std::string(kArn)}}});
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->function_arn, kArn);
  EXPECT_EQ(defaults->number_of_retries, 3);
  EXPECT_EQ(defaults->buffer_size_bytes, 1024u * 1024u);
  EXPECT_EQ(defaults->buffer_interval_seconds, 60);
  auto set = ParseLambdaSettings(0, {"Lambda",
                                     {{"LambdaArn", std::string(kArn)},
                                      {"NumberOfRetries", "0"},
                                      {"BufferSizeInMBs", "3"},
                                      {"BufferIntervalInSeconds", "120"}}});
  ASSERT_TRUE(set);
  EXPECT_EQ(set->number_of_retries, 0);
  EXPECT_EQ(set->buffer_size_bytes, 3u * 1024u * 1024u);
  EXPECT_EQ(set->buffer_interval_seconds, 120);
}

TEST(ValidateProcessorsTest, ChecksTheListAsAWhole) {
  const std::vector<ProcessorConfig> twice = {{"AppendDelimiterToRecord", {}},
                                              {"AppendDelimiterToRecord", {}}};
  EXPECT_EQ(ValidateProcessors(twice).error().message,
            "Processors[1] AppendDelimiterToRecord: Type is already used by Processors[0]; each "
            "processor Type may "
            "appear once");
  const std::vector<ProcessorConfig> no_decompression = {
      {"CloudWatchLogProcessing", {{"DataMessageExtraction", "true"}}}};
  EXPECT_THAT(
      ValidateProcessors(no_decompression).error().message,
      HasSubstr("Processors[0] CloudWatchLogProcessing: requires a Decompression processor"));
  const std::vector<ProcessorConfig> second_bad = {
      {"AppendDelimiterToRecord", {}}, {"Decompression", {{"CompressionFormat", "ZIP"}}}};
  EXPECT_THAT(ValidateProcessors(second_bad).error().message,
              HasSubstr("Processors[1] Decompression"));
}

TEST(MakeProcessorTest, BuildsEveryBuiltInAndLambda) {
  const ProcessorEnvironment environment = Environment();
  const std::vector<std::pair<ProcessorConfig, std::string_view>> cases = {
      {{"Decompression", {}}, "Decompression"},
      {{"CloudWatchLogProcessing", {{"DataMessageExtraction", "true"}}}, "CloudWatchLogProcessing"},
      {{"RecordDeAggregation", {{"SubRecordType", "JSON"}}}, "RecordDeAggregation"},
      {{"AppendDelimiterToRecord", {}}, "AppendDelimiterToRecord"},
      {{"Lambda", {{"LambdaArn", std::string(kArn)}}}, "Lambda"},
  };
  for (const auto& [config, type] : cases) {
    auto processor = MakeProcessor(0, config, environment);
    ASSERT_TRUE(processor) << processor.error().message;
    EXPECT_EQ((*processor)->Type(), type);
  }
}

TEST(MakeProcessorTest, BuiltProcessorsUseTheirParameters) {
  auto delimiter =
      MakeProcessor(0, {"AppendDelimiterToRecord", {{"Delimiter", "\\r\\n"}}}, Environment());
  ASSERT_TRUE(delimiter);
  std::vector<Record> batch;
  batch.push_back(MakeRecord(1, "a####b"));
  auto out = (*delimiter)->Process(batch);
  ASSERT_TRUE(out);
  EXPECT_THAT(DataOf(*out), ElementsAre("a####b\r\n"));

  auto split = MakeProcessor(
      0, {"RecordDeAggregation", {{"SubRecordType", "DELIMITED"}, {"Delimiter", "IyMjIw=="}}},
      Environment());
  ASSERT_TRUE(split);
  out = (*split)->Process(batch);
  ASSERT_TRUE(out);
  EXPECT_THAT(DataOf(*out), ElementsAre("a", "b"));
}

TEST(MakeProcessorTest, RefusesWhatItCannotBuild) {
  EXPECT_THAT(MakeProcessor(2, {"Decompression", {{"CompressionFormat", "ZIP"}}}, Environment())
                  .error()
                  .message,
              HasSubstr("Processors[2] Decompression"));
  EXPECT_THAT(
      MakeProcessor(0, {"Lambda", {{"LambdaArn", std::string(kArn)}}}, ProcessorEnvironment{})
          .error()
          .message,
      HasSubstr("Processors[0] Lambda: needs the server's Lambda endpoint"));
  EXPECT_EQ(MakeProcessor(1, {"MetadataExtraction", {{"MetadataExtractionQuery", "{a:.a}"}}},
                          Environment())
                .error()
                .message,
            "Processors[1] MetadataExtraction: ParameterName JsonParsingEngine is required");
}

TEST(MakeProcessorTest, BuildsMetadataExtractionAndRefusesQueriesJqDoesNotCompile) {
  auto built = MakeProcessor(
      0, {"MetadataExtraction", {{"MetadataExtractionQuery", "{id:.id}"}, {"JsonParsingEngine", "JQ-1.6"}}},
      Environment());
  ASSERT_TRUE(built) << built.error().message;
  EXPECT_EQ((*built)->Type(), "MetadataExtraction");
  std::vector<Record> batch;
  batch.push_back(MakeRecord(1, R"({"id":"c7"})"));
  auto out = (*built)->Process(std::move(batch));
  ASSERT_TRUE(out);
  EXPECT_EQ((*out)[0].query_keys, (PartitionKeys{{"id", "c7"}}));

  EXPECT_EQ(ErrorOf({"MetadataExtraction", {{"MetadataExtractionQuery", "{a:"}, {"JsonParsingEngine", "JQ-1.6"}}}),
            "Processors[0] MetadataExtraction: ParameterName MetadataExtractionQuery value '{a:' does not "
            "compile with jq 1.6: syntax error, unexpected $end (Unix shell quoting issues?) at "
            "<top-level>, line 1");
  EXPECT_EQ(ErrorOf({"MetadataExtraction",
                     {{"MetadataExtractionQuery", "{a: .a | nosuch}"}, {"JsonParsingEngine", "JQ-1.6"}}}),
            "Processors[0] MetadataExtraction: ParameterName MetadataExtractionQuery value '{a: .a | nosuch}' "
            "does not compile with jq 1.6: nosuch/0 is not defined at <top-level>, line 1");
  EXPECT_THAT(ErrorOf({"MetadataExtraction",
                       {{"MetadataExtractionQuery", std::string("{a:.a}\0", 7) + "x"}, {"JsonParsingEngine", "JQ-1.6"}}}),
              HasSubstr("does not compile with jq 1.6: must not contain a NUL character"));
}

TEST(MakeChainTest, BuildsAnOrderedChainOrNamesTheFirstProblem) {
  const std::vector<ProcessorConfig> configs = {
      {"AppendDelimiterToRecord", {}},
      {"CloudWatchLogProcessing", {{"DataMessageExtraction", "true"}}},
      {"Decompression", {{"CompressionFormat", "GZIP"}}}};
  auto chain = MakeChain(configs, Environment());
  ASSERT_TRUE(chain) << chain.error().message;
  EXPECT_THAT(chain->Types(),
              ElementsAre("Decompression", "CloudWatchLogProcessing", "AppendDelimiterToRecord"));
  std::vector<Record> batch;
  batch.push_back(MakeRecord(1, testing::Gzip(testing::CloudWatchDataMessage({"m1", "m2"}))));
  auto out = chain->Process(std::move(batch));
  ASSERT_TRUE(out);
  EXPECT_THAT(DataOf(*out), ElementsAre("m1\n", "m2\n"));

  const std::vector<ProcessorConfig> bad = {{"Decompression", {{"CompressionFormat", "ZIP"}}}};
  EXPECT_THAT(MakeChain(bad, Environment()).error().message, HasSubstr("must be GZIP"));
}

}  // namespace
}  // namespace sluice::processors
