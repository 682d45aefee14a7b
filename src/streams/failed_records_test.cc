#include "streams/failed_records.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <sstream>

#include "core/base64.h"

namespace sluice::streams {
namespace {

TEST(FailedRecordsTest, OneFirehoseErrorDocumentPerRecordPerLine) {
  const std::string binary("\0\xff\"", 3);
  const std::string_view message = "S3 PutObject s3://b/k: HTTP 404 NoSuchBucket \"quoted\"";
  const FailedRecord records[] = {{1'594'265'943'615, "sample\n", "S3.PermanentFailure", message},
                                  {1'594'265'943'700, binary, "S3.PermanentFailure", message}};
  const std::string text = FormatFailedRecords(records, 5, 1'594'266'081'318);
  std::istringstream lines(text);
  std::string line;
  simdjson::dom::parser parser;
  const std::string raw[] = {"sample\n", std::string("\0\xff\"", 3)};
  const int64_t arrivals[] = {1'594'265'943'615, 1'594'265'943'700};
  int count = 0;
  while (std::getline(lines, line)) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << line;
    EXPECT_EQ(int64_t(doc["attemptsMade"]), 5);
    EXPECT_EQ(int64_t(doc["arrivalTimestamp"]), arrivals[count]);
    EXPECT_EQ(std::string_view(doc["errorCode"]), "S3.PermanentFailure");
    EXPECT_EQ(std::string_view(doc["errorMessage"]), "S3 PutObject s3://b/k: HTTP 404 NoSuchBucket \"quoted\"");
    EXPECT_EQ(int64_t(doc["attemptEndingTimestamp"]), 1'594'266'081'318);
    std::string decoded;
    ASSERT_TRUE(Base64DecodeAppend(std::string_view(doc["rawData"]), decoded));
    EXPECT_EQ(decoded, raw[count]);
    ++count;
  }
  EXPECT_EQ(count, 2);
  EXPECT_EQ(text.back(), '\n');
}

TEST(FailureCollectorTest, GroupsByTypeKeepsTheMostAttemptsAndCopiesTexts) {
  FailureCollector collector;
  {
    std::string code = "S3.PermanentFailure";
    std::string message = "gone";
    collector.Add("s3-failed", 1, "a", code, message, 2, 100);
    collector.Add("s3-failed", 2, "b", code, message, 5, 90);
    code = "overwritten";  // the collector holds its own copies
  }
  collector.Add("processing-failed", 3, "c", "Lambda.X", "bad", 1, 50);
  ASSERT_EQ(collector.groups().size(), 2u);
  const auto& s3 = collector.groups().at("s3-failed");
  ASSERT_EQ(s3.records.size(), 2u);
  EXPECT_EQ(s3.records[1].raw_data, "b");
  EXPECT_EQ(s3.records[0].error_code, "S3.PermanentFailure");
  EXPECT_EQ(s3.attempts, 5);
  EXPECT_EQ(s3.ending_ms, 100);
  collector.Clear();
  EXPECT_TRUE(collector.groups().empty());
}

}  // namespace
}  // namespace sluice::streams
