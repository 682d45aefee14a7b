#include "processors/cloudwatch_logs.h"

#include <simdjson.h>

#include <string>
#include <utility>

namespace sluice::processors {
namespace {

constexpr std::string_view kErrorCode = "CloudWatchLogProcessing.InvalidPayload";

// Appends the outcomes for one record; returns the failure reason, or empty on success.
std::string Extract(simdjson::dom::parser& parser, const Record& record,
                    std::vector<ProcessedRecord>& out) {
  simdjson::dom::element root;
  if (auto error = parser.parse(record.data).get(root); error) {
    return std::string("record is not JSON (") + simdjson::error_message(error) +
           "); is Decompression configured?";
  }
  std::string_view message_type;
  if (root["messageType"].get(message_type) != simdjson::SUCCESS) {
    return "record has no string field messageType";
  }
  if (message_type == "CONTROL_MESSAGE") {
    out.push_back(DroppedRecord(record));
    return {};
  }
  if (message_type != "DATA_MESSAGE") {
    return "messageType '" + std::string(message_type) +
           "' is neither DATA_MESSAGE nor CONTROL_MESSAGE";
  }
  simdjson::dom::array events;
  if (root["logEvents"].get(events) != simdjson::SUCCESS) {
    return "DATA_MESSAGE has no array field logEvents";
  }
  std::vector<ProcessedRecord> messages;
  size_t index = 0;
  for (simdjson::dom::element event : events) {
    std::string_view message;
    if (event["message"].get(message) != simdjson::SUCCESS) {
      return "logEvents[" + std::to_string(index) + "] has no string field message";
    }
    messages.push_back(OkRecord(record, std::string(message)));
    ++index;
  }
  if (messages.empty()) {
    out.push_back(DroppedRecord(record));
    return {};
  }
  for (ProcessedRecord& message : messages) out.push_back(std::move(message));
  return {};
}

}  // namespace

Result<std::vector<ProcessedRecord>> CloudWatchLogProcessor::Process(std::vector<Record> batch) {
  simdjson::dom::parser parser;
  std::vector<ProcessedRecord> out;
  out.reserve(batch.size());
  for (const Record& record : batch) {
    std::string reason = Extract(parser, record, out);
    if (!reason.empty()) {
      out.push_back(FailedRecord(record, std::string(kErrorCode),
                                 "CloudWatch Logs message extraction failed: " + reason));
    }
  }
  return out;
}

}  // namespace sluice::processors
