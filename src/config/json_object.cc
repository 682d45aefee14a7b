#include "config/json_object.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace sluice::config {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::unexpected<Error> WrongType(const std::string& path, std::string_view expected,
                                 const element& value) {
  return InvalidArgument(path + " must be " + std::string(expected) + ", got " +
                         std::string(JsonTypeName(value)));
}

// The shortest text that reads back as `value` ("0.05", "1").
std::string FormatNumber(double value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, end);
}

bool Contains(std::span<const std::string_view> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::string_view JsonTypeName(const element& value) {
  switch (value.type()) {
    case element_type::ARRAY: return "array";
    case element_type::OBJECT: return "object";
    case element_type::INT64:
    case element_type::UINT64: return "integer";
    case element_type::DOUBLE: return "number";
    case element_type::STRING: return "string";
    case element_type::BOOL: return "boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "unknown";
}

std::string JoinPath(std::string_view parent, std::string_view member) {
  if (parent.empty()) return std::string(member);
  std::string out(parent);
  out += '.';
  out += member;
  return out;
}

Result<JsonObject> JsonObject::From(element value, std::string path) {
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    return InvalidArgument((path.empty() ? std::string("the request body") : path) +
                           " must be an object, got " + std::string(JsonTypeName(value)));
  }
  return JsonObject(object, std::move(path));
}

std::optional<element> JsonObject::Member(std::string_view member) const {
  element value;
  if (object_.at_key(member).get(value) != simdjson::SUCCESS || value.is_null()) {
    return std::nullopt;
  }
  return value;
}

Status JsonObject::CheckMembers(std::span<const std::string_view> known,
                                std::span<const std::string_view> unsupported,
                                std::string_view hint) const {
  for (auto [key, value] : object_) {
    if (Contains(known, key)) continue;
    if (Contains(unsupported, key)) {
      std::string message = PathOf(key) + " is not supported yet by Sluice";
      if (!hint.empty()) message += " (" + std::string(hint) + ")";
      return InvalidArgument(std::move(message));
    }
    return InvalidArgument("unknown member " + PathOf(key) + " (" +
                           (path_.empty() ? std::string("the request") : path_) +
                           " does not have a member of that name)");
  }
  return {};
}

Result<std::optional<std::string_view>> JsonObject::String(std::string_view member) const {
  auto value = Member(member);
  if (!value) return std::nullopt;
  std::string_view text;
  if (value->get_string().get(text) != simdjson::SUCCESS) {
    return WrongType(PathOf(member), "a string", *value);
  }
  return text;
}

Result<std::optional<bool>> JsonObject::Bool(std::string_view member) const {
  auto value = Member(member);
  if (!value) return std::nullopt;
  bool flag = false;
  if (value->get_bool().get(flag) != simdjson::SUCCESS) {
    return WrongType(PathOf(member), "a boolean", *value);
  }
  return flag;
}

Result<std::optional<int64_t>> JsonObject::Int(std::string_view member, int64_t min,
                                               int64_t max) const {
  auto value = Member(member);
  if (!value) return std::nullopt;
  const std::string range = " must be between " + std::to_string(min) + " and " +
                            std::to_string(max) + ", got ";
  uint64_t big = 0;
  if (value->type() == element_type::UINT64 && value->get_uint64().get(big) == simdjson::SUCCESS &&
      big > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return InvalidArgument(PathOf(member) + range + std::to_string(big));
  }
  int64_t number = 0;
  if (value->get_int64().get(number) != simdjson::SUCCESS) {
    return WrongType(PathOf(member), "an integer", *value);
  }
  if (number < min || number > max) {
    return InvalidArgument(PathOf(member) + range + std::to_string(number));
  }
  return number;
}

Result<std::optional<double>> JsonObject::Number(std::string_view member, double min,
                                                 double max) const {
  auto value = Member(member);
  if (!value) return std::nullopt;
  double number = 0;
  if (value->get_double().get(number) != simdjson::SUCCESS) {
    return WrongType(PathOf(member), "a number", *value);
  }
  if (!(number >= min && number <= max)) {
    return InvalidArgument(PathOf(member) + " must be between " + FormatNumber(min) + " and " +
                           FormatNumber(max) + ", got " + FormatNumber(number));
  }
  return number;
}

Result<std::optional<JsonObject>> JsonObject::Object(std::string_view member) const {
  auto value = Member(member);
  if (!value) return std::nullopt;
  auto object = From(*value, PathOf(member));
  if (!object) return std::unexpected(object.error());
  return std::move(*object);
}

Result<std::optional<simdjson::dom::array>> JsonObject::Array(std::string_view member) const {
  auto value = Member(member);
  if (!value) return std::nullopt;
  simdjson::dom::array array;
  if (value->get_array().get(array) != simdjson::SUCCESS) {
    return WrongType(PathOf(member), "an array", *value);
  }
  return array;
}

}  // namespace sluice::config
