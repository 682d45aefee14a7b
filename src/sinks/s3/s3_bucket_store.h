#pragma once
// A Sink that writes objects to an S3 (or S3-compatible) bucket.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "sinks/s3/credentials.h"
#include "sinks/s3/s3_client.h"
#include "sinks/sink.h"

namespace sluice::sinks::s3 {

inline constexpr uint64_t kMinPartSize = 5ull << 20;  // S3's minimum for every part but the last
inline constexpr uint64_t kMaxParts = 10'000;

struct S3StoreOptions {
  std::string endpoint;  // empty: https://s3.<region>.amazonaws.com
  std::string region = "us-east-1";
  bool path_style = false;
  std::optional<Credentials> credentials;  // nullopt: see ResolveCredentials
  uint64_t part_size_bytes = 8ull << 20;   // bodies above it go through multipart upload
  HttpTimeouts timeouts;
};

// Bodies up to the part size go in one PutObject; larger ones in a multipart upload of parts of
// the part size (grown if the body would need more than 10000 parts). A failed multipart upload
// is aborted so that no orphan upload keeps storage; if the abort fails too the message says so
// and names the upload id. Replacing an existing key is S3's normal PUT semantics, which gives
// the Sink contract. Thread-safe.
class S3BucketStore final : public Sink {
 public:
  // Resolves credentials and checks the endpoint and part size (at least 5 MiB).
  static Result<std::unique_ptr<S3BucketStore>> Create(const S3StoreOptions& options,
                                                       const EnvLookup& env = ProcessEnv);
  // `part_size_bytes` is used as given: below 5 MiB only for tests against fakes.
  S3BucketStore(std::unique_ptr<S3Client> client, uint64_t part_size_bytes);

  DeliveryResult Deliver(const Delivery& d) override;
  DeliveryResult Deliver(const Delivery& d, const ObjectOptions& options);
  // Parts of the part size are uploaded as the writer receives them (a multipart upload starts
  // with the first full part); an object that stays within one part goes in one PutObject.
  std::unique_ptr<ObjectWriter> Begin(const Delivery& d) override;

 private:

  std::unique_ptr<S3Client> client_;
  uint64_t part_size_;
};

// One object written piece by piece through a multipart upload; see S3BucketStore::Begin. A
// failure, or dropping the writer before Finish, aborts the upload.
class S3PartWriter final : public ObjectWriter {
 public:
  S3PartWriter(S3Client& client, std::string bucket, std::string key, ObjectOptions options,
               uint64_t part_size);
  ~S3PartWriter() override;
  DeliveryResult Write(std::string_view bytes) override;
  DeliveryResult Finish() override;

 private:
  DeliveryResult UploadPart(std::string_view part);
  // Aborts the upload and returns `failure`, naming the upload if the abort failed too.
  DeliveryResult Abandon(S3Failure failure);

  S3Client& client_;
  std::string bucket_;
  std::string key_;
  ObjectOptions options_;
  uint64_t part_size_;
  std::string upload_id_;  // empty until the first part
  std::vector<std::string> etags_;
  std::string pending_;    // bytes not uploaded yet, less than a part
  bool ended_ = false;     // finished, or failed and aborted
};

}  // namespace sluice::sinks::s3
