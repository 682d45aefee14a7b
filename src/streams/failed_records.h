#pragma once
// The failed-record documents written to the error output: one JSON object per record, one
// per line, with Firehose's fields (firehose.md §4.4): attemptsMade, arrivalTimestamp,
// errorCode, errorMessage, attemptEndingTimestamp (epoch milliseconds) and rawData (base64 of
// the record as it was put).

#include <cstdint>
#include <string>

#include <span>
#include <string_view>
#include <deque>
#include <map>
#include <vector>

#include "config/s3_destination.h"

namespace sluice::streams {

// The `!{firehose:error-output-type}` of records that could not be stored in the S3
// destination. Firehose documents no value for that case; this follows its `<dest>-failed`
// naming (`splunk-failed`, `http-endpoint-failed`).
inline constexpr std::string_view kS3FailedOutputType = "s3-failed";

struct DeliveryFailure {
  int attempts = 0;
  std::string error_code;  // e.g. "S3.PermanentFailure"
  std::string error_message;
  int64_t ending_ms = 0;   // when the last attempt ended
};

struct FailedRecord {
  int64_t arrival_ms;
  std::string_view raw_data;  // the record as it was put
  std::string_view error_code;
  std::string_view error_message;
};

// What a kind of failure adds to Firehose's common document (firehose.md §4.4).
struct ErrorDocumentExtras {
  // format-conversion-failed names the fields lastErrorCode / lastErrorMessage.
  bool last_error_names = false;
  // One more member, written as is: `"key":"value"`, e.g. `"lambdaArn":"arn:..."`; the value
  // is `member_value_json`, a JSON text (an object or a string).
  std::string_view member_key;
  std::string_view member_value_json;
};

// The value of "dataCatalogTable" in format-conversion-failed documents: the stream's
// SchemaConfiguration (catalogId defaults to the account of `stream_arn`, region to `region`).
std::string DataCatalogTableJson(const config::S3Destination& destination, std::string_view stream_arn,
                                 std::string_view region);
// The value of "lambdaArn" in processing-failed documents (a JSON string), or "" when the stream
// has no Lambda processor.
std::string LambdaArnJson(const config::S3Destination& destination);

// The failed records of one batch by error output type, until they are stored (one error object
// per type). Raw data views must outlive the collector's contents; codes and messages are copied.
class FailureCollector {
 public:
  struct Group {
    std::vector<FailedRecord> records;
    int attempts = 1;       // the most any record of the group took
    int64_t ending_ms = 0;  // the last attempt's end
  };

  void Add(std::string_view error_output_type, int64_t arrival_ms, std::string_view raw_data,
           std::string_view error_code, std::string_view error_message, int attempts, int64_t ending_ms);
  // As Add, with a copy of `raw_data` kept until Clear (for records not held anywhere else).
  void AddCopy(std::string_view error_output_type, int64_t arrival_ms, std::string_view raw_data,
               std::string_view error_code, std::string_view error_message, int attempts, int64_t ending_ms);
  const std::map<std::string, Group, std::less<>>& groups() const { return groups_; }
  void Clear();

 private:
  std::map<std::string, Group, std::less<>> groups_;
  std::deque<std::string> texts_;  // codes, messages, copied data; a deque keeps the views valid
};

std::string FormatFailedRecords(std::span<const FailedRecord> records, int attempts, int64_t ending_ms,
                                const ErrorDocumentExtras& extras = {});

}  // namespace sluice::streams
