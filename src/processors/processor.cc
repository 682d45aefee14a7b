#include "processors/processor.h"

#include <utility>

namespace sluice::processors {

std::string_view ProcessResultName(ProcessResult result) {
  switch (result) {
    case ProcessResult::kOk:
      return "Ok";
    case ProcessResult::kDropped:
      return "Dropped";
    case ProcessResult::kProcessingFailed:
      return "ProcessingFailed";
  }
  return "Unknown";
}

namespace {

ProcessedRecord Outcome(const Record& from, ProcessResult result) {
  ProcessedRecord out;
  out.result = result;
  out.seq = from.seq;
  out.sub_index = from.sub_index;
  out.arrival_ms = from.arrival_ms;
  out.partition_keys = from.partition_keys;
  out.query_keys = from.query_keys;
  return out;
}

}  // namespace

ProcessedRecord OkRecord(const Record& from, std::string data) {
  ProcessedRecord out = Outcome(from, ProcessResult::kOk);
  out.data = std::move(data);
  return out;
}

ProcessedRecord DroppedRecord(const Record& from) { return Outcome(from, ProcessResult::kDropped); }

ProcessedRecord FailedRecord(const Record& from, std::string error_code, std::string error_message,
                             std::string_view error_output_type) {
  ProcessedRecord out = Outcome(from, ProcessResult::kProcessingFailed);
  out.data = from.data;
  out.error_code = std::move(error_code);
  out.error_message = std::move(error_message);
  out.error_output_type = error_output_type;
  return out;
}

}  // namespace sluice::processors
