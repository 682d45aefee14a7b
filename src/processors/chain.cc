#include "processors/chain.h"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <utility>

namespace sluice::processors {

int PipelinePosition(std::string_view type) {
  static constexpr std::array<std::string_view, 6> kOrder = {
      "Decompression", "CloudWatchLogProcessing", "RecordDeAggregation",
      "Lambda",        "MetadataExtraction",      "AppendDelimiterToRecord"};
  const auto* it = std::find(kOrder.begin(), kOrder.end(), type);
  if (it == kOrder.end()) return PipelinePosition("Lambda");
  return static_cast<int>(it - kOrder.begin());
}

Chain::Chain(std::vector<std::unique_ptr<Processor>> processors)
    : processors_(std::move(processors)) {
  std::stable_sort(processors_.begin(), processors_.end(), [](const auto& a, const auto& b) {
    return PipelinePosition(a->Type()) < PipelinePosition(b->Type());
  });
}

std::vector<std::string_view> Chain::Types() const {
  std::vector<std::string_view> types;
  types.reserve(processors_.size());
  for (const auto& processor : processors_) types.push_back(processor->Type());
  return types;
}

Result<std::vector<ProcessedRecord>> Chain::Process(std::vector<Record> batch) {
  std::vector<ProcessedRecord> finished;
  for (const auto& processor : processors_) {
    auto outcomes = processor->Process(std::move(batch));
    if (!outcomes) return std::unexpected(std::move(outcomes.error()));
    batch.clear();
    std::unordered_map<uint64_t, uint32_t> next_sub_index;
    for (ProcessedRecord& outcome : *outcomes) {
      if (outcome.result != ProcessResult::kOk) {
        finished.push_back(std::move(outcome));
        continue;
      }
      // Renumbered so that ids derived from (seq, sub_index), as the Lambda contract's, stay
      // unique after a processor splits records.
      batch.push_back(Record{outcome.seq, next_sub_index[outcome.seq]++, outcome.arrival_ms,
                             std::move(outcome.data), std::move(outcome.partition_keys),
                             std::move(outcome.query_keys)});
    }
  }
  for (Record& record : batch) {
    ProcessedRecord ok = OkRecord(record, std::move(record.data));
    finished.push_back(std::move(ok));
  }
  // In batch order again; usually it still is (no record left early as dropped or failed).
  const auto by_seq = [](const ProcessedRecord& a, const ProcessedRecord& b) { return a.seq < b.seq; };
  if (!std::is_sorted(finished.begin(), finished.end(), by_seq)) {
    std::stable_sort(finished.begin(), finished.end(), by_seq);
  }
  return finished;
}

}  // namespace sluice::processors
