#pragma once
// A MetadataExtractionQuery compiled once by libjq (jq 1.6, the engine Firehose names JQ-1.6)
// and run on one record at a time, reusing its jq_state. libjq is not thread-safe per state: one
// JqProgram serves one thread (a processor belongs to one delivery loop).

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "processors/jq_watchdog.h"
#include "processors/processor.h"

struct jq_state;

namespace sluice::processors {

class JqProgram {
 public:
  // The error message is jq's compile error text, e.g. "syntax error, unexpected $end (Unix
  // shell quoting issues?) at <top-level>, line 1".
  // Each evaluation is stopped after `time_limit` (the record then fails).
  static Result<std::unique_ptr<JqProgram>> Compile(std::string_view program,
                                                    std::chrono::milliseconds time_limit = kDefaultTimeLimit);
  static constexpr std::chrono::milliseconds kDefaultTimeLimit{1000};
  ~JqProgram();
  JqProgram(const JqProgram&) = delete;
  JqProgram& operator=(const JqProgram&) = delete;

  // `record` must be exactly one JSON value, an object; the program must yield exactly one
  // object, whose members become the partition keys (query_keys.h). The error message says
  // which of these failed, with jq's own text for parse and runtime errors.
  Result<PartitionKeys> Evaluate(std::string_view record);

 private:
  JqProgram();

  jq_state* state_;
  std::vector<std::string> messages_;  // filled by libjq's error callback
  std::unique_ptr<JqWatchdog> watchdog_;  // stopped before state_ is torn down
};

}  // namespace sluice::processors
