#include "sinks/sink.h"

namespace sluice::sinks {
namespace {

// Collects the pieces, then delivers them as one body.
class CollectingWriter final : public ObjectWriter {
 public:
  CollectingWriter(Sink& sink, const Delivery& d)
      : sink_(sink), bucket_(d.bucket), key_(d.key), kms_key_id_(d.kms_key_id) {}

  DeliveryResult Write(std::string_view bytes) override {
    body_ += bytes;
    return {Outcome::kOk, ""};
  }

  DeliveryResult Finish() override { return sink_.Deliver({bucket_, key_, body_, kms_key_id_}); }

 private:
  Sink& sink_;
  std::string bucket_;
  std::string key_;
  std::string kms_key_id_;
  std::string body_;
};

}  // namespace

std::unique_ptr<ObjectWriter> Sink::Begin(const Delivery& d) { return std::make_unique<CollectingWriter>(*this, d); }

}  // namespace sluice::sinks
