#include "processors/record_deaggregation.h"

#include <simdjson.h>

#include <utility>

#include "processors/kpl_aggregation.h"

namespace sluice::processors {
namespace {

bool IsJsonWhitespace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The end (one past the closing brace) of the JSON object starting at `start`, found by bracket
// matching outside strings; 0 if the data ends first. Validity is checked separately.
size_t FindObjectEnd(std::string_view data, size_t start) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = start; i < data.size(); ++i) {
    const char c = data[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return 0;
}

}  // namespace

Result<std::vector<std::string_view>> SplitJsonObjects(std::string_view data) {
  simdjson::dom::parser parser;
  std::vector<std::string_view> objects;
  size_t pos = 0;
  while (true) {
    while (pos < data.size() && IsJsonWhitespace(data[pos])) ++pos;
    if (pos == data.size()) break;
    if (data[pos] != '{') {
      return InvalidArgument("expected a JSON object at offset " + std::to_string(pos) +
                             ", found '" + std::string(1, data[pos]) +
                             "' (arrays and bare values are not split)");
    }
    const size_t end = FindObjectEnd(data, pos);
    if (end == 0) {
      return InvalidArgument("the JSON object at offset " + std::to_string(pos) + " is not closed");
    }
    const std::string_view object = data.substr(pos, end - pos);
    simdjson::dom::element ignored;
    if (auto error = parser.parse(object.data(), object.size(), true).get(ignored); error) {
      return InvalidArgument("the JSON object at offset " + std::to_string(pos) +
                             " is invalid: " + simdjson::error_message(error));
    }
    objects.push_back(object);
    pos = end;
  }
  if (objects.empty()) return InvalidArgument("the record holds no JSON object");
  return objects;
}

Status RecordDeAggregationProcessor::Split(std::string_view data,
                                           std::vector<std::string>& out) const {
  if (type_ == SubRecordType::kJson) {
    auto objects = SplitJsonObjects(data);
    if (!objects) return std::unexpected(std::move(objects.error()));
    for (std::string_view object : *objects) out.emplace_back(object);
    return {};
  }
  size_t pos = 0;
  while (pos <= data.size()) {
    size_t next = data.find(delimiter_, pos);
    if (next == std::string_view::npos) next = data.size();
    if (next > pos) out.emplace_back(data.substr(pos, next - pos));
    pos = next + delimiter_.size();
  }
  return {};
}

Result<std::vector<ProcessedRecord>> RecordDeAggregationProcessor::Process(
    std::vector<Record> batch) {
  std::vector<ProcessedRecord> out;
  out.reserve(batch.size());
  for (const Record& record : batch) {
    std::vector<std::string> kpl_records;
    if (HasKplMagic(record.data)) {
      auto unpacked = DeaggregateKpl(record.data);
      if (!unpacked) {
        out.push_back(
            FailedRecord(record, "RecordDeAggregation.InvalidKplRecord", unpacked.error().message));
        continue;
      }
      kpl_records = std::move(*unpacked);
    } else {
      kpl_records.push_back(record.data);
    }
    std::vector<std::string> sub_records;
    Status split;
    for (size_t i = 0; i < kpl_records.size() && split; ++i)
      split = Split(kpl_records[i], sub_records);
    if (!split) {
      out.push_back(
          FailedRecord(record, "RecordDeAggregation.InvalidSubRecord",
                       "record cannot be split into " +
                           std::string(type_ == SubRecordType::kJson ? "JSON" : "DELIMITED") +
                           " sub-records: " + split.error().message));
    } else if (sub_records.size() > kMaxSubRecordsPerRecord) {
      out.push_back(FailedRecord(record, "RecordDeAggregation.TooManySubRecords",
                                 "record holds " + std::to_string(sub_records.size()) +
                                     " sub-records; the limit is " +
                                     std::to_string(kMaxSubRecordsPerRecord) + " per record"));
    } else if (sub_records.empty()) {
      out.push_back(DroppedRecord(record));
    } else {
      for (std::string& sub : sub_records) out.push_back(OkRecord(record, std::move(sub)));
    }
  }
  return out;
}

}  // namespace sluice::processors
