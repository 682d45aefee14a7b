#include "processors/metadata_extraction.h"

#include <utility>

namespace sluice::processors {

Result<std::unique_ptr<MetadataExtractionProcessor>> MetadataExtractionProcessor::Create(
    std::string_view query, Engine engine) {
  auto jq = JqProgram::Compile(query);
  if (!jq) return std::unexpected(std::move(jq.error()));
  std::optional<PlainPathQuery> plain;
  if (engine == Engine::kFastest) plain = ParsePlainPathQuery(query);
  return std::unique_ptr<MetadataExtractionProcessor>(
      new MetadataExtractionProcessor(std::move(*jq), std::move(plain)));
}

Result<PartitionKeys> MetadataExtractionProcessor::KeysOf(std::string_view record) {
  if (plain_) {
    simdjson::dom::element root;
    padded_.reserve(record.size() + simdjson::SIMDJSON_PADDING);
    padded_.assign(record);
    if (parser_.parse(padded_.data(), padded_.size(), false).get(root) == simdjson::SUCCESS) {
      if (!root.is_object()) {
        ++records_without_jq_;
        return std::unexpected(NotAnObjectError(QueryValueOf(root).kind));
      }
      if (auto members = EvaluatePlainPaths(*plain_, simdjson::dom::object(root))) {
        ++records_without_jq_;
        return PartitionKeysOf(std::move(*members));
      }
    }
  }
  return jq_->Evaluate(record);
}

Result<std::vector<ProcessedRecord>> MetadataExtractionProcessor::Process(std::vector<Record> batch) {
  std::vector<ProcessedRecord> out;
  out.reserve(batch.size());
  for (Record& record : batch) {
    auto keys = KeysOf(record.data);
    if (!keys) {
      out.push_back(FailedRecord(record, std::string(kMetadataExtractionFailed), std::move(keys.error().message),
                                 kPartitioningFailedOutput));
      continue;
    }
    record.query_keys = std::move(*keys);
    out.push_back(OkRecord(record, std::move(record.data)));
  }
  return out;
}

}  // namespace sluice::processors
