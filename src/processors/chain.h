#pragma once
// Runs a stream's processors in the order Firehose applies them, whatever order the
// configuration lists them in: Decompression, CloudWatchLogProcessing, RecordDeAggregation,
// Lambda (and Sluice's own transform processors), MetadataExtraction, AppendDelimiterToRecord.

#include <memory>
#include <string_view>
#include <vector>

#include "processors/processor.h"

namespace sluice::processors {

// Firehose's position of a processor type in the pipeline; types Firehose does not define run
// where Lambda does.
int PipelinePosition(std::string_view type);

class Chain {
 public:
  explicit Chain(std::vector<std::unique_ptr<Processor>> processors);

  // Each processor receives only the records the previous one passed on (kOk). The result holds
  // every record's final outcome, ordered by source `seq`; records split from one source record
  // are numbered 0.. in `sub_index`. An error from any processor fails the whole batch.
  // Not thread-safe: one batch at a time.
  Result<std::vector<ProcessedRecord>> Process(std::vector<Record> batch);

  // The processor types in application order.
  std::vector<std::string_view> Types() const;

 private:
  std::vector<std::unique_ptr<Processor>> processors_;
};

}  // namespace sluice::processors
