#pragma once
// The processing model shared by every processor of a stream's ProcessingConfiguration.
//
// A batch of records goes in; one outcome per produced record comes out. Processors that split a
// record (CloudWatchLogProcessing, RecordDeAggregation) emit several outcomes for one input, all
// carrying the input's `seq`. Outcomes keep the input order.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sluice::processors {

using PartitionKeys = std::map<std::string, std::string>;

struct Record {
  uint64_t seq = 0;        // sequence number of the source record in the stream's log
  uint32_t sub_index = 0;  // position among the records split from that source record
  int64_t arrival_ms = 0;
  std::string data;
  PartitionKeys partition_keys;  // from a Lambda's metadata.partitionKeys (partitionKeyFromLambda)
  PartitionKeys query_keys;      // from MetadataExtraction's query (partitionKeyFromQuery)
};

enum class ProcessResult { kOk, kDropped, kProcessingFailed };

std::string_view ProcessResultName(ProcessResult result);  // "Ok", "Dropped", "ProcessingFailed"

struct ProcessedRecord {
  ProcessResult result = ProcessResult::kOk;
  uint64_t seq = 0;
  uint32_t sub_index = 0;
  int64_t arrival_ms = 0;
  // kOk: the record to pass on. kProcessingFailed: the record as the failing processor received
  // it (the delivery pipeline writes the source record, found by `seq`, to the error output).
  // kDropped: empty.
  std::string data;
  PartitionKeys partition_keys;
  PartitionKeys query_keys;
  std::string error_code;     // kProcessingFailed only, e.g. "Lambda.MissingRecordId"
  std::string error_message;  // kProcessingFailed only
  // kProcessingFailed only: the `!{firehose:error-output-type}` folder the record goes to.
  std::string_view error_output_type;
};

inline constexpr std::string_view kProcessingFailedOutput = "processing-failed";
inline constexpr std::string_view kDecompressionFailedOutput = "decompression-failed";
// Records whose partition keys cannot be evaluated. Firehose does not document its own value.
inline constexpr std::string_view kPartitioningFailedOutput = "partitioning-failed";

// Outcome builders. Each copies seq, sub_index, arrival_ms, partition_keys and query_keys from
// `from`.
ProcessedRecord OkRecord(const Record& from, std::string data);
ProcessedRecord DroppedRecord(const Record& from);
ProcessedRecord FailedRecord(const Record& from, std::string error_code, std::string error_message,
                             std::string_view error_output_type = kProcessingFailedOutput);

class Processor {
 public:
  virtual ~Processor() = default;

  // The Firehose ProcessorType name, e.g. "AppendDelimiterToRecord".
  virtual std::string_view Type() const = 0;

  // Per-record problems are outcomes (kProcessingFailed), not errors. An error means the whole
  // batch could not be processed now (e.g. the Lambda endpoint is unreachable); the caller retries
  // it or fails every record of it.
  virtual Result<std::vector<ProcessedRecord>> Process(std::vector<Record> batch) = 0;
};

}  // namespace sluice::processors
