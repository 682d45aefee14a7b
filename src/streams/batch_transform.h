#pragma once
// Runs a stream's processors (ProcessingConfiguration) over a sealed batch and sorts the
// outcome: records to deliver, records that failed (by error output type, with their original
// bytes), and a count of dropped ones. Keeps the built processor chain while the configuration
// stays the same. Owned by one delivery loop: not thread-safe.

#include <map>
#include <optional>
#include <span>
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
  // Every record's outcome, in order. An Ok outcome's `data` is empty: it is in `records`.
  std::vector<processors::ProcessedRecord> outcomes;

  void Clear();
};

// The record `seq` of `batch` as it was put ("" if the batch does not hold it).
std::string_view SourceData(const wal::RecordBatch& batch, uint64_t seq);

// The source goes through the processors a slice of about this many record bytes at a time, so
// that the copies the processors work on (the records as they take them, their results) exist
// for one slice at a time rather than for a whole batch of up to 128 MiB. A Lambda invocation
// never spans two slices.
inline constexpr size_t kTransformSliceBytes = 8 << 20;

class BatchTransformer {
 public:
  explicit BatchTransformer(size_t slice_bytes = kTransformSliceBytes) : slice_bytes_(slice_bytes) {}

  // Fails only when the processors cannot be built (the configuration was validated when it
  // was accepted, so this means a broken invariant); records never fail the whole batch.
  Status Run(const config::ProcessingConfiguration& processing,
             const processors::ProcessorEnvironment& environment, const wal::RecordBatch& source,
             TransformedBatch& out);

 private:
  // Appends the outcomes of `slice` to `out.outcomes` and its Ok records to `out.records`.
  void RunSlice(std::span<const wal::Entry> slice, TransformedBatch& out);

  size_t slice_bytes_;
  std::optional<processors::Chain> chain_;
  config::ProcessingConfiguration chain_config_;  // what chain_ was built from
};

}  // namespace sluice::streams
