#pragma once
// Dynamic partitioning of a transformed batch: each record's partition keys (from the
// MetadataExtraction query and from a Lambda's metadata.partitionKeys) fill the partition-key
// slots of the stream's object key; records with equal filled keys belong to one partition,
// named by a partition id that holds exactly the keys the slots used.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "config/prefix_template.h"
#include "processors/processor.h"

namespace sluice::streams {

struct PartitionGroup {
  std::string id;                 // PartitionId of the partition's keys
  std::vector<uint32_t> records;  // indices of its records, in batch order
};

struct PartitionFailure {
  uint32_t record;  // index in the batch
  std::string error_code;
  std::string error_message;
};

struct PartitionPlan {
  std::vector<PartitionGroup> partitions;  // in order of each partition's first record
  std::vector<PartitionFailure> failed;    // to the error output as partitioning-failed
};

inline constexpr size_t kMaxObjectKeyBytes = 1024;  // S3's limit

// The partitions buffered already, for the active-partition limit.
struct ActivePartitions {
  size_t count = 0;
  std::function<bool(std::string_view id)> contains;
};

// `keys[i]` holds record i's outcome (its query_keys and partition_keys); `sealed_key` is an
// object key of the stream with its partition-key slots unfilled. Records whose keys lack a
// slot's name, or whose key would pass S3's 1024-byte limit, fail; so do the records of each new
// partition once `active` and the batch's new partitions reach `max_active_partitions`.
PartitionPlan PlanPartitions(std::string_view sealed_key,
                             const std::vector<const processors::ProcessedRecord*>& keys,
                             size_t max_active_partitions, const ActivePartitions& active);

// A partition's id: its keys, encoded (u16 little-endian lengths before each name and value,
// query keys, then an empty name, then Lambda keys). Equal keys give equal ids.
std::string PartitionId(const config::UsedPartitionKeys& keys);
// The keys of an id; false if `id` is not one.
bool ParsePartitionId(std::string_view id, config::UsedPartitionKeys& keys);

}  // namespace sluice::streams
