#include "streams/batch_transform.h"

#include <algorithm>

namespace sluice::streams {

std::string_view SourceData(std::span<const wal::Entry> entries, uint64_t seq) {
  const auto it = std::lower_bound(entries.begin(), entries.end(), seq,
                                   [](const wal::Entry& entry, uint64_t s) { return entry.seq < s; });
  return it != entries.end() && it->seq == seq ? it->data : std::string_view();
}

std::string_view SourceData(const wal::RecordBatch& batch, uint64_t seq) { return SourceData(batch.entries, seq); }

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
  static const processors::ProcessedRecord kNoKeys;
  for (auto& outcome : *outcomes) {
    switch (outcome.result) {
      case processors::ProcessResult::kOk:
        out.records.Add(outcome.seq, outcome.arrival_ms, outcome.data);
        if (outcome.partition_keys.empty() && outcome.query_keys.empty()) {
          out.ok_outcomes.push_back(&kNoKeys);
        } else {
          std::string().swap(outcome.data);  // now in `records`: not kept twice
          out.ok_outcomes.push_back(&out.outcomes.emplace_back(std::move(outcome)));
        }
        break;
      case processors::ProcessResult::kDropped:
        ++out.dropped;
        break;
      case processors::ProcessResult::kProcessingFailed: {
        // rawData is the record as it was put, not as the failing stage saw it; a copy, as the
        // source may be released before the error output is written.
        outcome.data = SourceData(slice, outcome.seq);
        const processors::ProcessedRecord& kept = out.outcomes.emplace_back(std::move(outcome));
        out.failed[std::string(kept.error_output_type)].push_back(
            {kept.arrival_ms, kept.data, kept.error_code, kept.error_message});
        break;
      }
    }
  }
}

Status BatchTransformer::Run(const config::ProcessingConfiguration& processing,
                             const processors::ProcessorEnvironment& environment, wal::RecordBatch& source,
                             TransformedBatch& out, SourceUse use) {
  if (!chain_ || chain_config_ != processing) {
    auto chain = processors::MakeChain(processing.processors, environment);
    if (!chain) return Fail(ErrorCode::kInternal, "cannot build its processors: " + chain.error().message);
    chain_.emplace(std::move(*chain));
    chain_config_ = processing;
  }
  out.Clear();
  const std::span<const wal::Entry> entries = source.entries;
  // Room for the records as they came plus an eighth (delimiters, small additions): grown by
  // doubling, the arena of a 128 MiB batch would at one moment be resident twice. The vectors
  // likewise, for one result per record (most processors give that).
  out.records.arena.reserve(source.arena.size() + source.arena.size() / 8);
  out.records.entries.reserve(entries.size());
  out.ok_outcomes.reserve(entries.size());
  for (size_t begin = 0; begin < entries.size();) {
    // At least one record per slice, even one larger than the slice size.
    size_t end = begin + 1;
    for (size_t bytes = entries[begin].data.size();
         end < entries.size() && bytes + entries[end].data.size() <= slice_bytes_; ++end) {
      bytes += entries[end].data.size();
    }
    RunSlice(entries.subspan(begin, end - begin), out);
    if (use == SourceUse::kRelease) {
      const std::string_view last = entries[end - 1].data;
      source.ReleaseArenaBelow(static_cast<size_t>(last.data() + last.size() - source.arena.data()));
    }
    begin = end;
  }
  if (use == SourceUse::kRelease) source.Release(0);
  return {};
}

}  // namespace sluice::streams
