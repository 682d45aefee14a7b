#pragma once
// RecordDeAggregation: splits a record that carries several records into one record each.
// A KPL aggregated record (see kpl_aggregation.h) is first unpacked into its user records; each
// record is then split by SubRecordType:
//  - JSON: consecutive JSON objects, optionally separated by whitespace (`{"a":1}{"a":2}` or
//    JSON Lines); the whitespace between them is dropped. Anything else (an array, a bare value,
//    invalid JSON) makes the record ProcessingFailed.
//  - DELIMITED: pieces between occurrences of the delimiter; empty pieces are dropped.
// Firehose caps de-aggregation at 500 sub-records per record; a record with more is
// ProcessingFailed here rather than passed on whole.

#include <string>
#include <string_view>
#include <vector>

#include "processors/processor.h"

namespace sluice::processors {

inline constexpr size_t kMaxSubRecordsPerRecord = 500;

enum class SubRecordType { kJson, kDelimited };

// Splits concatenated JSON objects. The message names the offset of the first problem.
Result<std::vector<std::string_view>> SplitJsonObjects(std::string_view data);

class RecordDeAggregationProcessor final : public Processor {
 public:
  // `delimiter` (already base64-decoded, not empty) is used for kDelimited only.
  RecordDeAggregationProcessor(SubRecordType type, std::string delimiter)
      : type_(type), delimiter_(std::move(delimiter)) {}

  std::string_view Type() const override { return "RecordDeAggregation"; }
  Result<std::vector<ProcessedRecord>> Process(std::vector<Record> batch) override;

 private:
  // Appends the sub-records of one (KPL-unpacked) record to `out`.
  Status Split(std::string_view data, std::vector<std::string>& out) const;

  SubRecordType type_;
  std::string delimiter_;
};

}  // namespace sluice::processors
