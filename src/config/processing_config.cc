#include "config/processing_config.h"

#include <array>

namespace sluice::config {
namespace {

Result<processors::ProcessorConfig> ParseProcessor(simdjson::dom::element value, std::string path) {
  auto object = JsonObject::From(value, std::move(path));
  if (!object) return std::unexpected(object.error());
  static constexpr std::array<std::string_view, 2> kMembers{"Type", "Parameters"};
  if (auto ok = object->CheckMembers(kMembers, {}); !ok) return std::unexpected(ok.error());
  auto type = Required(object->String("Type"), *object, "Type");
  if (!type) return std::unexpected(type.error());
  processors::ProcessorConfig processor{std::string(*type), {}};
  auto parameters = object->Array("Parameters");
  if (!parameters) return std::unexpected(parameters.error());
  if (!*parameters) return processor;
  for (const simdjson::dom::element parameter_json : **parameters) {
    auto parameter = JsonObject::From(
        parameter_json, object->PathOf("Parameters") + "[" + std::to_string(processor.parameters.size()) + "]");
    if (!parameter) return std::unexpected(parameter.error());
    static constexpr std::array<std::string_view, 2> kParameterMembers{"ParameterName", "ParameterValue"};
    if (auto ok = parameter->CheckMembers(kParameterMembers, {}); !ok) return std::unexpected(ok.error());
    auto name = Required(parameter->String("ParameterName"), *parameter, "ParameterName");
    if (!name) return std::unexpected(name.error());
    auto text = Required(parameter->String("ParameterValue"), *parameter, "ParameterValue");
    if (!text) return std::unexpected(text.error());
    processor.parameters.push_back({std::string(*name), std::string(*text)});
  }
  return processor;
}

}  // namespace

Result<std::optional<ProcessingConfiguration>> ParseProcessingConfiguration(const JsonObject& parent) {
  auto object = parent.Object("ProcessingConfiguration");
  if (!object) return std::unexpected(object.error());
  if (!*object) return std::nullopt;
  const JsonObject& processing_json = **object;
  static constexpr std::array<std::string_view, 2> kMembers{"Enabled", "Processors"};
  if (auto ok = processing_json.CheckMembers(kMembers, {}); !ok) return std::unexpected(ok.error());
  ProcessingConfiguration processing;
  auto enabled = processing_json.Bool("Enabled");
  if (!enabled) return std::unexpected(enabled.error());
  processing.enabled = enabled->value_or(false);
  auto list = processing_json.Array("Processors");
  if (!list) return std::unexpected(list.error());
  if (*list) {
    for (const simdjson::dom::element processor_json : **list) {
      auto processor = ParseProcessor(
          processor_json, processing_json.PathOf("Processors") + "[" + std::to_string(processing.processors.size()) + "]");
      if (!processor) return std::unexpected(processor.error());
      processing.processors.push_back(std::move(*processor));
    }
  }
  const auto fail = [&](const Error& error) {
    return InvalidArgument(processing_json.PathOf("Processors") + ": " + error.message);
  };
  if (auto ok = processors::ValidateProcessors(processing.processors); !ok) return fail(ok.error());
  // Building the chain once refuses what validates but cannot be built (a jq query that does
  // not compile).
  // The stand-in invoker is never called: whether this server has a Lambda endpoint is the
  // registry's check, not the stream config's.
  const processors::ProcessorEnvironment stand_in{"", "", [](const std::string&, const std::string&) {
                                                     return processors::LambdaInvokeResult{};
                                                   }};
  if (auto chain = processors::MakeChain(processing.processors, stand_in); !chain) return fail(chain.error());
  return processing;
}

void WriteProcessingConfiguration(JsonWriter& w, const ProcessingConfiguration& processing) {
  w.Key("ProcessingConfiguration").BeginObject().Key("Enabled").Bool(processing.enabled);
  w.Key("Processors").BeginArray();
  for (const auto& processor : processing.processors) {
    w.BeginObject().Key("Type").String(processor.type).Key("Parameters").BeginArray();
    for (const auto& parameter : processor.parameters) {
      w.BeginObject().Key("ParameterName").String(parameter.name);
      w.Key("ParameterValue").String(parameter.value).EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
}

}  // namespace sluice::config
