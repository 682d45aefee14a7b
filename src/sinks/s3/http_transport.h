#pragma once
// Sending one prepared HTTP request. An interface so that the S3 logic (multipart, abort,
// error classification) can be tested against scripted answers.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sinks/s3/s3_request.h"

namespace sluice::sinks::s3 {

struct HttpResponse {
  int status = 0;  // 0 when no HTTP answer arrived; then `transport_error` says why
  std::vector<HttpHeader> headers;
  std::string body;
  std::string transport_error;

  // First header named `name` (case-insensitive), or "".
  std::string Header(std::string_view name) const;
};

// Implementations must be safe to call from several threads at once.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual HttpResponse Send(const PreparedRequest& request, std::string_view body) = 0;
};

struct HttpTimeouts {
  int64_t connect_ms = 10'000;
  int64_t request_ms = 300'000;  // whole request, upload of the body included
};

// libcurl, one easy handle per request (no shared state). Headers are sent exactly as given:
// no Expect: 100-continue, no default Content-Type.
std::unique_ptr<HttpTransport> MakeCurlTransport(HttpTimeouts timeouts);

}  // namespace sluice::sinks::s3
