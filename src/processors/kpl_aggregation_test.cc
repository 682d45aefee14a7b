#include "processors/kpl_aggregation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "processors/processors_test_util.h"

namespace sluice::processors {
namespace {

using testing::AppendBytesField;
using testing::AppendVarintField;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::KplMessage;
using testing::KplRecord;

TEST(KplAggregationTest, UnpacksUserRecordsInOrder) {
  const std::string record = KplRecord(KplMessage(
      {"pk-a", "pk-b"}, {{0, "{\"n\":1}"}, {1, "{\"n\":2}"}, {0, std::string("\0\xFF", 2)}}));
  EXPECT_TRUE(HasKplMagic(record));
  auto records = DeaggregateKpl(record);
  ASSERT_TRUE(records) << records.error().message;
  EXPECT_THAT(*records, ElementsAre("{\"n\":1}", "{\"n\":2}", std::string("\0\xFF", 2)));
}

TEST(KplAggregationTest, AcceptsAnEmptyAggregate) {
  auto records = DeaggregateKpl(KplRecord(""));
  ASSERT_TRUE(records);
  EXPECT_TRUE(records->empty());
}

TEST(KplAggregationTest, SkipsUnknownFieldsAndExplicitHashKeys) {
  std::string message;
  AppendBytesField(message, 2,
                   "340282366920938463463374607431768211455");  // explicit_hash_key_table
  AppendBytesField(message, 1, "pk");
  AppendVarintField(message, 9, 12345);  // a field this reader does not know
  std::string sub;
  AppendVarintField(sub, 1, 0);
  AppendVarintField(sub, 2, 0);
  AppendBytesField(sub, 3, "payload");
  AppendBytesField(message, 3, sub);
  auto records = DeaggregateKpl(KplRecord(message));
  ASSERT_TRUE(records) << records.error().message;
  EXPECT_THAT(*records, ElementsAre("payload"));
}

TEST(KplAggregationTest, RejectsAWrongMd5Trailer) {
  std::string record = KplRecord(KplMessage({"pk"}, {{0, "data"}}));
  record.back() = static_cast<char>(record.back() ^ 1);
  auto records = DeaggregateKpl(record);
  ASSERT_FALSE(records);
  EXPECT_EQ(records.error().code, ErrorCode::kCorruption);
  EXPECT_THAT(records.error().message, HasSubstr("MD5 trailer does not match"));
}

TEST(KplAggregationTest, RejectsMissingMagicAndShortRecords) {
  EXPECT_THAT(DeaggregateKpl("plain").error().message, HasSubstr("magic bytes F3 89 9A C2"));
  EXPECT_THAT(DeaggregateKpl(std::string("\xF3\x89\x9A\xC2"
                                         "0123456789",
                                         14))
                  .error()
                  .message,
              HasSubstr("shorter than the 20-byte magic and MD5 trailer"));
}

TEST(KplAggregationTest, RejectsMalformedProtobufEvenWithAMatchingMd5) {
  std::string truncated;
  AppendBytesField(truncated, 3, "0123456789");
  truncated.resize(truncated.size() - 3);
  EXPECT_THAT(DeaggregateKpl(KplRecord(truncated)).error().message, HasSubstr("runs past the end"));

  std::string bad_varint("\x08\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01", 12);
  EXPECT_THAT(DeaggregateKpl(KplRecord(bad_varint)).error().message,
              HasSubstr("malformed protobuf field 1"));

  std::string group("\x0B", 1);  // field 1, wire type 3 (start group)
  EXPECT_THAT(DeaggregateKpl(KplRecord(group)).error().message,
              HasSubstr("malformed protobuf field 1"));

  std::string bad_sub;
  AppendBytesField(bad_sub, 1, "pk");
  AppendBytesField(bad_sub, 3,
                   std::string("\x1A\x05"
                               "ab",
                               4));  // data claims 5 bytes, has 2
  EXPECT_THAT(DeaggregateKpl(KplRecord(bad_sub)).error().message,
              HasSubstr("records[0] is malformed protobuf"));
}

TEST(KplAggregationTest, RejectsSubRecordsBreakingTheSchema) {
  std::string no_data;
  AppendBytesField(no_data, 1, "pk");
  std::string sub;
  AppendVarintField(sub, 1, 0);
  AppendBytesField(no_data, 3, sub);
  EXPECT_THAT(DeaggregateKpl(KplRecord(no_data)).error().message,
              HasSubstr("records[0] has no data field"));

  std::string no_index;
  AppendBytesField(no_index, 1, "pk");
  std::string sub2;
  AppendBytesField(sub2, 3, "x");
  AppendBytesField(no_index, 3, sub2);
  EXPECT_THAT(DeaggregateKpl(KplRecord(no_index)).error().message,
              HasSubstr("no partition_key_index"));

  EXPECT_THAT(DeaggregateKpl(KplRecord(KplMessage({"pk"}, {{0, "a"}, {1, "b"}}))).error().message,
              HasSubstr("records[1] partition_key_index 1 is outside the table of 1 keys"));
}

}  // namespace
}  // namespace sluice::processors
