#pragma once
// Runs a stream's processors (ProcessingConfiguration) over a sealed batch and sorts the
// outcome: records to deliver, records that failed (by error output type, with their original
// bytes), and a count of dropped ones. Keeps the built processor chain while the configuration
// stays the same. Owned by one delivery loop: not thread-safe.

#include <deque>
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
  // For each entry of `records`, its outcome as far as its partition keys go: its own when the
  // processors gave it keys, else one shared outcome without any (an outcome per record would
  // be ~240 bytes each: 30 MiB for a 128 MiB batch of 1 KiB records). Points into `outcomes`
  // or at that shared outcome.
  std::vector<const processors::ProcessedRecord*> ok_outcomes;
  // Failed records by error output type, with the bytes the records were put with. Their views
  // point into `outcomes`.
  std::map<std::string, std::vector<FailedRecord>, std::less<>> failed;
  uint64_t dropped = 0;
  // The outcomes kept, in order: the failed records' (`data` holds the record as it was put) and
  // the Ok ones with partition keys (`data` is empty: it is in `records`). A deque, so that the
  // views above stay valid as it grows.
  std::deque<processors::ProcessedRecord> outcomes;

  void Clear();
};

// The record `seq` of `entries` / `batch` as it was put ("" if they do not hold it).
std::string_view SourceData(std::span<const wal::Entry> entries, uint64_t seq);
std::string_view SourceData(const wal::RecordBatch& batch, uint64_t seq);

// The source goes through the processors a slice of about this many record bytes at a time, so
// that the copies the processors work on (the records as they take them, their results) exist
// for one slice at a time rather than for a whole batch of up to 128 MiB. A Lambda invocation
// never spans two slices.
inline constexpr size_t kTransformSliceBytes = 8 << 20;

// What BatchTransformer::Run leaves of its source batch.
enum class SourceUse {
  kKeep,  // the batch as it was, for a later stage that reads it
  // Nothing: each slice's memory is given back once it is transformed, and the batch is
  // released at the end, so that the source and the transformed records take about one batch's
  // memory in all rather than two.
  kRelease,
};

class BatchTransformer {
 public:
  explicit BatchTransformer(size_t slice_bytes = kTransformSliceBytes) : slice_bytes_(slice_bytes) {}

  // Fails only when the processors cannot be built (the configuration was validated when it
  // was accepted, so this means a broken invariant); records never fail the whole batch.
  Status Run(const config::ProcessingConfiguration& processing,
             const processors::ProcessorEnvironment& environment, wal::RecordBatch& source,
             TransformedBatch& out, SourceUse use = SourceUse::kKeep);

 private:
  // Adds the outcomes of `slice` to `out`: its Ok records to `out.records`, copies of its
  // failed records' source bytes to `out.failed`.
  void RunSlice(std::span<const wal::Entry> slice, TransformedBatch& out);

  size_t slice_bytes_;
  std::optional<processors::Chain> chain_;
  config::ProcessingConfiguration chain_config_;  // what chain_ was built from
};

}  // namespace sluice::streams
