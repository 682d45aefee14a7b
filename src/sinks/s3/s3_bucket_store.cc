#include "sinks/s3/s3_bucket_store.h"

#include <algorithm>

#include "core/log.h"

namespace sluice::sinks::s3 {
namespace {

DeliveryResult FromFailure(S3Failure failure) {
  return {failure.outcome, std::move(failure.message)};
}

}  // namespace

Result<std::unique_ptr<S3BucketStore>> S3BucketStore::Create(const S3StoreOptions& options,
                                                             const EnvLookup& env) {
  if (options.part_size_bytes < kMinPartSize) {
    return InvalidArgument("part size must be at least 5 MiB (S3's minimum part size), got " +
                           std::to_string(options.part_size_bytes) + " bytes");
  }
  auto endpoint = ParseEndpoint(options.endpoint, options.region);
  if (!endpoint) return std::unexpected(endpoint.error());
  auto credentials = ResolveCredentials(options.credentials, env);
  if (!credentials) return std::unexpected(credentials.error());
  auto client = std::make_unique<S3Client>(
      Addressing{std::move(*endpoint), options.path_style, options.region},
      std::move(*credentials), MakeCurlTransport(options.timeouts));
  return std::make_unique<S3BucketStore>(std::move(client), options.part_size_bytes);
}

S3BucketStore::S3BucketStore(std::unique_ptr<S3Client> client, uint64_t part_size_bytes)
    : client_(std::move(client)), part_size_(std::max<uint64_t>(part_size_bytes, 1)) {}

DeliveryResult S3BucketStore::Deliver(const Delivery& d) {
  return Deliver(d, ObjectOptions{std::string(d.kms_key_id)});
}

DeliveryResult S3BucketStore::Deliver(const Delivery& d, const ObjectOptions& options) {
  if (d.body.size() > part_size_) return UploadInParts(d, options);
  if (auto ok = client_->PutObject(d.bucket, d.key, d.body, options); !ok) {
    return FromFailure(std::move(ok.error()));
  }
  return {Outcome::kOk, ""};
}

DeliveryResult S3BucketStore::UploadInParts(const Delivery& d, const ObjectOptions& options) {
  auto upload_id = client_->CreateMultipartUpload(d.bucket, d.key, options);
  if (!upload_id) return FromFailure(std::move(upload_id.error()));

  const uint64_t part_size = std::max(part_size_, (d.body.size() + kMaxParts - 1) / kMaxParts);
  std::vector<std::string> etags;
  std::optional<S3Failure> failure;
  for (uint64_t offset = 0; offset < d.body.size(); offset += part_size) {
    auto etag = client_->UploadPart(d.bucket, d.key, *upload_id,
                                    static_cast<int>(etags.size() + 1),
                                    d.body.substr(offset, part_size));
    if (!etag) {
      failure = std::move(etag.error());
      break;
    }
    etags.push_back(std::move(*etag));
  }
  if (!failure) {
    auto done = client_->CompleteMultipartUpload(d.bucket, d.key, *upload_id, etags);
    if (done) return {Outcome::kOk, ""};
    failure = std::move(done.error());
  }
  if (auto aborted = client_->AbortMultipartUpload(d.bucket, d.key, *upload_id); !aborted) {
    const std::string orphan = "multipart upload " + *upload_id + " of s3://" + d.bucket + "/" +
                               d.key + " could not be aborted and remains until a lifecycle "
                               "rule removes it: " + aborted.error().message;
    Log(LogLevel::kWarn, "s3", orphan);
    failure->message += "; " + orphan;
  }
  return FromFailure(std::move(*failure));
}

}  // namespace sluice::sinks::s3
