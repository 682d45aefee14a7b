#pragma once
// The S3 operations Sluice needs, each one signed request. Failures are already classified
// as retryable or permanent, with a message naming the operation, bucket, key, HTTP status
// and S3 error code.

#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "sinks/s3/http_transport.h"
#include "sinks/sink.h"

namespace sluice::sinks::s3 {

struct S3Failure {
  Outcome outcome;  // kRetryable or kPermanent
  std::string message;
};
template <typename T>
using S3Result = std::expected<T, S3Failure>;

// Retryable: no HTTP answer (refused, timeout, reset, DNS), 5xx, 429, and the codes AWS names
// as transient (SlowDown, RequestTimeout, ...). Everything else (403 AccessDenied,
// InvalidAccessKeyId, SignatureDoesNotMatch, 404 NoSuchBucket, other 4xx) is permanent.
Outcome ClassifyS3Error(int http_status, std::string_view error_code);

// Text of the first <tag>...</tag> in `xml`, entities decoded; "" when absent.
std::string XmlElementText(std::string_view xml, std::string_view tag);

struct ObjectOptions {
  // Non-empty: server-side encryption with this KMS key (id or ARN), as Firehose's
  // EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN asks.
  std::string kms_key_id;
};

// Thread-safe if the transport is (the curl transport is).
class S3Client {
 public:
  S3Client(Addressing addressing, Credentials credentials, std::unique_ptr<HttpTransport> transport,
           const Clock& clock = SystemClock::Instance());

  // Sends Content-MD5, which S3 checks against the body it received.
  S3Result<void> PutObject(std::string_view bucket, std::string_view key, std::string_view body,
                           const ObjectOptions& options);
  S3Result<std::string> GetObject(std::string_view bucket, std::string_view key);

  // Multipart upload. Returns the upload id.
  S3Result<std::string> CreateMultipartUpload(std::string_view bucket, std::string_view key,
                                              const ObjectOptions& options);
  // Returns the part's ETag. `part_number` is 1-10000.
  S3Result<std::string> UploadPart(std::string_view bucket, std::string_view key,
                                   std::string_view upload_id, int part_number,
                                   std::string_view body);
  // `etags[i]` is the ETag of part i + 1. A 200 answer carrying an <Error> is a failure.
  S3Result<void> CompleteMultipartUpload(std::string_view bucket, std::string_view key,
                                         std::string_view upload_id,
                                         const std::vector<std::string>& etags);
  S3Result<void> AbortMultipartUpload(std::string_view bucket, std::string_view key,
                                      std::string_view upload_id);

 private:
  HttpResponse Send(const S3Operation& operation);

  Addressing addressing_;
  Credentials credentials_;
  std::unique_ptr<HttpTransport> transport_;
  const Clock& clock_;
};

}  // namespace sluice::sinks::s3
