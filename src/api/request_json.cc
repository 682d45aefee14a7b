#include "api/request_json.h"

#include <algorithm>

namespace sluice::api {
namespace {

std::string_view TypeName(simdjson::dom::element_type type) {
  using T = simdjson::dom::element_type;
  switch (type) {
    case T::ARRAY: return "an array";
    case T::OBJECT: return "an object";
    case T::INT64:
    case T::UINT64:
    case T::DOUBLE: return "a number";
    case T::STRING: return "a string";
    case T::BOOL: return "a boolean";
    case T::NULL_VALUE: return "null";
  }
  return "an unknown type";
}

ApiError WrongType(std::string_view member, std::string_view expected, simdjson::dom::element value) {
  return SerializationError(std::string(member) + " must be " + std::string(expected) + ", got " +
                            std::string(TypeName(value.type())));
}

std::optional<simdjson::dom::element> Member(simdjson::dom::object object, std::string_view member) {
  simdjson::dom::element value;
  if (object.at_key(member).get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

bool IsStreamNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

}  // namespace

ApiResult<void> CheckMembers(simdjson::dom::object object, std::initializer_list<std::string_view> allowed,
                             std::string_view operation) {
  for (const auto field : object) {
    if (std::find(allowed.begin(), allowed.end(), field.key) == allowed.end()) {
      return std::unexpected(SerializationError("unknown member \"" + std::string(field.key) +
                                                "\" in the " + std::string(operation) + " request"));
    }
  }
  return {};
}

ApiResult<std::optional<std::string_view>> OptionalString(simdjson::dom::object object, std::string_view member) {
  const auto value = Member(object, member);
  if (!value) return std::nullopt;
  if (!value->is_string()) return std::unexpected(WrongType(member, "a string", *value));
  return std::optional<std::string_view>(value->get_string().value_unsafe());
}

ApiResult<std::optional<int64_t>> OptionalInt(simdjson::dom::object object, std::string_view member) {
  const auto value = Member(object, member);
  if (!value) return std::nullopt;
  int64_t number;
  if (value->get_int64().get(number) != simdjson::SUCCESS) {
    return std::unexpected(WrongType(member, "an integer", *value));
  }
  return std::optional<int64_t>(number);
}

ApiResult<std::optional<bool>> OptionalBool(simdjson::dom::object object, std::string_view member) {
  const auto value = Member(object, member);
  if (!value) return std::nullopt;
  if (!value->is_bool()) return std::unexpected(WrongType(member, "a boolean", *value));
  return std::optional<bool>(value->get_bool().value_unsafe());
}

ApiResult<std::optional<simdjson::dom::array>> OptionalArray(simdjson::dom::object object, std::string_view member) {
  const auto value = Member(object, member);
  if (!value) return std::nullopt;
  if (!value->is_array()) return std::unexpected(WrongType(member, "an array", *value));
  return std::optional<simdjson::dom::array>(value->get_array().value_unsafe());
}

ApiResult<std::optional<simdjson::dom::object>> OptionalObject(simdjson::dom::object object, std::string_view member) {
  const auto value = Member(object, member);
  if (!value) return std::nullopt;
  if (!value->is_object()) return std::unexpected(WrongType(member, "an object", *value));
  return std::optional<simdjson::dom::object>(value->get_object().value_unsafe());
}

ApiResult<std::string_view> RequiredString(simdjson::dom::object object, std::string_view member) {
  auto value = OptionalString(object, member);
  if (!value) return std::unexpected(value.error());
  if (!*value) {
    return std::unexpected(ToApiError(
        {ErrorCode::kInvalidArgument, "missing required member " + std::string(member)}));
  }
  return **value;
}

ApiResult<std::string_view> StreamName(simdjson::dom::object object) {
  auto name = RequiredString(object, "DeliveryStreamName");
  if (!name) return name;
  if (name->empty() || name->size() > 64 || !std::all_of(name->begin(), name->end(), IsStreamNameChar)) {
    return std::unexpected(ToApiError(
        {ErrorCode::kInvalidArgument,
         "DeliveryStreamName \"" + std::string(*name) +
             "\" must be 1 to 64 characters of letters, digits, '_', '.' and '-'"}));
  }
  return name;
}

ApiResult<std::optional<int64_t>> OptionalIntInRange(simdjson::dom::object object, std::string_view member,
                                                     int64_t min, int64_t max) {
  auto value = OptionalInt(object, member);
  if (!value || !*value) return value;
  if (**value < min || **value > max) {
    return std::unexpected(ToApiError({ErrorCode::kInvalidArgument,
                                       std::string(member) + " must be between " + std::to_string(min) +
                                           " and " + std::to_string(max) + ", got " +
                                           std::to_string(**value)}));
  }
  return value;
}

}  // namespace sluice::api
