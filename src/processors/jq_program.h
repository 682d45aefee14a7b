#pragma once
// A MetadataExtractionQuery compiled once by libjq (jq 1.6, the engine Firehose names JQ-1.6)
// and run on one record at a time, reusing its jq_state. libjq is not thread-safe per state: one
// JqProgram serves one thread (a processor belongs to one delivery loop).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "processors/processor.h"

struct jq_state;

namespace sluice::processors {

class JqProgram {
 public:
  // The error message is jq's compile error text, e.g. "syntax error, unexpected $end (Unix
  // shell quoting issues?) at <top-level>, line 1".
  static Result<std::unique_ptr<JqProgram>> Compile(std::string_view program);
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
};

}  // namespace sluice::processors
