#pragma once
// Dynamic partitioning of a delivered batch: each record's partition keys (from the
// MetadataExtraction query and from a Lambda's metadata.partitionKeys) fill the partition-key
// slots of the batch's sealed object key; records with equal keys share one object.
//
// The stream's buffer is cut by its BufferingHints and split here, so a partition's object holds
// that partition's records of one batch. The split is a pure function of the batch's records and
// its sealed key, so a batch redelivered after a crash produces the very same objects.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "processors/processor.h"

namespace sluice::streams {

struct PartitionObject {
  std::string key;                // the sealed key with every partition-key slot filled
  std::vector<uint32_t> records;  // indices of its records, in batch order
};

struct PartitionFailure {
  uint32_t record;  // index in the batch
  std::string error_code;
  std::string error_message;
};

struct PartitionPlan {
  std::vector<PartitionObject> objects;  // in order of each partition's first record
  std::vector<PartitionFailure> failed;  // to the error output as partitioning-failed
};

inline constexpr size_t kMaxObjectKeyBytes = 1024;  // S3's limit

// `keys[i]` holds record i's outcome (its query_keys and partition_keys). Records whose keys
// lack a slot's name, or whose key would pass S3's 1024-byte limit, fail; so do the records of
// every partition beyond the first `max_active_partitions` of the batch.
PartitionPlan PlanPartitions(std::string_view sealed_key,
                             const std::vector<const processors::ProcessedRecord*>& keys,
                             size_t max_active_partitions);

}  // namespace sluice::streams
