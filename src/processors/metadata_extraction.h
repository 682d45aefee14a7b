#pragma once
// MetadataExtraction: evaluates the MetadataExtractionQuery on every record (one JSON object) and
// puts the members of the object it yields into the record's query_keys, the keys that
// `!{partitionKeyFromQuery:KEY}` reads. The data passes through unchanged. A record whose keys
// cannot be evaluated fails alone, with error code DynamicPartitioning.MetadataExtractionFailed
// and error output type kPartitioningFailedOutput.
//
// Queries of plain paths (plain_path_query.h) are read with simdjson; jq runs the rest, and the
// records on which simdjson cannot tell (not parsable by it, or a path into a non-object), so
// every record gets jq's result.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "processors/jq_program.h"
#include "processors/plain_path_query.h"
#include "processors/processor.h"

namespace sluice::processors {

inline constexpr std::string_view kMetadataExtractionFailed = "DynamicPartitioning.MetadataExtractionFailed";

class MetadataExtractionProcessor final : public Processor {
 public:
  enum class Engine {
    kFastest,  // plain paths without jq when the query allows it
    kJqOnly,   // every record through jq (to compare both ways)
  };

  // The error message is jq's compile error.
  static Result<std::unique_ptr<MetadataExtractionProcessor>> Create(std::string_view query,
                                                                     Engine engine = Engine::kFastest);

  std::string_view Type() const override { return "MetadataExtraction"; }
  Result<std::vector<ProcessedRecord>> Process(std::vector<Record> batch) override;

  // Whether records are read without jq (the query is plain paths and the engine allows it).
  bool UsesPlainPaths() const { return plain_.has_value(); }
  // How many records got their keys without jq so far.
  uint64_t RecordsWithoutJq() const { return records_without_jq_; }

  // One record's partition keys; the error message says why there are none.
  Result<PartitionKeys> KeysOf(std::string_view record);

 private:
  MetadataExtractionProcessor(std::unique_ptr<JqProgram> jq, std::optional<PlainPathQuery> plain)
      : jq_(std::move(jq)), plain_(std::move(plain)) {}

  std::unique_ptr<JqProgram> jq_;
  std::optional<PlainPathQuery> plain_;
  simdjson::dom::parser parser_;
  std::string padded_;
  uint64_t records_without_jq_ = 0;  // the record with the spare bytes simdjson reads past its end
};

}  // namespace sluice::processors
