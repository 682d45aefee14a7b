#pragma once
// A Sink that writes objects to an S3 (or S3-compatible) bucket.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

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

 private:
  DeliveryResult UploadInParts(const Delivery& d, const ObjectOptions& options);

  std::unique_ptr<S3Client> client_;
  uint64_t part_size_;
};

}  // namespace sluice::sinks::s3
