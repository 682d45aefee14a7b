#include "streams/failed_records.h"

#include "core/base64.h"
#include "core/json_writer.h"

namespace sluice::streams {

std::string FormatFailedRecords(const wal::RecordBatch& batch, const DeliveryFailure& failure) {
  std::string out;
  std::string raw_data;
  for (const auto& entry : batch.entries) {
    raw_data.clear();
    Base64EncodeAppend(entry.data, raw_data);
    JsonWriter document;
    document.BeginObject().Key("attemptsMade").Int(failure.attempts);
    document.Key("arrivalTimestamp").Int(entry.arrival_ms);
    document.Key("errorCode").String(failure.error_code);
    document.Key("errorMessage").String(failure.error_message);
    document.Key("attemptEndingTimestamp").Int(failure.ending_ms);
    document.Key("rawData").String(raw_data).EndObject();
    out += document.str();
    out += '\n';
  }
  return out;
}

}  // namespace sluice::streams
