#include "delivery/object_key.h"

#include <gtest/gtest.h>

namespace sluice::delivery {
namespace {

constexpr std::string_view kUuid = "a9fa96af-e4e4-409f-bac3-1f804714faaa";

ObjectName Name(int64_t time_ms, std::string_view extension = "") {
  return ObjectName{"my-delivery-stream", 1, time_ms, kUuid, extension};
}

TEST(ObjectNameSuffix, MatchesFirehoseLayout) {
  // 2019-08-09T23:55:09.750Z: milliseconds are dropped, not rounded.
  EXPECT_EQ(ObjectNameSuffix(Name(1565394909750)),
            "my-delivery-stream-1-2019-08-09-23-55-09-a9fa96af-e4e4-409f-bac3-1f804714faaa");
  EXPECT_EQ(ObjectNameSuffix(Name(1565394909750, ".gz")),
            "my-delivery-stream-1-2019-08-09-23-55-09-a9fa96af-e4e4-409f-bac3-1f804714faaa.gz");
}

TEST(ObjectNameSuffix, PadsFieldsAndHandlesCalendarEdges) {
  EXPECT_EQ(ObjectNameSuffix({"s", 42, 0, "u", ""}), "s-42-1970-01-01-00-00-00-u");
  // 2024-02-29T01:02:03Z (leap day).
  EXPECT_EQ(ObjectNameSuffix({"s", 7, 1709168523000, "u", ".snappy"}),
            "s-7-2024-02-29-01-02-03-u.snappy");
  // 2023-12-31T23:59:59.999Z.
  EXPECT_EQ(ObjectNameSuffix({"s", 1, 1704067199999, "u", ""}), "s-1-2023-12-31-23-59-59-u");
  // Before the epoch: 1969-12-31T23:59:59.500Z floors to :59, not :00.
  EXPECT_EQ(ObjectNameSuffix({"s", 1, -500, "u", ""}), "s-1-1969-12-31-23-59-59-u");
}

TEST(MakeObjectKey, JoinsPrefixAndSuffixWithoutSeparator) {
  auto key = MakeObjectKey("logs/2019/08/09/23/", Name(1565394909750, ".gz"));
  ASSERT_TRUE(key.has_value()) << key.error().message;
  EXPECT_EQ(*key,
            "logs/2019/08/09/23/my-delivery-stream-1-2019-08-09-23-55-09-"
            "a9fa96af-e4e4-409f-bac3-1f804714faaa.gz");
  auto bare = MakeObjectKey("", Name(0));
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(*bare, ObjectNameSuffix(Name(0)));
}

TEST(MakeObjectKey, AcceptsPrefixOfExactly512Characters) {
  EXPECT_TRUE(MakeObjectKey(std::string(512, 'p'), Name(0)).has_value());
  // 512 two-byte characters: 1024 bytes but 512 characters.
  std::string wide;
  for (int i = 0; i < 512; ++i) wide += "\xC3\xA9";
  EXPECT_TRUE(MakeObjectKey(wide, Name(0)).has_value());
}

TEST(MakeObjectKey, RejectsPrefixLongerThan512Characters) {
  auto key = MakeObjectKey(std::string(513, 'p'), Name(0));
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(key.error().message,
            "evaluated S3 prefix is 513 characters long; Firehose allows at most 512 (prefix "
            "starts with '" +
                std::string(64, 'p') + "')");

  std::string wide;
  for (int i = 0; i < 513; ++i) wide += "\xE2\x82\xAC";  // U+20AC, three bytes
  auto wide_key = MakeObjectKey(wide, Name(0));
  ASSERT_FALSE(wide_key.has_value());
  EXPECT_TRUE(wide_key.error().message.starts_with("evaluated S3 prefix is 513 characters long"));
}

}  // namespace
}  // namespace sluice::delivery
