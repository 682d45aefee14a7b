#pragma once
// ProcessingConfiguration of an Extended S3 destination: {Enabled, Processors: [{Type,
// Parameters: [{ParameterName, ParameterValue}]}]}. Parsing checks every processor with the
// processors module's rules and refuses a processor that cannot be built (a jq query that does not compile).

#include <optional>
#include <vector>

#include "config/json_object.h"
#include "core/json_writer.h"
#include "core/result.h"
#include "processors/make_processor.h"

namespace sluice::config {

struct ProcessingConfiguration {
  bool enabled = false;
  std::vector<processors::ProcessorConfig> processors;
  bool operator==(const ProcessingConfiguration&) const = default;
};

// The member "ProcessingConfiguration" of `parent`; nullopt when absent.
Result<std::optional<ProcessingConfiguration>> ParseProcessingConfiguration(const JsonObject& parent);

void WriteProcessingConfiguration(JsonWriter& writer, const ProcessingConfiguration& processing);

}  // namespace sluice::config
