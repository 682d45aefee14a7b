#include "sinks/s3/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <ctime>
#include <map>

#include "core/base64.h"

namespace sluice::sinks::s3 {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string Digest(const EVP_MD* md, std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &size, md, nullptr);
  return std::string(reinterpret_cast<const char*>(out), size);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Trims and turns every run of spaces or tabs into one space, as SigV4 canonical headers require.
std::string CanonicalValue(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::string HexLower(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xf];
  }
  return out;
}

std::string Sha256Hex(std::string_view bytes) { return HexLower(Digest(EVP_sha256(), bytes)); }

std::string Md5Base64(std::string_view bytes) { return Base64Encode(Digest(EVP_md5(), bytes)); }

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &size);
  return std::string(reinterpret_cast<const char*>(out), size);
}

std::string UriEncode(std::string_view bytes, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (const unsigned char c : bytes) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 0xf];
    }
  }
  return out;
}

std::string CanonicalUri(std::string_view path) {
  return path.empty() ? std::string("/") : UriEncode(path, /*keep_slash=*/true);
}

std::string CanonicalQuery(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(UriEncode(name, false), UriEncode(value, false));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::string AmzDate(int64_t unix_ms) {
  const time_t seconds = static_cast<time_t>(unix_ms / 1000);
  struct tm utc {};
  gmtime_r(&seconds, &utc);
  char text[32];
  const size_t size = strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return std::string(text, size);
}

SigV4Result SignV4(const SigningRequest& request, const SigningScope& scope,
                   const Credentials& credentials) {
  // Repeated names keep their order of appearance, joined by commas.
  std::map<std::string, std::string> headers;
  for (const HttpHeader& header : request.headers) {
    std::string& value = headers[Lower(header.name)];
    if (!value.empty()) value += ',';
    value += CanonicalValue(header.value);
  }
  if (!credentials.session_token.empty()) {
    headers.try_emplace("x-amz-security-token", CanonicalValue(credentials.session_token));
  }

  SigV4Result result;
  std::string canonical_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    if (!result.signed_headers.empty()) result.signed_headers += ';';
    result.signed_headers += name;
  }
  result.canonical_request = std::string(request.method) + "\n" + CanonicalUri(request.path) +
                             "\n" + CanonicalQuery(request.query) + "\n" + canonical_headers +
                             "\n" + result.signed_headers + "\n" +
                             std::string(request.payload_hash);

  const std::string_view day = scope.amz_date.substr(0, 8);
  const std::string credential_scope = std::string(day) + "/" + std::string(scope.region) + "/" +
                                       std::string(scope.service) + "/aws4_request";
  result.string_to_sign = std::string(kAlgorithm) + "\n" + std::string(scope.amz_date) + "\n" +
                          credential_scope + "\n" + Sha256Hex(result.canonical_request);

  std::string key = HmacSha256("AWS4" + credentials.secret_access_key, day);
  key = HmacSha256(key, scope.region);
  key = HmacSha256(key, scope.service);
  key = HmacSha256(key, "aws4_request");
  result.signature = HexLower(HmacSha256(key, result.string_to_sign));
  result.authorization = std::string(kAlgorithm) + " Credential=" + credentials.access_key_id +
                         "/" + credential_scope + ", SignedHeaders=" + result.signed_headers +
                         ", Signature=" + result.signature;
  return result;
}

}  // namespace sluice::sinks::s3
