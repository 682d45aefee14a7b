#pragma once
// The failed-record documents written to the error output: one JSON object per record, one
// per line, with Firehose's fields (firehose.md §4.4): attemptsMade, arrivalTimestamp,
// errorCode, errorMessage, attemptEndingTimestamp (epoch milliseconds) and rawData (base64 of
// the record as it was put).

#include <cstdint>
#include <string>

#include "wal/record_batch.h"

namespace sluice::streams {

struct DeliveryFailure {
  int attempts = 0;
  std::string error_code;  // e.g. "S3.PermanentFailure"
  std::string error_message;
  int64_t ending_ms = 0;   // when the last attempt ended
};

std::string FormatFailedRecords(const wal::RecordBatch& batch, const DeliveryFailure& failure);

}  // namespace sluice::streams
