#pragma once
// CloudWatchLogProcessing (DataMessageExtraction true): turns each decompressed CloudWatch Logs
// subscription record into the `message` of each of its log events, one output record per event,
// without the envelope (owner, logGroup, logStream, ...) and without a delimiter.
// A CONTROL_MESSAGE (CloudWatch Logs' reachability probe, no log data) is dropped; so is a
// DATA_MESSAGE with no events. Anything else is ProcessingFailed with the reason.

#include <string_view>
#include <vector>

#include "processors/processor.h"

namespace sluice::processors {

class CloudWatchLogProcessor final : public Processor {
 public:
  std::string_view Type() const override { return "CloudWatchLogProcessing"; }
  Result<std::vector<ProcessedRecord>> Process(std::vector<Record> batch) override;
};

}  // namespace sluice::processors
