#pragma once
// Runs a stream's processors (ProcessingConfiguration) over a sealed batch and sorts the
// outcome: records to deliver, records that failed (by error output type, with their original
// bytes), and a count of dropped ones. Keeps the built processor chain while the configuration
// stays the same. Owned by one delivery loop: not thread-safe.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/processing_config.h"
#include "core/result.h"
#include "processors/chain.h"
#include "processors/make_processor.h"
#include "streams/failed_records.h"
#include "wal/record_batch.h"

namespace sluice::streams {

struct TransformedBatch {
  wal::RecordBatch records;  // the Ok results, in order; what goes to the destination
  // The outcome of each entry of `records` (with its partition keys); points into `outcomes`.
  std::vector<const processors::ProcessedRecord*> ok_outcomes;
  // Failed records by error output type ("processing-failed", "decompression-failed"). Their
  // views point into the source batch and into `outcomes`: valid while both live unchanged.
  std::map<std::string, std::vector<FailedRecord>, std::less<>> failed;
  uint64_t dropped = 0;
  std::vector<processors::ProcessedRecord> outcomes;

  void Clear();
};

// The record `seq` of `batch` as it was put ("" if the batch does not hold it).
std::string_view SourceData(const wal::RecordBatch& batch, uint64_t seq);

class BatchTransformer {
 public:
  // Fails only when the processors cannot be built (the configuration was validated when it
  // was accepted, so this means a broken invariant); records never fail the whole batch.
  Status Run(const config::ProcessingConfiguration& processing,
             const processors::ProcessorEnvironment& environment, const wal::RecordBatch& source,
             TransformedBatch& out);

 private:
  std::optional<processors::Chain> chain_;
  config::ProcessingConfiguration chain_config_;  // what chain_ was built from
};

}  // namespace sluice::streams
