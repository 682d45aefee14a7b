#pragma once
// One function per Firehose operation. Each takes the parsed request body and answers
// through `respond` (puts answer asynchronously, once their records are durable).

#include <simdjson.h>

#include <functional>
#include <string>

#include "api/errors.h"
#include "core/clock.h"
#include "streams/registry.h"

namespace sluice::api {

// Completion of an operation: the JSON body of a 200 answer, or an error.
using OperationDone = std::function<void(std::expected<std::string, ApiError>)>;

struct OperationContext {
  streams::Registry& registry;
  const Clock& clock;
  // The whole request body (an object; operations also receive it as `body`), for parsers
  // that take an element.
  simdjson::dom::element request;
};

using Operation = void (*)(const OperationContext&, simdjson::dom::object body, OperationDone done);

// nullptr for an unknown operation name (the part of X-Amz-Target after the dot).
Operation FindOperation(std::string_view name);

void CreateDeliveryStream(const OperationContext&, simdjson::dom::object, OperationDone);
void DeleteDeliveryStream(const OperationContext&, simdjson::dom::object, OperationDone);
void DescribeDeliveryStream(const OperationContext&, simdjson::dom::object, OperationDone);
void ListDeliveryStreams(const OperationContext&, simdjson::dom::object, OperationDone);
void UpdateDestination(const OperationContext&, simdjson::dom::object, OperationDone);
void TagDeliveryStream(const OperationContext&, simdjson::dom::object, OperationDone);
void UntagDeliveryStream(const OperationContext&, simdjson::dom::object, OperationDone);
void ListTagsForDeliveryStream(const OperationContext&, simdjson::dom::object, OperationDone);
void PutRecord(const OperationContext&, simdjson::dom::object, OperationDone);
void PutRecordBatch(const OperationContext&, simdjson::dom::object, OperationDone);

}  // namespace sluice::api
