#include "api/firehose_service.h"

#include "api/metrics.h"
#include "api/operations.h"
#include "core/random.h"

namespace sluice::api {
namespace {

constexpr std::string_view kTargetPrefix = "Firehose_20150804.";

HttpResponse OkResponse(std::string body, std::string_view request_id) {
  HttpResponse response;
  response.body = std::move(body);
  response.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
  return response;
}

}  // namespace

FirehoseService::FirehoseService(streams::Registry& registry, const Clock& clock)
    : registry_(registry), clock_(clock) {}

HttpResponse FirehoseService::BodyTooLarge(size_t limit) {
  auto response = ErrorResponse(
      {413, "InvalidArgumentException",
       "Request body exceeds the server's limit of " + std::to_string(limit) + " bytes"},
      RandomUuid());
  return response;
}

void FirehoseService::Handle(HttpRequest&& request, Respond respond) {
  const std::string request_id = RandomUuid();
  const auto fail = [&](const ApiError& error) { respond(ErrorResponse(error, request_id)); };
  if (request.method == "GET" && (request.target == "/metrics" || request.target == "/healthz")) {
    HttpResponse response;
    response.content_type = request.target == "/metrics" ? "text/plain; version=0.0.4" : "text/plain";
    response.body = request.target == "/metrics" ? RenderMetrics(registry_) : "ok\n";
    return respond(std::move(response));
  }
  if (request.method != "POST") {
    return fail({405, "InvalidAction",
                 "Firehose operations are sent as POST /, got " + request.method});
  }
  const std::string_view target = request.Header("x-amz-target");
  if (!target.starts_with(kTargetPrefix)) return fail(UnknownOperation(target));
  const Operation operation = FindOperation(target.substr(kTargetPrefix.size()));
  if (operation == nullptr) return fail(UnknownOperation(target));

  // One parser per I/O thread: its buffers are reused across requests.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (const auto error = parser.parse(request.body).get(root); error) {
    return fail(SerializationError("request body is not valid JSON: " +
                                   std::string(simdjson::error_message(error))));
  }
  auto fields = config::JsonObject::From(root, "");
  if (!fields) return fail(SerializationError("request body must be a JSON object"));
  const OperationContext context{registry_, clock_};
  operation(context, root, *fields,
            [respond = std::move(respond), request_id](std::expected<std::string, ApiError> result) {
              if (result) {
                respond(OkResponse(std::move(*result), request_id));
              } else {
                respond(ErrorResponse(result.error(), request_id));
              }
            });
}

}  // namespace sluice::api
