#pragma once
// Checks a ProcessingConfiguration's processors against Firehose's rules and builds them.
// Validation is pure; messages name the processor (its index and Type), the ParameterName and
// the rule, e.g. "Processors[0] Decompression: ParameterName CompressionFormat value 'ZIP' must be
// GZIP".

#include <chrono>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "processors/chain.h"
#include "processors/lambda_processor.h"
#include "processors/processor.h"

namespace sluice::processors {

struct ProcessorParameter {
  std::string name;   // ParameterName
  std::string value;  // ParameterValue
  bool operator==(const ProcessorParameter&) const = default;
};

struct ProcessorConfig {
  std::string type;  // Type
  std::vector<ProcessorParameter> parameters;
  bool operator==(const ProcessorConfig&) const = default;
};

// What built processors need from outside the stream config.
struct ProcessorEnvironment {
  std::string delivery_stream_arn;
  std::string region;
  LambdaInvoker invoke_lambda;  // required to build a Lambda processor
};

// One processor: a known Type; only that type's ParameterNames, each at most once, values 1-5120
// characters and not blank; required parameters present; each value in its type's range.
// `index` is the processor's position in Processors.
Status ValidateProcessor(size_t index, const ProcessorConfig& config);

// The whole Processors list: each processor, no Type twice, and CloudWatchLogProcessing only
// together with Decompression (it reads the decompressed payload).
Status ValidateProcessors(std::span<const ProcessorConfig> processors);

// The Lambda parameters with defaults applied (NumberOfRetries 3, BufferSizeInMBs 1,
// BufferIntervalInSeconds 60). The lead's batching uses buffer_interval_seconds.
Result<LambdaSettings> ParseLambdaSettings(size_t index, const ProcessorConfig& config);

// The Command processor's parameters: Command (run with /bin/sh -c), NumberOfRetries (0-300,
// default 3), BufferSizeInMBs (0.2-3, default 1), TimeoutInSeconds (1-900, default 60).
struct CommandSettings {
  LambdaSettings invocation;  // function_arn holds the command line, for messages
  std::chrono::seconds timeout{60};
};
Result<CommandSettings> ParseCommandSettings(size_t index, const ProcessorConfig& config);

// Validates, then builds. A MetadataExtractionQuery that jq does not compile is refused by
// validation with jq's message.
Result<std::unique_ptr<Processor>> MakeProcessor(size_t index, const ProcessorConfig& config,
                                                 const ProcessorEnvironment& environment);

// ValidateProcessors, then every MakeProcessor, in a Chain.
Result<Chain> MakeChain(std::span<const ProcessorConfig> processors,
                        const ProcessorEnvironment& environment);

}  // namespace sluice::processors
