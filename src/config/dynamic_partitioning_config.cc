#include "config/dynamic_partitioning_config.h"

#include <array>

namespace sluice::config {

Result<std::optional<DynamicPartitioning>> ParseDynamicPartitioning(const JsonObject& parent) {
  auto object = parent.Object("DynamicPartitioningConfiguration");
  if (!object) return std::unexpected(object.error());
  if (!*object) return std::nullopt;
  static constexpr std::array<std::string_view, 2> kMembers{"Enabled", "RetryOptions"};
  if (auto ok = (*object)->CheckMembers(kMembers, {}); !ok) return std::unexpected(ok.error());
  DynamicPartitioning partitioning;
  auto enabled = (*object)->Bool("Enabled");
  if (!enabled) return std::unexpected(enabled.error());
  partitioning.enabled = enabled->value_or(false);
  auto retry = (*object)->Object("RetryOptions");
  if (!retry) return std::unexpected(retry.error());
  if (*retry) {
    static constexpr std::array<std::string_view, 1> kRetryMembers{"DurationInSeconds"};
    if (auto ok = (*retry)->CheckMembers(kRetryMembers, {}); !ok) return std::unexpected(ok.error());
    auto duration = (*retry)->Int("DurationInSeconds", 0, 7200);
    if (!duration) return std::unexpected(duration.error());
    if (*duration) partitioning.retry_duration_s = static_cast<int>(**duration);
  }
  return partitioning;
}

void WriteDynamicPartitioning(JsonWriter& w, const DynamicPartitioning& partitioning) {
  w.Key("DynamicPartitioningConfiguration").BeginObject().Key("Enabled").Bool(partitioning.enabled);
  w.Key("RetryOptions").BeginObject().Key("DurationInSeconds").Int(partitioning.retry_duration_s);
  w.EndObject().EndObject();
}

}  // namespace sluice::config
