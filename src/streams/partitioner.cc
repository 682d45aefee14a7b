#include "streams/partitioner.h"

#include <unordered_map>

#include "streams/field_codec.h"

namespace sluice::streams {

PartitionPlan PlanPartitions(std::string_view sealed_key,
                             const std::vector<const processors::ProcessedRecord*>& keys,
                             size_t max_active_partitions, const ActivePartitions& active) {
  PartitionPlan plan;
  std::unordered_map<std::string, size_t> group_by_id;
  size_t active_count = active.count;
  for (uint32_t i = 0; i < keys.size(); ++i) {
    config::UsedPartitionKeys used;
    auto key = config::FillPartitionKeys(sealed_key, keys[i]->query_keys, keys[i]->partition_keys, &used);
    if (!key) {
      plan.failed.push_back({i, "DynamicPartitioning.MissingPartitionKey", key.error().message});
      continue;
    }
    if (key->size() > kMaxObjectKeyBytes) {
      plan.failed.push_back({i, "DynamicPartitioning.KeyTooLong",
                             "the object key with this record's partition keys has " + std::to_string(key->size()) +
                                 " bytes, more than S3's " + std::to_string(kMaxObjectKeyBytes)});
      continue;
    }
    auto [it, added] = group_by_id.try_emplace(PartitionId(used), plan.partitions.size());
    if (added) {
      const bool buffered = active.contains && active.contains(it->first);
      if (!buffered && active_count >= max_active_partitions) {
        group_by_id.erase(it);
        plan.failed.push_back({i, "DynamicPartitioning.ActivePartitionsLimitExceeded",
                               "the stream already has " + std::to_string(max_active_partitions) +
                                   " active partitions (the limit: delivery.max_active_partitions)"});
        continue;
      }
      if (!buffered) ++active_count;
      plan.partitions.push_back({it->first, {}});
    }
    plan.partitions[it->second].records.push_back(i);
  }
  return plan;
}

std::string PartitionId(const config::UsedPartitionKeys& keys) {
  std::string id;
  for (const auto* map : {&keys.query, &keys.lambda}) {
    if (map == &keys.lambda) AppendField(id, "");
    for (const auto& [name, value] : *map) {
      AppendField(id, name);
      AppendField(id, value);
    }
  }
  return id;
}

bool ParsePartitionId(std::string_view id, config::UsedPartitionKeys& keys) {
  config::PartitionKeyMap* map = &keys.query;
  while (!id.empty()) {
    std::string_view name, value;
    if (!TakeField(id, name)) return false;
    if (name.empty()) {
      if (map == &keys.lambda) return false;
      map = &keys.lambda;
      continue;
    }
    if (!TakeField(id, value)) return false;
    map->emplace(name, value);
  }
  return map == &keys.lambda;
}

}  // namespace sluice::streams
