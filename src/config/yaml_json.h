#pragma once
// Converts YAML (as yaml-cpp parsed it) to JSON text so that stream definitions in the server
// config go through the same JSON validator as API requests. Plain scalars that read as YAML 1.2
// core-schema integers, floats, booleans or null become JSON numbers, booleans or null; quoted
// and explicitly tagged scalars stay strings.

#include <string>

#include <yaml-cpp/yaml.h>

#include "core/result.h"

namespace sluice::config {

// Fails (message "line N: ...") when a mapping key is not a scalar.
Result<std::string> YamlToJson(const YAML::Node& node);

}  // namespace sluice::config
