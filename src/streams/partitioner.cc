#include "streams/partitioner.h"

#include <unordered_map>

#include "config/prefix_template.h"

namespace sluice::streams {

PartitionPlan PlanPartitions(std::string_view sealed_key,
                             const std::vector<const processors::ProcessedRecord*>& keys,
                             size_t max_active_partitions) {
  PartitionPlan plan;
  std::unordered_map<std::string, size_t> object_by_key;
  for (uint32_t i = 0; i < keys.size(); ++i) {
    auto key = config::FillPartitionKeys(sealed_key, keys[i]->query_keys, keys[i]->partition_keys);
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
    auto [it, added] = object_by_key.try_emplace(std::move(*key), plan.objects.size());
    if (added) {
      if (plan.objects.size() == max_active_partitions) {
        object_by_key.erase(it);
        plan.failed.push_back({i, "DynamicPartitioning.ActivePartitionsLimitExceeded",
                               "the batch already has " + std::to_string(max_active_partitions) +
                                   " active partitions (the limit: partitioning.max_active_partitions)"});
        continue;
      }
      plan.objects.push_back({it->first, {}});
    }
    plan.objects[it->second].records.push_back(i);
  }
  return plan;
}

}  // namespace sluice::streams
