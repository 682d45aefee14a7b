#pragma once
// Sends each object to the sink its bucket is mapped to, or to a fallback sink.

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "sinks/sink.h"

namespace sluice::sinks::s3 {

// Typical use: buckets mapped in the server config go to their S3BucketStore, all others to
// the embedded LocalBucketStore. Thread-safe if the routed sinks are; the map is fixed.
class BucketRouter final : public Sink {
 public:
  using Routes = std::map<std::string, std::unique_ptr<Sink>, std::less<>>;
  BucketRouter(Routes routes, std::unique_ptr<Sink> fallback);

  DeliveryResult Deliver(const Delivery& d) override;
  std::unique_ptr<ObjectWriter> Begin(const Delivery& d) override;

 private:
  Sink& RouteOf(std::string_view bucket);

  Routes routes_;
  std::unique_ptr<Sink> fallback_;
};

}  // namespace sluice::sinks::s3
