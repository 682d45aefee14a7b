#pragma once
// Turning one S3 operation into a signed HTTP request: addressing (path-style or
// virtual-hosted), the SigV4 headers and the payload hash. Pure: no clock, no I/O.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "sinks/s3/sigv4.h"

namespace sluice::sinks::s3 {

// "http://127.0.0.1:4569" -> {"http", "127.0.0.1:4569"}.
struct Endpoint {
  std::string scheme;     // "http" or "https"
  std::string authority;  // host[:port], as sent in the Host header
};

// Accepts http(s)://host[:port] with an optional trailing '/'; no user info, path or query.
// An empty `endpoint` means AWS: https://s3.<region>.amazonaws.com.
Result<Endpoint> ParseEndpoint(std::string_view endpoint, std::string_view region);

struct S3Operation {
  std::string_view method;
  std::string_view bucket;
  std::string_view key;  // empty for bucket-level requests
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<HttpHeader> headers;  // operation headers (Content-MD5, SSE, ...), all signed
  std::string_view body;
};

struct PreparedRequest {
  std::string method;
  std::string url;
  std::vector<HttpHeader> headers;  // complete: Host and Authorization included
};

struct Addressing {
  Endpoint endpoint;
  bool path_style = false;
  std::string region;
};

// Signs with service "s3" at `amz_date`; adds Host, X-Amz-Date, X-Amz-Content-SHA256 (the
// body's SHA-256, which S3 verifies), X-Amz-Security-Token when the credentials have one,
// and Authorization.
PreparedRequest PrepareRequest(const S3Operation& operation, const Addressing& addressing,
                               const Credentials& credentials, std::string_view amz_date);

}  // namespace sluice::sinks::s3
