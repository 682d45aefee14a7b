#pragma once
// AWS Signature Version 4 (header form) for outgoing requests. Pure functions: no clock, no I/O.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::sinks::s3 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless the keys are temporary (STS)
};

struct HttpHeader {
  std::string name;
  std::string value;
};

// What SigV4 covers. `path` and `query` are NOT percent-encoded: the signer encodes them the way
// S3 expects (each byte outside A-Z a-z 0-9 - . _ ~ as %XX; '/' kept in the path), and the
// request must be sent with exactly that encoding (see CanonicalUri / CanonicalQuery). S3 rules
// apply: the path is neither normalised nor encoded twice.
struct SigningRequest {
  std::string_view method;
  std::string_view path;
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<HttpHeader> headers;  // every header to sign, `host` and `x-amz-date` included
  std::string_view payload_hash;    // lower-case hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
};

struct SigningScope {
  std::string_view amz_date;  // "YYYYMMDDTHHMMSSZ", the value of the x-amz-date header
  std::string_view region;
  std::string_view service;
};

struct SigV4Result {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  // "host;x-amz-date"
  std::string signature;       // lower-case hex
  std::string authorization;   // the whole Authorization header value
};

// With a session token in `credentials`, header x-amz-security-token is signed as if it were in
// `request.headers` (unless it already is); the caller must send it too.
SigV4Result SignV4(const SigningRequest& request, const SigningScope& scope,
                   const Credentials& credentials);

// RFC 3986 percent-encoding as SigV4 defines it; '/' is kept when `keep_slash`.
std::string UriEncode(std::string_view bytes, bool keep_slash);
std::string CanonicalUri(std::string_view path);
std::string CanonicalQuery(const std::vector<std::pair<std::string, std::string>>& query);

std::string Sha256Hex(std::string_view bytes);
std::string Md5Base64(std::string_view bytes);
std::string HmacSha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string HexLower(std::string_view bytes);

// "YYYYMMDDTHHMMSSZ" for a Unix time in milliseconds (UTC).
std::string AmzDate(int64_t unix_ms);

}  // namespace sluice::sinks::s3
