#include "sinks/s3/s3_client.h"

#include <array>

namespace sluice::sinks::s3 {
namespace {

std::string Describe(std::string_view operation, std::string_view bucket, std::string_view key) {
  std::string out = "S3 " + std::string(operation) + " s3://" + std::string(bucket);
  if (!key.empty()) out += "/" + std::string(key);
  return out;
}

void DecodeEntities(std::string& text) {
  static constexpr std::array<std::pair<std::string_view, char>, 5> kEntities{{
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}}};
  std::string out;
  for (size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (text[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (std::string_view(text).substr(i).starts_with(entity)) {
          out += c;
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += text[i++];
  }
  text = std::move(out);
}

}  // namespace

Outcome ClassifyS3Error(int http_status, std::string_view error_code) {
  static constexpr std::string_view kTransient[] = {
      "SlowDown",          "Throttling",         "ThrottlingException", "RequestLimitExceeded",
      "RequestTimeout",    "RequestTimeTooSkewed", "InternalError",     "ServiceUnavailable",
      "OperationAborted"};
  if (http_status == 0 || http_status >= 500 || http_status == 429) return Outcome::kRetryable;
  for (const std::string_view code : kTransient) {
    if (code == error_code) return Outcome::kRetryable;
  }
  return Outcome::kPermanent;
}

std::string XmlElementText(std::string_view xml, std::string_view tag) {
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  const size_t start = xml.find(open);
  if (start == std::string_view::npos) return "";
  const size_t end = xml.find(close, start + open.size());
  if (end == std::string_view::npos) return "";
  std::string text(xml.substr(start + open.size(), end - start - open.size()));
  DecodeEntities(text);
  return text;
}

namespace {

// Why `response` (a failed answer) failed, classified.
S3Failure Failure(std::string_view what, const Addressing& addressing,
                  const HttpResponse& response) {
  if (response.status == 0) {
    return {Outcome::kRetryable, std::string(what) + " at " + addressing.endpoint.scheme + "://" +
                                     addressing.endpoint.authority +
                                     ": no HTTP answer: " + response.transport_error};
  }
  const std::string code = XmlElementText(response.body, "Code");
  const std::string message = XmlElementText(response.body, "Message");
  std::string text = std::string(what) + ": HTTP " + std::to_string(response.status);
  if (!code.empty()) text += " " + code;
  if (!message.empty()) text += ": " + message;
  return {ClassifyS3Error(response.status, code), std::move(text)};
}

bool IsSuccess(const HttpResponse& response) {
  return response.status >= 200 && response.status < 300;
}

void AddEncryption(const ObjectOptions& options, std::vector<HttpHeader>& headers) {
  if (options.kms_key_id.empty()) return;
  headers.push_back({"X-Amz-Server-Side-Encryption", "aws:kms"});
  headers.push_back({"X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id", options.kms_key_id});
}

}  // namespace

S3Client::S3Client(Addressing addressing, Credentials credentials,
                   std::unique_ptr<HttpTransport> transport, const Clock& clock)
    : addressing_(std::move(addressing)),
      credentials_(std::move(credentials)),
      transport_(std::move(transport)),
      clock_(clock) {}

HttpResponse S3Client::Send(const S3Operation& operation) {
  const PreparedRequest request =
      PrepareRequest(operation, addressing_, credentials_, AmzDate(clock_.NowMs()));
  return transport_->Send(request, operation.body);
}

S3Result<void> S3Client::PutObject(std::string_view bucket, std::string_view key,
                                   std::string_view body, const ObjectOptions& options) {
  S3Operation operation{"PUT", bucket, key, {}, {{"Content-MD5", Md5Base64(body)}}, body};
  operation.headers.push_back({"Content-Type", "application/octet-stream"});
  AddEncryption(options, operation.headers);
  const HttpResponse response = Send(operation);
  if (!IsSuccess(response)) {
    return std::unexpected(Failure(Describe("PutObject", bucket, key), addressing_, response));
  }
  return {};
}

S3Result<std::string> S3Client::GetObject(std::string_view bucket, std::string_view key) {
  HttpResponse response = Send(S3Operation{"GET", bucket, key, {}, {}, ""});
  if (!IsSuccess(response)) {
    return std::unexpected(Failure(Describe("GetObject", bucket, key), addressing_, response));
  }
  return std::move(response.body);
}

S3Result<std::string> S3Client::CreateMultipartUpload(std::string_view bucket,
                                                      std::string_view key,
                                                      const ObjectOptions& options) {
  S3Operation operation{"POST", bucket, key, {{"uploads", ""}}, {}, ""};
  operation.headers.push_back({"Content-Type", "application/octet-stream"});
  AddEncryption(options, operation.headers);
  const HttpResponse response = Send(operation);
  const std::string what = Describe("CreateMultipartUpload", bucket, key);
  if (!IsSuccess(response)) return std::unexpected(Failure(what, addressing_, response));
  std::string upload_id = XmlElementText(response.body, "UploadId");
  if (upload_id.empty()) {
    return std::unexpected(S3Failure{
        Outcome::kRetryable, what + ": HTTP " + std::to_string(response.status) +
                                 " answer has no <UploadId>: " + response.body.substr(0, 200)});
  }
  return upload_id;
}

S3Result<std::string> S3Client::UploadPart(std::string_view bucket, std::string_view key,
                                           std::string_view upload_id, int part_number,
                                           std::string_view body) {
  const S3Operation operation{"PUT",
                              bucket,
                              key,
                              {{"partNumber", std::to_string(part_number)},
                               {"uploadId", std::string(upload_id)}},
                              {{"Content-MD5", Md5Base64(body)}},
                              body};
  const HttpResponse response = Send(operation);
  const std::string what =
      Describe("UploadPart", bucket, key) + " part " + std::to_string(part_number);
  if (!IsSuccess(response)) return std::unexpected(Failure(what, addressing_, response));
  std::string etag = response.Header("ETag");
  if (etag.empty()) {
    return std::unexpected(S3Failure{Outcome::kRetryable, what + ": answer has no ETag header"});
  }
  return etag;
}

S3Result<void> S3Client::CompleteMultipartUpload(std::string_view bucket, std::string_view key,
                                                 std::string_view upload_id,
                                                 const std::vector<std::string>& etags) {
  std::string xml = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < etags.size(); ++i) {
    xml += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + etags[i] +
           "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  const S3Operation operation{"POST",
                              bucket,
                              key,
                              {{"uploadId", std::string(upload_id)}},
                              {{"Content-Type", "application/xml"}},
                              xml};
  const HttpResponse response = Send(operation);
  const std::string what = Describe("CompleteMultipartUpload", bucket, key);
  // S3 may answer 200 and report the failure in the body.
  if (!IsSuccess(response) || response.body.find("<Error>") != std::string::npos) {
    return std::unexpected(Failure(what, addressing_, response));
  }
  return {};
}

S3Result<void> S3Client::AbortMultipartUpload(std::string_view bucket, std::string_view key,
                                              std::string_view upload_id) {
  const HttpResponse response =
      Send(S3Operation{"DELETE", bucket, key, {{"uploadId", std::string(upload_id)}}, {}, ""});
  if (!IsSuccess(response)) {
    return std::unexpected(
        Failure(Describe("AbortMultipartUpload", bucket, key), addressing_, response));
  }
  return {};
}

}  // namespace sluice::sinks::s3
