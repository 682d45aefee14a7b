#include "sinks/s3/bucket_router.h"

namespace sluice::sinks::s3 {

BucketRouter::BucketRouter(Routes routes, std::unique_ptr<Sink> fallback)
    : routes_(std::move(routes)), fallback_(std::move(fallback)) {}

Sink& BucketRouter::RouteOf(std::string_view bucket) {
  const auto route = routes_.find(bucket);
  return route == routes_.end() ? *fallback_ : *route->second;
}

DeliveryResult BucketRouter::Deliver(const Delivery& d) { return RouteOf(d.bucket).Deliver(d); }

std::unique_ptr<ObjectWriter> BucketRouter::Begin(const Delivery& d) { return RouteOf(d.bucket).Begin(d); }

}  // namespace sluice::sinks::s3
