#include "config/yaml_json.h"

#include <charconv>
#include <cstdlib>

#include "core/json_writer.h"

namespace sluice::config {
namespace {

// YAML's non-specific tag for plain (unquoted) scalars, as yaml-cpp reports it.
constexpr std::string_view kPlainTag = "?";

bool IsDigits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string_view WithoutSign(std::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  return text;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool IsFloat(std::string_view text) {
  text = WithoutSign(text);
  const size_t exponent = text.find_first_of("eE");
  std::string_view mantissa = text.substr(0, exponent);
  if (exponent != std::string_view::npos &&
      !IsDigits(WithoutSign(text.substr(exponent + 1)))) {
    return false;
  }
  const size_t dot = mantissa.find('.');
  if (dot == std::string_view::npos) return IsDigits(mantissa);
  const std::string_view whole = mantissa.substr(0, dot);
  const std::string_view fraction = mantissa.substr(dot + 1);
  if (whole.empty()) return IsDigits(fraction);
  return IsDigits(whole) && (fraction.empty() || IsDigits(fraction));
}

void WritePlainScalar(JsonWriter& w, const std::string& text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    w.Null();
  } else if (text == "true" || text == "True" || text == "TRUE") {
    w.Bool(true);
  } else if (text == "false" || text == "False" || text == "FALSE") {
    w.Bool(false);
  } else if (IsDigits(WithoutSign(text))) {
    int64_t number = 0;
    const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
    const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), number);
    if (ec == std::errc() && end == text.data() + text.size()) {
      w.Int(number);
    } else {
      w.String(text);  // beyond int64: left to the validator to report
    }
  } else if (IsFloat(text)) {
    w.Double(std::strtod(text.c_str(), nullptr));
  } else {
    w.String(text);
  }
}

Status Write(JsonWriter& w, const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      w.Null();
      return {};
    case YAML::NodeType::Scalar:
      if (node.Tag() == kPlainTag) {
        WritePlainScalar(w, node.Scalar());
      } else {
        w.String(node.Scalar());
      }
      return {};
    case YAML::NodeType::Sequence:
      w.BeginArray();
      for (const YAML::Node& item : node) {
        if (auto ok = Write(w, item); !ok) return ok;
      }
      w.EndArray();
      return {};
    case YAML::NodeType::Map:
      w.BeginObject();
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
          return InvalidArgument("line " + std::to_string(entry.first.Mark().line + 1) +
                                 ": mapping keys must be plain text");
        }
        w.Key(entry.first.Scalar());
        if (auto ok = Write(w, entry.second); !ok) return ok;
      }
      w.EndObject();
      return {};
  }
  return {};
}

}  // namespace

Result<std::string> YamlToJson(const YAML::Node& node) {
  JsonWriter w;
  if (auto ok = Write(w, node); !ok) return std::unexpected(ok.error());
  return w.Take();
}

}  // namespace sluice::config
