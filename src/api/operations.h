#pragma once
// One function per Firehose operation. Each takes the parsed request body and answers
// through `done` (puts answer asynchronously, once their records are durable). A request that
// fails is not applied.

#include <simdjson.h>

#include <functional>
#include <string>

#include "api/errors.h"
#include "config/json_object.h"
#include "core/clock.h"
#include "streams/registry.h"

namespace sluice::api {

// Completion of an operation: the JSON body of a 200 answer, or an error.
using OperationDone = std::function<void(std::expected<std::string, ApiError>)>;

struct OperationContext {
  streams::Registry& registry;
  const Clock& clock;
};

// `request` is the body (a JSON object), read through `fields` with member paths for errors.
using Operation = void (*)(const OperationContext& context, simdjson::dom::element request,
                           const config::JsonObject& fields, OperationDone done);

// nullptr for an unknown operation name (the part of X-Amz-Target after the dot).
Operation FindOperation(std::string_view name);

#define SLUICE_OPERATION(Name)                                                    \
  void Name(const OperationContext& context, simdjson::dom::element request,     \
            const config::JsonObject& fields, OperationDone done)
SLUICE_OPERATION(CreateDeliveryStream);
SLUICE_OPERATION(DeleteDeliveryStream);
SLUICE_OPERATION(DescribeDeliveryStream);
SLUICE_OPERATION(ListDeliveryStreams);
SLUICE_OPERATION(UpdateDestination);
SLUICE_OPERATION(TagDeliveryStream);
SLUICE_OPERATION(UntagDeliveryStream);
SLUICE_OPERATION(ListTagsForDeliveryStream);
SLUICE_OPERATION(PutRecord);
SLUICE_OPERATION(PutRecordBatch);
#undef SLUICE_OPERATION

// Helpers shared by the operations.
inline std::unexpected<ApiError> Failed(const Error& error) { return std::unexpected(ToApiError(error)); }
// The required DeliveryStreamName member, checked against the model's rule.
Result<std::string_view> StreamName(const config::JsonObject& fields);

}  // namespace sluice::api
