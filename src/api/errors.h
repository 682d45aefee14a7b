#pragma once
// The one place where failures become Firehose error responses: `__type`, HTTP status and
// message, as botocore and the Smithy SDKs parse them.

#include <string>
#include <string_view>

#include "api/http_server.h"
#include "core/result.h"

namespace sluice::api {

struct ApiError {
  int status;
  std::string type;  // the `__type` member, e.g. "ResourceNotFoundException"
  std::string message;
};

// Maps an internal error to the Firehose error of the same meaning.
ApiError ToApiError(const Error& error);

// Request-level errors that have no internal counterpart.
ApiError SerializationError(std::string message);  // the body is not a JSON object
ApiError UnknownOperation(std::string_view target);

HttpResponse ErrorResponse(const ApiError& error, std::string_view request_id);

}  // namespace sluice::api
