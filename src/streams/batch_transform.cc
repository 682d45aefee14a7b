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
  std::vector<processors::Record> input;
  input.reserve(source.entries.size());
  for (const auto& entry : source.entries) {
    input.push_back({entry.seq, 0, entry.arrival_ms, std::string(entry.data), {}, {}});
  }
  auto outcomes = chain_->Process(std::move(input));
  if (outcomes) {
    out.outcomes = std::move(*outcomes);
  } else {
    // Built-in processors fail records one by one; should a whole batch fail anyway, every
    // record takes the error path rather than blocking the stream.
    for (const auto& entry : source.entries) {
      out.outcomes.push_back(processors::FailedRecord({entry.seq, 0, entry.arrival_ms, std::string(entry.data), {}, {}},
                                                      "Processing.Failed", outcomes.error().message));
    }
  }
  for (const auto& outcome : out.outcomes) {
    switch (outcome.result) {
      case processors::ProcessResult::kOk:
        out.records.Add(outcome.seq, outcome.arrival_ms, outcome.data);
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
