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

}  // namespace
}  // namespace sluice::streams
