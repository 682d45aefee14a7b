#include "streams/batch_transform.h"

#include <algorithm>

namespace sluice::streams {

std::string_view SourceData(const wal::RecordBatch& batch, uint64_t seq) {
  const auto it = std::lower_bound(batch.entries.begin(), batch.entries.end(), seq,
                                   [](const wal::Entry& entry, uint64_t s) { return entry.seq < s; });
  return it != batch.entries.end() && it->seq == seq ? it->data : std::string_view();
}

void TransformedBatch::Clear() {
  records.Clear();
  ok_outcomes.clear();
  failed.clear();
  dropped = 0;
  outcomes.clear();
}

void BatchTransformer::RunSlice(std::span<const wal::Entry> slice, TransformedBatch& out) {
  std::vector<processors::Record> input;
  input.reserve(slice.size());
  for (const auto& entry : slice) {
    input.push_back({entry.seq, 0, entry.arrival_ms, std::string(entry.data), {}, {}});
  }
  auto outcomes = chain_->Process(std::move(input));
  if (!outcomes) {
    // Built-in processors fail records one by one; should a whole slice fail anyway, every
    // record takes the error path rather than blocking the stream.
    const std::string message = std::move(outcomes.error().message);
    outcomes.emplace();
    for (const auto& entry : slice) {
      outcomes->push_back(processors::FailedRecord({entry.seq, 0, entry.arrival_ms, std::string(entry.data), {}, {}},
                                                   "Processing.Failed", message));
    }
  }
  for (auto& outcome : *outcomes) {
    if (outcome.result == processors::ProcessResult::kOk) {
      out.records.Add(outcome.seq, outcome.arrival_ms, outcome.data);
      std::string().swap(outcome.data);  // now in `records`: freed, not kept twice
    }
    out.outcomes.push_back(std::move(outcome));
  }
}

Status BatchTransformer::Run(const config::ProcessingConfiguration& processing,
                             const processors::ProcessorEnvironment& environment,
                             const wal::RecordBatch& source, TransformedBatch& out) {
  if (!chain_ || chain_config_ != processing) {
    auto chain = processors::MakeChain(processing.processors, environment);
    if (!chain) return Fail(ErrorCode::kInternal, "cannot build its processors: " + chain.error().message);
    chain_.emplace(std::move(*chain));
    chain_config_ = processing;
  }
  out.Clear();
  const std::span<const wal::Entry> entries = source.entries;
  out.outcomes.reserve(entries.size());  // most processors give one outcome per record
  // Room for the records as they came plus an eighth (delimiters, small additions): grown by
  // doubling, the arena of a 128 MiB batch would at one moment be resident twice.
  out.records.arena.reserve(source.arena.size() + source.arena.size() / 8);
  for (size_t begin = 0; begin < entries.size();) {
    // At least one record per slice, even one larger than the slice size.
    size_t end = begin + 1;
    for (size_t bytes = entries[begin].data.size();
         end < entries.size() && bytes + entries[end].data.size() <= slice_bytes_; ++end) {
      bytes += entries[end].data.size();
    }
    RunSlice(entries.subspan(begin, end - begin), out);
    begin = end;
  }
  // `outcomes` no longer grows: pointers into it stay valid.
  for (const auto& outcome : out.outcomes) {
    switch (outcome.result) {
      case processors::ProcessResult::kOk:
        out.ok_outcomes.push_back(&outcome);
        break;
      case processors::ProcessResult::kDropped:
        ++out.dropped;
        break;
      case processors::ProcessResult::kProcessingFailed:
        // rawData is the record as it was put, not as the failing stage saw it.
        out.failed[std::string(outcome.error_output_type)].push_back(
            {outcome.arrival_ms, SourceData(source, outcome.seq), outcome.error_code, outcome.error_message});
        break;
    }
  }
  return {};
}

}  // namespace sluice::streams
