#include "streams/partitioner.h"

#include <unordered_map>

#include "streams/field_codec.h"

namespace sluice::streams {

namespace {

// Appends a record's value of every name to `id` as PartitionId does; false if one is missing.
bool AppendKeys(const std::vector<std::string>& names, const processors::PartitionKeys& keys, std::string& id) {
  for (const std::string& name : names) {
    const auto it = keys.find(name);
    if (it == keys.end()) return false;
    AppendField(id, name);
    AppendField(id, it->second);
  }
  return true;
}

}  // namespace

PartitionPlan PlanPartitions(std::string_view sealed_key,
                             const std::vector<const processors::ProcessedRecord*>& keys,
                             size_t max_active_partitions, const ActivePartitions& active) {
  PartitionPlan plan;
  const config::PartitionKeyNames names = config::PartitionKeySlotNames(sealed_key);
  std::unordered_map<std::string, size_t> group_by_id;
  size_t active_count = active.count;
  std::string id;  // reused: a record of a known partition costs no allocation
  for (uint32_t i = 0; i < keys.size(); ++i) {
    const processors::ProcessedRecord& record = *keys[i];
    id.clear();
    bool complete = AppendKeys(names.query, record.query_keys, id);
    if (complete) {
      AppendField(id, "");  // between the namespaces
      complete = AppendKeys(names.lambda, record.partition_keys, id);
    }
    if (complete) {
      if (const auto known = group_by_id.find(id); known != group_by_id.end()) {
        plan.partitions[known->second].records.push_back(i);
        continue;
      }
    }
    // A new partition, or a record missing a key: the whole key, checked once per partition.
    auto key = config::FillPartitionKeys(sealed_key, record.query_keys, record.partition_keys);
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
    const bool buffered = active.contains && active.contains(id);
    if (!buffered && active_count >= max_active_partitions) {
      plan.failed.push_back({i, "DynamicPartitioning.ActivePartitionsLimitExceeded",
                             "the stream already has " + std::to_string(max_active_partitions) +
                                 " active partitions (the limit: delivery.max_active_partitions)"});
      continue;
    }
    if (!buffered) ++active_count;
    group_by_id.emplace(id, plan.partitions.size());
    plan.partitions.push_back({id, {i}});
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
