#include "lambda/invoke_client.h"

#include <simdjson.h>

#include "sinks/s3/s3_request.h"

namespace sluice::lambda {
namespace {

using processors::LambdaInvokeResult;
using Status = LambdaInvokeResult::Status;

LambdaInvokeResult Failure(Status status, std::string code, std::string message) {
  return {status, "", std::move(code), std::move(message)};
}

// The error's message from a Lambda error body ({"Type":..., "Message": ...} or "message").
std::string ErrorText(const sinks::s3::HttpResponse& response) {
  simdjson::dom::parser parser;
  simdjson::dom::element body;
  std::string_view message;
  if (parser.parse(response.body).get(body) == simdjson::SUCCESS &&
      (body["Message"].get_string().get(message) == simdjson::SUCCESS ||
       body["message"].get_string().get(message) == simdjson::SUCCESS)) {
    return std::string(message);
  }
  return response.body.substr(0, 512);
}

}  // namespace

std::optional<FunctionRef> ParseFunction(std::string_view function_arn) {
  if (!function_arn.starts_with("arn:")) return FunctionRef{std::string(function_arn), ""};
  constexpr std::string_view kMarker = ":function:";
  const size_t at = function_arn.find(kMarker);
  if (at == std::string_view::npos || function_arn.substr(0, at).find(":lambda:") == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view rest = function_arn.substr(at + kMarker.size());
  const size_t colon = rest.find(':');
  if (rest.empty() || colon == 0) return std::nullopt;
  if (colon == std::string_view::npos) return FunctionRef{std::string(rest), ""};
  return FunctionRef{std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1))};
}

processors::LambdaInvoker MakeInvoker(InvokeEndpoint endpoint,
                                      std::shared_ptr<sinks::s3::HttpTransport> transport,
                                      const Clock& clock) {
  return [endpoint = std::move(endpoint), transport = std::move(transport), &clock](
             const std::string& function_arn, const std::string& payload) -> LambdaInvokeResult {
    const auto function = ParseFunction(function_arn);
    if (!function) {
      return Failure(Status::kPermanentError, "Lambda.InvalidFunction",
                     "\"" + function_arn + "\" is not a Lambda function ARN");
    }
    auto address = endpoint.endpoint.empty()
                       ? sinks::s3::ParseEndpoint("https://lambda." + endpoint.region + ".amazonaws.com", endpoint.region)
                       : sinks::s3::ParseEndpoint(endpoint.endpoint, endpoint.region);
    if (!address) return Failure(Status::kPermanentError, "Lambda.InvalidEndpoint", address.error().message);

    const std::string path = "/2015-03-31/functions/" + function->name + "/invocations";
    std::vector<std::pair<std::string, std::string>> query;
    if (!function->qualifier.empty()) query.emplace_back("Qualifier", function->qualifier);
    const std::string amz_date = sinks::s3::AmzDate(clock.NowMs());
    const std::string payload_hash = sinks::s3::Sha256Hex(payload);
    std::vector<sinks::s3::HttpHeader> headers = {{"host", address->authority},
                                                  {"x-amz-date", amz_date},
                                                  {"content-type", "application/json"},
                                                  {"x-amz-invocation-type", "RequestResponse"}};
    if (!endpoint.credentials.session_token.empty()) {
      headers.push_back({"x-amz-security-token", endpoint.credentials.session_token});
    }
    const auto signature = sinks::s3::SignV4({"POST", path, query, headers, payload_hash},
                                             {amz_date, endpoint.region, "lambda"}, endpoint.credentials);
    sinks::s3::PreparedRequest request;
    request.method = "POST";
    request.url = address->scheme + "://" + address->authority + sinks::s3::CanonicalUri(path);
    if (!query.empty()) request.url += "?" + sinks::s3::CanonicalQuery(query);
    request.headers = std::move(headers);
    request.headers.push_back({"authorization", signature.authorization});

    const auto response = transport->Send(request, payload);
    const std::string where = "Lambda Invoke " + function_arn;
    if (response.status == 0) {
      return Failure(Status::kRetryableError, "Lambda.InvokeTimeout",
                     where + ": no HTTP answer: " + response.transport_error);
    }
    if (response.status == 200) {
      const std::string function_error = response.Header("x-amz-function-error");
      if (!function_error.empty()) {
        return Failure(Status::kFunctionError, "Lambda.FunctionError",
                       where + ": the function failed (" + function_error + "): " + ErrorText(response));
      }
      return {Status::kOk, response.body, "", ""};
    }
    const std::string detail = where + ": HTTP " + std::to_string(response.status) + " " +
                               response.Header("x-amzn-errortype") + ": " + ErrorText(response);
    if (response.status == 429) return Failure(Status::kRetryableError, "Lambda.TooManyRequestsException", detail);
    if (response.status >= 500) return Failure(Status::kRetryableError, "Lambda.ServiceException", detail);
    if (response.status == 403) return Failure(Status::kPermanentError, "Lambda.InvokeAccessDenied", detail);
    if (response.status == 404) return Failure(Status::kPermanentError, "Lambda.FunctionNotFound", detail);
    return Failure(Status::kPermanentError, "Lambda.InvokeFailed", detail);
  };
}

}  // namespace sluice::lambda
