#pragma once
// Order statistics for the load generator's reports.

#include <cstdint>
#include <vector>

#include "core/json_writer.h"

namespace sluice::bench {

// Writes {"p50":..,"p90":..,"p99":..,"max":..,"count":..} in milliseconds for samples given in
// microseconds (sorts `samples_us`). All zero when there are no samples.
void WritePercentilesMs(JsonWriter& json, std::vector<int64_t>& samples_us);

}  // namespace sluice::bench
