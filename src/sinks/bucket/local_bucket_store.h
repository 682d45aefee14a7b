#pragma once
// The embedded bucket store: objects are files under a local directory.

#include <filesystem>

#include "sinks/sink.h"

namespace sluice::sinks {

// Stores object `key` of `bucket` at `<root>/<bucket>/<key>`, each '/' of the key being a
// directory level. Missing directories (root and bucket included) are created.
//
// Durability: when Deliver returns kOk the object is complete and fsync'ed, its name is in its
// fsync'ed directory, and so is every directory this call created. A crash never leaves a
// partial object under the final name: the body goes to a dot-prefixed temporary file in the
// same directory that is renamed over the final name, so redelivering a key replaces it.
//
// Keys: S3 accepts any 1-1024 byte key, but a directory tree cannot represent all of them
// without two keys sharing one file. Refused as kPermanent (with the rule in the message):
// a key that is empty, longer than 1024 bytes, contains NUL, starts with '/', has an empty
// segment ("a//b", or a trailing '/'), a "." or ".." segment, a segment longer than 255
// bytes, or a segment starting with ".sluice-tmp-" (reserved for temporary files). A key
// whose path is occupied by the other kind of entry ("a/b" as an object and as a folder) is
// kPermanent too. Symbolic links below root are never followed (kPermanent); root itself may
// be a link. OS errors are classified by OutcomeForErrno.
//
// Thread-safe: calls share no mutable state; concurrent deliveries of the same key leave one
// complete body (the last rename wins).
class LocalBucketStore final : public Sink {
 public:
  explicit LocalBucketStore(std::filesystem::path root);
  DeliveryResult Deliver(const Delivery& d) override;
  // The body goes to the temporary file as it is written, so no whole object is held in
  // memory; Finish makes it durable and visible as Deliver does.
  std::unique_ptr<ObjectWriter> Begin(const Delivery& d) override;

 private:
  std::filesystem::path root_;
};

}  // namespace sluice::sinks
