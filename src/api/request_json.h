#pragma once
// Typed access to a Firehose request body (simdjson DOM) with errors that name the member
// and the rule, as the API reports them.

#include <simdjson.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "api/errors.h"

namespace sluice::api {

template <typename T>
using ApiResult = std::expected<T, ApiError>;

// Fails on members not in `allowed`, naming the first unknown one.
ApiResult<void> CheckMembers(simdjson::dom::object object, std::initializer_list<std::string_view> allowed,
                             std::string_view operation);

// nullopt when absent; an error when present with another JSON type.
ApiResult<std::optional<std::string_view>> OptionalString(simdjson::dom::object object, std::string_view member);
ApiResult<std::optional<int64_t>> OptionalInt(simdjson::dom::object object, std::string_view member);
ApiResult<std::optional<bool>> OptionalBool(simdjson::dom::object object, std::string_view member);
ApiResult<std::optional<simdjson::dom::array>> OptionalArray(simdjson::dom::object object, std::string_view member);
ApiResult<std::optional<simdjson::dom::object>> OptionalObject(simdjson::dom::object object, std::string_view member);

ApiResult<std::string_view> RequiredString(simdjson::dom::object object, std::string_view member);

// DeliveryStreamName: required, 1-64 characters of [a-zA-Z0-9_.-].
ApiResult<std::string_view> StreamName(simdjson::dom::object object);

// An optional integer member within [min, max].
ApiResult<std::optional<int64_t>> OptionalIntInRange(simdjson::dom::object object, std::string_view member,
                                                     int64_t min, int64_t max);

}  // namespace sluice::api
