#include "api/errors.h"

#include "core/json_writer.h"

namespace sluice::api {

ApiError ToApiError(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument: return {400, "InvalidArgumentException", error.message};
    case ErrorCode::kNotFound: return {400, "ResourceNotFoundException", error.message};
    case ErrorCode::kAlreadyExists: return {400, "ResourceInUseException", error.message};
    case ErrorCode::kConflict: return {400, "ConcurrentModificationException", error.message};
    case ErrorCode::kLimitExceeded: return {400, "LimitExceededException", error.message};
    case ErrorCode::kUnavailable: return {503, "ServiceUnavailableException", error.message};
    case ErrorCode::kIo:
    case ErrorCode::kCorruption:
    case ErrorCode::kInternal: return {500, "InternalFailure", error.message};
  }
  return {500, "InternalFailure", error.message};
}

ApiError SerializationError(std::string message) {
  return {400, "SerializationException", std::move(message)};
}

ApiError UnknownOperation(std::string_view target) {
  std::string message = target.empty()
                            ? "Missing X-Amz-Target header; expected Firehose_20150804.<Operation>"
                            : "Unknown operation \"" + std::string(target) +
                                  "\" in X-Amz-Target; expected Firehose_20150804.<Operation>";
  return {400, "UnknownOperationException", std::move(message)};
}

HttpResponse ErrorResponse(const ApiError& error, std::string_view request_id) {
  HttpResponse response;
  response.status = error.status;
  JsonWriter body;
  body.BeginObject().Key("__type").String(error.type).Key("message").String(error.message);
  body.EndObject();
  response.body = body.Take();
  response.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
  response.headers.emplace_back("x-amzn-ErrorType", error.type);
  return response;
}

}  // namespace sluice::api
