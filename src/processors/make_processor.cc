#include "processors/make_processor.h"

#include <algorithm>
#include <charconv>
#include <regex>
#include <string_view>
#include <utility>

#include "core/base64.h"
#include "processors/append_delimiter.h"
#include "processors/cloudwatch_logs.h"
#include "processors/command_invoker.h"
#include "processors/decompression.h"
#include "processors/jq_program.h"
#include "processors/metadata_extraction.h"
#include "processors/record_deaggregation.h"

namespace sluice::processors {
namespace {

constexpr size_t kMaxParameterValueChars = 5120;

struct ParameterRule {
  std::string_view name;
  bool required;
};

struct TypeRule {
  std::string_view type;
  std::vector<ParameterRule> parameters;
};

const std::vector<TypeRule>& TypeRules() {
  static const std::vector<TypeRule> kRules = {
      {"RecordDeAggregation", {{"SubRecordType", true}, {"Delimiter", false}}},
      {"Decompression", {{"CompressionFormat", false}}},
      {"CloudWatchLogProcessing", {{"DataMessageExtraction", true}}},
      {"Lambda",
       {{"LambdaArn", true},
        {"NumberOfRetries", false},
        {"RoleArn", false},
        {"BufferSizeInMBs", false},
        {"BufferIntervalInSeconds", false}}},
      {"MetadataExtraction", {{"MetadataExtractionQuery", true}, {"JsonParsingEngine", true}}},
      // Sluice's own: the Lambda contract spoken by a local process (command_invoker.h).
      {"Command",
       {{"Command", true}, {"NumberOfRetries", false}, {"BufferSizeInMBs", false}, {"TimeoutInSeconds", false}}},
      {"AppendDelimiterToRecord", {{"Delimiter", false}}},
  };
  return kRules;
}

std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// A validated processor's parameters by name, with its message prefix.
class Parameters {
 public:
  Parameters(size_t index, const ProcessorConfig& config)
      : config_(config),
        prefix_("Processors[" + std::to_string(index) + "] " + config.type + ": ") {}

  const std::string* Find(std::string_view name) const {
    for (const ProcessorParameter& parameter : config_.parameters) {
      if (parameter.name == name) return &parameter.value;
    }
    return nullptr;
  }

  std::unexpected<Error> Invalid(std::string_view name, const std::string& value,
                                 std::string rule) const {
    return InvalidArgument(prefix_ + "ParameterName " + std::string(name) + " value '" + value +
                           "' " + std::move(rule));
  }
  std::unexpected<Error> Invalid(std::string message) const {
    return InvalidArgument(prefix_ + std::move(message));
  }

