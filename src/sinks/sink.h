#pragma once
// The last stage of delivery: hand one finished object (already encoded and compressed) to a
// destination and say whether it arrived.

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

// Contract for every sink: delivering the same (bucket, key) again replaces the earlier object
// rather than adding a second one, so a batch redelivered after a crash is not duplicated.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual DeliveryResult Deliver(const Delivery& d) = 0;
};

}  // namespace sluice::sinks
