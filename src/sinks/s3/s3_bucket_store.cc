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
  // The size is known: parts grow if it would need more than S3's 10000.
  S3PartWriter writer(*client_, d.bucket, d.key, options,
                      std::max(part_size_, (d.body.size() + kMaxParts - 1) / kMaxParts));
  if (auto written = writer.Write(d.body); written.outcome != Outcome::kOk) return written;
  return writer.Finish();
}

std::unique_ptr<ObjectWriter> S3BucketStore::Begin(const Delivery& d) {
  return std::make_unique<S3PartWriter>(*client_, d.bucket, d.key, ObjectOptions{std::string(d.kms_key_id)},
                                        part_size_);
}

S3PartWriter::S3PartWriter(S3Client& client, std::string bucket, std::string key, ObjectOptions options,
                           uint64_t part_size)
    : client_(client),
      bucket_(std::move(bucket)),
      key_(std::move(key)),
      options_(std::move(options)),
      part_size_(part_size) {}

S3PartWriter::~S3PartWriter() {
  if (!ended_ && !upload_id_.empty()) (void)Abandon(S3Failure{Outcome::kRetryable, "the object was abandoned"});
}

DeliveryResult S3PartWriter::Write(std::string_view bytes) {
  // A full part goes up only once more bytes follow it, so an object of at most one part is a
  // single PutObject. Whole parts go straight from `bytes`, uncopied.
  while (!bytes.empty()) {
    if (pending_.size() == part_size_) {
      if (auto uploaded = UploadPart(pending_); uploaded.outcome != Outcome::kOk) return uploaded;
      pending_.clear();
    }
    if (pending_.empty() && bytes.size() > part_size_) {
      if (auto uploaded = UploadPart(bytes.substr(0, part_size_)); uploaded.outcome != Outcome::kOk) return uploaded;
      bytes.remove_prefix(part_size_);
      continue;
    }
    const size_t take = std::min<size_t>(bytes.size(), part_size_ - pending_.size());
    pending_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
  }
  return {Outcome::kOk, ""};
}

DeliveryResult S3PartWriter::Finish() {
  if (upload_id_.empty()) {
    ended_ = true;
    if (auto ok = client_.PutObject(bucket_, key_, pending_, options_); !ok) return FromFailure(std::move(ok.error()));
    return {Outcome::kOk, ""};
  }
  if (!pending_.empty()) {
    if (auto uploaded = UploadPart(pending_); uploaded.outcome != Outcome::kOk) return uploaded;
  }
  if (auto done = client_.CompleteMultipartUpload(bucket_, key_, upload_id_, etags_); !done) {
    return Abandon(std::move(done.error()));
  }
  ended_ = true;
  return {Outcome::kOk, ""};
}

DeliveryResult S3PartWriter::UploadPart(std::string_view part) {
  if (upload_id_.empty()) {
    auto upload_id = client_.CreateMultipartUpload(bucket_, key_, options_);
    if (!upload_id) {
      ended_ = true;
      return FromFailure(std::move(upload_id.error()));
    }
    upload_id_ = std::move(*upload_id);
  }
  auto etag = client_.UploadPart(bucket_, key_, upload_id_, static_cast<int>(etags_.size() + 1), part);
  if (!etag) return Abandon(std::move(etag.error()));
  etags_.push_back(std::move(*etag));
  return {Outcome::kOk, ""};
}

DeliveryResult S3PartWriter::Abandon(S3Failure failure) {
  ended_ = true;
  if (auto aborted = client_.AbortMultipartUpload(bucket_, key_, upload_id_); !aborted) {
    const std::string orphan = "multipart upload " + upload_id_ + " of s3://" + bucket_ + "/" + key_ +
                               " could not be aborted and remains until a lifecycle rule removes it: " +
                               aborted.error().message;
    Log(LogLevel::kWarn, "s3", orphan);
    failure.message += "; " + orphan;
  }
  return FromFailure(std::move(failure));
}

}  // namespace sluice::sinks::s3
