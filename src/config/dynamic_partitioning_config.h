#pragma once
// DynamicPartitioningConfiguration of an Extended S3 destination (firehose.md §3.5):
// {Enabled, RetryOptions: {DurationInSeconds}}. The rules that involve other members (a Prefix
// with partition keys, an ErrorOutputPrefix, a key source) are checked with the destination.

#include <optional>

#include "config/json_object.h"
#include "core/json_writer.h"
#include "core/result.h"

namespace sluice::config {

struct DynamicPartitioning {
  bool enabled = false;
  int retry_duration_s = 300;  // RetryOptions.DurationInSeconds, 0..7200
  bool operator==(const DynamicPartitioning&) const = default;
};

// The member "DynamicPartitioningConfiguration" of `parent`; nullopt when absent.
Result<std::optional<DynamicPartitioning>> ParseDynamicPartitioning(const JsonObject& parent);

void WriteDynamicPartitioning(JsonWriter& writer, const DynamicPartitioning& partitioning);

}  // namespace sluice::config