  Result<int> Integer(std::string_view name, int default_value, int min, int max) const {
    const std::string* value = Find(name);
    if (value == nullptr) return default_value;
    int parsed = 0;
    const auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), parsed);
    if (error != std::errc() || end != value->data() + value->size() || parsed < min ||
        parsed > max) {
      return Invalid(
          name, *value,
          "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return parsed;
  }

 private:
  const ProcessorConfig& config_;
  std::string prefix_;
};

Status CheckGeneric(size_t index, const ProcessorConfig& config) {
  const auto& rules = TypeRules();
  const auto rule = std::find_if(rules.begin(), rules.end(),
                                 [&](const TypeRule& r) { return r.type == config.type; });
  if (rule == rules.end()) {
    std::vector<std::string_view> types;
    for (const TypeRule& r : rules) types.push_back(r.type);
    return InvalidArgument("Processors[" + std::to_string(index) + "].Type '" + config.type +
                           "' must be one of " + JoinNames(types));
  }
  const Parameters parameters(index, config);
  std::vector<std::string_view> allowed;
  for (const ParameterRule& p : rule->parameters) allowed.push_back(p.name);
  for (size_t i = 0; i < config.parameters.size(); ++i) {
    const ProcessorParameter& parameter = config.parameters[i];
    if (std::find(allowed.begin(), allowed.end(), parameter.name) == allowed.end()) {
      return parameters.Invalid("ParameterName " + parameter.name + " is not a parameter of " +
                                config.type + "; allowed: " + JoinNames(allowed));
    }
    for (size_t j = 0; j < i; ++j) {
      if (config.parameters[j].name == parameter.name) {
        return parameters.Invalid("ParameterName " + parameter.name + " is given more than once");
      }
    }
    const bool blank = std::all_of(parameter.value.begin(), parameter.value.end(), [](char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    });
    if (blank || parameter.value.size() > kMaxParameterValueChars) {
      return parameters.Invalid("ParameterName " + parameter.name + " ParameterValue must be 1-" +
                                std::to_string(kMaxParameterValueChars) +
                                " characters and not blank (got " +
                                std::to_string(parameter.value.size()) + " characters)");
    }
  }
  for (const ParameterRule& p : rule->parameters) {
    if (p.required && parameters.Find(p.name) == nullptr) {
      return parameters.Invalid("ParameterName " + std::string(p.name) + " is required");
    }
  }
  return {};
}

Result<std::string> DeaggregationDelimiter(const Parameters& parameters, SubRecordType* type) {
  const std::string& sub_record_type = *parameters.Find("SubRecordType");
  const std::string* delimiter = parameters.Find("Delimiter");
  if (sub_record_type == "JSON") {
    *type = SubRecordType::kJson;
    if (delimiter != nullptr) {
      return parameters.Invalid(
          "ParameterName Delimiter is only allowed with SubRecordType DELIMITED");
    }
    return std::string();
  }
  if (sub_record_type != "DELIMITED") {
    return parameters.Invalid("SubRecordType", sub_record_type, "must be JSON or DELIMITED");
  }
  *type = SubRecordType::kDelimited;
  if (delimiter == nullptr) {
    return parameters.Invalid("ParameterName Delimiter is required with SubRecordType DELIMITED");
  }
  std::string decoded;
  if (!Base64DecodeAppend(*delimiter, decoded) || decoded.empty()) {
    return parameters.Invalid(
        "Delimiter", *delimiter,
        "must be the base64 encoding of a non-empty delimiter (e.g. IyMjIw== for ####)");
  }
  return decoded;
}

Result<std::string> AppendedDelimiter(const Parameters& parameters) {
  const std::string* value = parameters.Find("Delimiter");
  if (value == nullptr) return std::string("\n");
  auto delimiter = UnescapeDelimiter(*value);
  if (!delimiter)
    return parameters.Invalid("Delimiter", *value, std::move(delimiter.error().message));
  return delimiter;
}

// BufferSizeInMBs of Lambda and Command: 0.2 to 3 MB, default 1.
Result<size_t> BufferSizeBytes(const Parameters& parameters) {
  const std::string* size = parameters.Find("BufferSizeInMBs");
  if (size == nullptr) return size_t{1024 * 1024};
  double megabytes = 0;
  const auto [end, error] = std::from_chars(size->data(), size->data() + size->size(), megabytes);
  if (error != std::errc() || end != size->data() + size->size() || !(megabytes >= 0.2 && megabytes <= 3)) {
    return parameters.Invalid("BufferSizeInMBs", *size, "must be a number from 0.2 to 3");
  }
  return static_cast<size_t>(megabytes * 1024 * 1024);
}

Status CheckSpecific(size_t index, const ProcessorConfig& config) {
  const Parameters parameters(index, config);
  if (config.type == "Decompression") {
    const std::string* format = parameters.Find("CompressionFormat");
    if (format != nullptr && *format != "GZIP")
      return parameters.Invalid("CompressionFormat", *format, "must be GZIP");
  } else if (config.type == "CloudWatchLogProcessing") {
    const std::string& extraction = *parameters.Find("DataMessageExtraction");
    if (extraction != "true")
      return parameters.Invalid("DataMessageExtraction", extraction, "must be true");
  } else if (config.type == "RecordDeAggregation") {
    SubRecordType type = SubRecordType::kJson;
    if (auto delimiter = DeaggregationDelimiter(parameters, &type); !delimiter) {
      return std::unexpected(std::move(delimiter.error()));
    }
  } else if (config.type == "AppendDelimiterToRecord") {
    if (auto delimiter = AppendedDelimiter(parameters); !delimiter) {
      return std::unexpected(std::move(delimiter.error()));
    }
  } else if (config.type == "Lambda") {
    if (auto settings = ParseLambdaSettings(index, config); !settings) {
      return std::unexpected(std::move(settings.error()));
    }
  } else if (config.type == "Command") {
    if (auto settings = ParseCommandSettings(index, config); !settings) {
      return std::unexpected(std::move(settings.error()));
    }
  } else if (config.type == "MetadataExtraction") {
    const std::string& engine = *parameters.Find("JsonParsingEngine");
    if (engine != "JQ-1.6") return parameters.Invalid("JsonParsingEngine", engine, "must be JQ-1.6");
    const std::string& query = *parameters.Find("MetadataExtractionQuery");
    if (auto program = JqProgram::Compile(query); !program) {
      return parameters.Invalid("MetadataExtractionQuery", query,
                                "does not compile with jq 1.6: " + program.error().message);
    }
  }
  return {};
}

}  // namespace

Result<LambdaSettings> ParseLambdaSettings(size_t index, const ProcessorConfig& config) {
  const Parameters parameters(index, config);
  LambdaSettings settings;
  static const std::regex kFunctionArn(
      R"(arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?)");
  static const std::regex kRoleArn(R"(arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512})");
  const std::string* arn = parameters.Find("LambdaArn");
  if (arn == nullptr) return parameters.Invalid("ParameterName LambdaArn is required");
  if (!std::regex_match(*arn, kFunctionArn)) {
    return parameters.Invalid(
        "LambdaArn", *arn,
        "must be a Lambda function ARN, arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]");
  }
  settings.function_arn = *arn;
  if (const std::string* role = parameters.Find("RoleArn"); role != nullptr) {
    if (!std::regex_match(*role, kRoleArn)) {
      return parameters.Invalid("RoleArn", *role,
                                "must be an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME");
    }
    settings.role_arn = *role;
  }
  auto retries = parameters.Integer("NumberOfRetries", 3, 0, 300);
  if (!retries) return std::unexpected(std::move(retries.error()));
  settings.number_of_retries = *retries;
  auto interval = parameters.Integer("BufferIntervalInSeconds", 60, 60, 900);
  if (!interval) return std::unexpected(std::move(interval.error()));
  settings.buffer_interval_seconds = *interval;
  auto size = BufferSizeBytes(parameters);
  if (!size) return std::unexpected(std::move(size.error()));
  settings.buffer_size_bytes = *size;
  return settings;
}

Result<CommandSettings> ParseCommandSettings(size_t index, const ProcessorConfig& config) {
  const Parameters parameters(index, config);
  CommandSettings settings;
  const std::string* command = parameters.Find("Command");
  if (command == nullptr) return parameters.Invalid("ParameterName Command is required");
  settings.invocation.function_arn = *command;
  auto retries = parameters.Integer("NumberOfRetries", 3, 0, 300);
  if (!retries) return std::unexpected(std::move(retries.error()));
  settings.invocation.number_of_retries = *retries;
  auto size = BufferSizeBytes(parameters);
  if (!size) return std::unexpected(std::move(size.error()));
  settings.invocation.buffer_size_bytes = *size;
  auto timeout = parameters.Integer("TimeoutInSeconds", 60, 1, 900);
  if (!timeout) return std::unexpected(std::move(timeout.error()));
  settings.timeout = std::chrono::seconds(*timeout);
  return settings;
}

Status ValidateProcessor(size_t index, const ProcessorConfig& config) {
  if (auto generic = CheckGeneric(index, config); !generic) return generic;
  return CheckSpecific(index, config);
}

Status ValidateProcessors(std::span<const ProcessorConfig> processors) {
  bool has_decompression = false;
  for (size_t i = 0; i < processors.size(); ++i) {
    if (auto status = ValidateProcessor(i, processors[i]); !status) return status;
    for (size_t j = 0; j < i; ++j) {
      if (processors[j].type == processors[i].type) {
        return InvalidArgument("Processors[" + std::to_string(i) + "] " + processors[i].type +
                               ": Type is already used by Processors[" + std::to_string(j) +
                               "]; each processor Type may appear once");
      }
    }
    has_decompression = has_decompression || processors[i].type == "Decompression";
  }
  for (size_t i = 0; i < processors.size(); ++i) {
    if (processors[i].type == "CloudWatchLogProcessing" && !has_decompression) {
      return InvalidArgument("Processors[" + std::to_string(i) +
                             "] CloudWatchLogProcessing: requires a Decompression processor "
                             "(CompressionFormat GZIP) in the same ProcessingConfiguration");
    }
  }
  return {};
}

Result<std::unique_ptr<Processor>> MakeProcessor(size_t index, const ProcessorConfig& config,
                                                 const ProcessorEnvironment& environment) {
  if (auto status = ValidateProcessor(index, config); !status)
    return std::unexpected(std::move(status.error()));
  const Parameters parameters(index, config);
  if (config.type == "Decompression") return std::make_unique<DecompressionProcessor>();
  if (config.type == "CloudWatchLogProcessing") return std::make_unique<CloudWatchLogProcessor>();
  if (config.type == "AppendDelimiterToRecord") {
    return std::make_unique<AppendDelimiterProcessor>(*AppendedDelimiter(parameters));
  }
  if (config.type == "RecordDeAggregation") {
    SubRecordType type = SubRecordType::kJson;
    std::string delimiter = *DeaggregationDelimiter(parameters, &type);
    return std::make_unique<RecordDeAggregationProcessor>(type, std::move(delimiter));
  }
  if (config.type == "Lambda") {
    if (!environment.invoke_lambda) {
      return parameters.Invalid(
          "needs the server's Lambda endpoint: set lambda.endpoint in the server config");
    }
    return std::make_unique<LambdaProcessor>(*ParseLambdaSettings(index, config),
                                             environment.delivery_stream_arn, environment.region,
                                             environment.invoke_lambda);
  }
  if (config.type == "Command") {
    const CommandSettings settings = *ParseCommandSettings(index, config);
    auto process = std::make_shared<CommandInvoker>(settings.invocation.function_arn, settings.timeout);
    return std::make_unique<LambdaProcessor>(
        settings.invocation, environment.delivery_stream_arn, environment.region,
        [process](const std::string&, const std::string& payload) { return process->Invoke(payload); });
  }
  // MetadataExtraction, the last Type.
  auto metadata = MetadataExtractionProcessor::Create(*parameters.Find("MetadataExtractionQuery"));
  if (!metadata) return std::unexpected(std::move(metadata.error()));
  return std::unique_ptr<Processor>(std::move(*metadata));
}

Result<Chain> MakeChain(std::span<const ProcessorConfig> processors,
                        const ProcessorEnvironment& environment) {
  if (auto status = ValidateProcessors(processors); !status)
    return std::unexpected(std::move(status.error()));
  std::vector<std::unique_ptr<Processor>> built;
  for (size_t i = 0; i < processors.size(); ++i) {
    auto processor = MakeProcessor(i, processors[i], environment);
    if (!processor) return std::unexpected(std::move(processor.error()));
    built.push_back(std::move(*processor));
  }
  return Chain(std::move(built));
}

}  // namespace sluice::processors
