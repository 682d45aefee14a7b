#include "loadgen/stats.h"

#include <algorithm>
#include <cmath>

namespace sluice::bench {
namespace {

// Nearest-rank percentile of sorted, non-empty samples.
int64_t NearestRank(const std::vector<int64_t>& sorted, double fraction) {
  const auto rank = static_cast<size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

void WritePercentilesMs(JsonWriter& json, std::vector<int64_t>& samples_us) {
  std::sort(samples_us.begin(), samples_us.end());
  auto ms = [&](double fraction) {
    return samples_us.empty() ? 0.0 : static_cast<double>(NearestRank(samples_us, fraction)) / 1000.0;
  };
  json.BeginObject()
      .Key("p50").Double(ms(0.50))
      .Key("p90").Double(ms(0.90))
      .Key("p99").Double(ms(0.99))
      .Key("max").Double(ms(1.0))
      .Key("count").Uint(samples_us.size())
      .EndObject();
}

}  // namespace sluice::bench
