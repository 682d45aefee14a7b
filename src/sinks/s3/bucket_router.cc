#include "sinks/s3/bucket_router.h"

namespace sluice::sinks::s3 {

BucketRouter::BucketRouter(Routes routes, std::unique_ptr<Sink> fallback)
    : routes_(std::move(routes)), fallback_(std::move(fallback)) {}

DeliveryResult BucketRouter::Deliver(const Delivery& d) {
  const auto route = routes_.find(d.bucket);
  return route == routes_.end() ? fallback_->Deliver(d) : route->second->Deliver(d);
}

}  // namespace sluice::sinks::s3
