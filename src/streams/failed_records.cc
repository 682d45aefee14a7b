#include "streams/failed_records.h"

#include "core/base64.h"
#include "core/json_writer.h"

namespace sluice::streams {

std::string FormatFailedRecords(std::span<const FailedRecord> records, int attempts, int64_t ending_ms) {
  std::string out;
  std::string raw_data;
  for (const FailedRecord& record : records) {
    raw_data.clear();
    Base64EncodeAppend(record.raw_data, raw_data);
    JsonWriter document;
    document.BeginObject().Key("attemptsMade").Int(attempts);
    document.Key("arrivalTimestamp").Int(record.arrival_ms);
    document.Key("errorCode").String(record.error_code);
    document.Key("errorMessage").String(record.error_message);
    document.Key("attemptEndingTimestamp").Int(ending_ms);
    document.Key("rawData").String(raw_data).EndObject();
    out += document.str();
    out += '\n';
  }
  return out;
}

}  // namespace sluice::streams
