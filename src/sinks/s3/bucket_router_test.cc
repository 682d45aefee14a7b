#include "sinks/s3/bucket_router.h"

#include <gtest/gtest.h>

namespace sluice::sinks::s3 {
namespace {

class NamedSink final : public Sink {
 public:
  explicit NamedSink(std::string name) : name_(std::move(name)) {}
  DeliveryResult Deliver(const Delivery& d) override {
    return {Outcome::kOk, name_ + ":" + d.bucket + "/" + d.key};
  }

 private:
  std::string name_;
};

TEST(BucketRouterTest, MappedBucketsGoToTheirSinkOthersToFallback) {
  BucketRouter::Routes routes;
  routes.emplace("analytics", std::make_unique<NamedSink>("s3"));
  BucketRouter router(std::move(routes), std::make_unique<NamedSink>("local"));
  EXPECT_EQ(router.Deliver({"analytics", "k", "b"}).message, "s3:analytics/k");
  EXPECT_EQ(router.Deliver({"other", "k", "b"}).message, "local:other/k");
  EXPECT_EQ(router.Deliver({"analytics2", "k", "b"}).message, "local:analytics2/k");
}

}  // namespace
}  // namespace sluice::sinks::s3
