#pragma once
// Builders of CreateDeliveryStream bodies shared by the config tests.

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "config/stream_config.h"

namespace sluice::config {

inline Result<StreamConfig> Create(std::string_view json, std::string_view path = {}) {
  simdjson::dom::parser parser;
  simdjson::dom::element body;
  EXPECT_EQ(parser.parse(simdjson::padded_string(json)).get(body), simdjson::SUCCESS) << json;
  return ParseCreateDeliveryStream(body, path);
}

inline constexpr std::string_view kRole = R"("RoleARN":"arn:aws:iam::123456789012:role/fh")";
inline constexpr std::string_view kBucket = R"("BucketARN":"arn:aws:s3:::bkt")";

// A create body with an extended destination holding RoleARN, BucketARN and `members`, plus
// top-level `extra` members.
inline std::string Body(std::string_view members = "", std::string_view extra = "") {
  std::string out = R"({"DeliveryStreamName":"s1","ExtendedS3DestinationConfiguration":{)";
  out += std::string(kRole) + "," + std::string(kBucket);
  if (!members.empty()) out += "," + std::string(members);
  out += "}";
  if (!extra.empty()) out += "," + std::string(extra);
  return out + "}";
}

}  // namespace sluice::config
