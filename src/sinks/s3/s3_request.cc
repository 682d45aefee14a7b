#include "sinks/s3/s3_request.h"

namespace sluice::sinks::s3 {

Result<Endpoint> ParseEndpoint(std::string_view endpoint, std::string_view region) {
  if (endpoint.empty()) return Endpoint{"https", "s3." + std::string(region) + ".amazonaws.com"};
  const std::string rule = "endpoint must be http://host[:port] or https://host[:port], got \"" +
                           std::string(endpoint) + "\"";
  Endpoint out;
  std::string_view rest;
  for (const std::string_view scheme : {"http", "https"}) {
    const std::string prefix = std::string(scheme) + "://";
    if (endpoint.starts_with(prefix)) {
      out.scheme = scheme;
      rest = endpoint.substr(prefix.size());
    }
  }
  if (out.scheme.empty()) return InvalidArgument(rule);
  if (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.empty() || rest.find_first_of("/?#@ ") != std::string_view::npos) {
    return InvalidArgument(rule);
  }
  out.authority = rest;
  return out;
}

PreparedRequest PrepareRequest(const S3Operation& operation, const Addressing& addressing,
                               const Credentials& credentials, std::string_view amz_date) {
  std::string host = addressing.endpoint.authority;
  std::string path = "/";
  if (addressing.path_style) {
    path += std::string(operation.bucket);
    if (!operation.key.empty()) path += "/" + std::string(operation.key);
  } else {
    host = std::string(operation.bucket) + "." + host;
    path += std::string(operation.key);
  }
  const std::string payload_hash = Sha256Hex(operation.body);

  PreparedRequest prepared;
  prepared.method = operation.method;
  prepared.headers = operation.headers;
  prepared.headers.push_back({"Host", host});
  prepared.headers.push_back({"X-Amz-Date", std::string(amz_date)});
  prepared.headers.push_back({"X-Amz-Content-SHA256", payload_hash});
  if (!credentials.session_token.empty()) {
    prepared.headers.push_back({"X-Amz-Security-Token", credentials.session_token});
  }
  const SigningRequest signing{operation.method, path, operation.query, prepared.headers,
                               payload_hash};
  const SigV4Result signature =
      SignV4(signing, SigningScope{amz_date, addressing.region, "s3"}, credentials);
  prepared.headers.push_back({"Authorization", signature.authorization});

  prepared.url = addressing.endpoint.scheme + "://" + host + CanonicalUri(path);
  const std::string query = CanonicalQuery(operation.query);
  if (!query.empty()) prepared.url += "?" + query;
  return prepared;
}

}  // namespace sluice::sinks::s3
