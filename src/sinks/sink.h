#pragma once
// The last stage of delivery: hand one finished object (already encoded and compressed) to a
// destination and say whether it arrived.

#include <memory>
#include <string>
#include <string_view>

namespace sluice::sinks {

// One object to deliver. `body` is borrowed: it must outlive the Deliver call only.
struct Delivery {
  std::string bucket;
  std::string key;
  std::string_view body;
  // Non-empty: store with server-side encryption under this KMS key (id or ARN), where the
  // store supports it (S3); the local store keeps files as they are.
  std::string_view kms_key_id = {};
};

// Decided by the sink: kRetryable means the same Delivery may succeed later (the write-ahead
// log keeps the records meanwhile); kPermanent means it never will and the batch goes to the
// error output.
enum class Outcome { kOk, kRetryable, kPermanent };

struct DeliveryResult {
  Outcome outcome;
  std::string message;  // empty for kOk; otherwise names the object and the cause
};

// An object written piece by piece (a converted file, one row group or stripe at a time), so
// that a sink able to store parts as they come (S3 multipart upload) does not need the whole
// body in memory. A failed Write ends the object (whatever was stored of it is removed); call
// nothing more on it then. Dropping a writer before Finish abandons the object.
class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  virtual DeliveryResult Write(std::string_view bytes) = 0;
  // Stores the object; it is visible under its key only from now on.
  virtual DeliveryResult Finish() = 0;
};

// Contract for every sink: delivering the same (bucket, key) again replaces the earlier object
// rather than adding a second one, so a batch redelivered after a crash is not duplicated.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual DeliveryResult Deliver(const Delivery& d) = 0;
  // Starts an object written piece by piece. `d.body` is ignored. The default collects the
  // pieces and calls Deliver at Finish.
  virtual std::unique_ptr<ObjectWriter> Begin(const Delivery& d);
};

}  // namespace sluice::sinks
