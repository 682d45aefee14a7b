#pragma once
// Prometheus text exposition (version 0.0.4) of every stream's counters, for GET /metrics.
// Each metric's HELP names the Firehose CloudWatch metric it corresponds to.

#include <string>

#include "streams/registry.h"

namespace sluice::api {

std::string RenderMetrics(const streams::Registry& registry);

}  // namespace sluice::api
