#include "streams/partitioner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::streams {
namespace {

using ::testing::HasSubstr;

processors::ProcessedRecord WithKeys(processors::PartitionKeys query, processors::PartitionKeys lambda = {}) {
  processors::ProcessedRecord record;
  record.query_keys = std::move(query);
  record.partition_keys = std::move(lambda);
  return record;
}

std::vector<const processors::ProcessedRecord*> Pointers(const std::vector<processors::ProcessedRecord>& records) {
  std::vector<const processors::ProcessedRecord*> out;
  for (const auto& record : records) out.push_back(&record);
  return out;
}

constexpr std::string_view kKey = "c=!{partitionKeyFromQuery:c}/d=!{partitionKeyFromLambda:d}/s1-1-x";

TEST(PartitionerTest, GroupsRecordsByFilledKeyInFirstSeenOrder) {
  const std::vector<processors::ProcessedRecord> records = {
      WithKeys({{"c", "2"}}, {{"d", "x"}}), WithKeys({{"c", "1"}}, {{"d", "x"}}),
      WithKeys({{"c", "2"}}, {{"d", "x"}}), WithKeys({{"c", "2"}}, {{"d", "y"}})};
  const PartitionPlan plan = PlanPartitions(kKey, Pointers(records), 10);
  ASSERT_EQ(plan.objects.size(), 3u);
  EXPECT_EQ(plan.objects[0].key, "c=2/d=x/s1-1-x");
  EXPECT_EQ(plan.objects[0].records, (std::vector<uint32_t>{0, 2}));
  EXPECT_EQ(plan.objects[1].key, "c=1/d=x/s1-1-x");
  EXPECT_EQ(plan.objects[2].key, "c=2/d=y/s1-1-x");
  EXPECT_TRUE(plan.failed.empty());
}

TEST(PartitionerTest, MissingKeysLongKeysAndPartitionsPastTheLimitFail) {
  const std::vector<processors::ProcessedRecord> records = {
      WithKeys({{"c", "1"}}, {{"d", "x"}}),   // partition 1
      WithKeys({{"c", "1"}}),                 // no Lambda key d
      WithKeys({{"c", std::string(2000, 'z')}}, {{"d", "x"}}),
      WithKeys({{"c", "2"}}, {{"d", "x"}}),   // partition 2
      WithKeys({{"c", "3"}}, {{"d", "x"}}),   // past the limit of 2
      WithKeys({{"c", "1"}}, {{"d", "x"}})};  // an existing partition still takes records
  const PartitionPlan plan = PlanPartitions(kKey, Pointers(records), 2);
  ASSERT_EQ(plan.objects.size(), 2u);
  EXPECT_EQ(plan.objects[0].records, (std::vector<uint32_t>{0, 5}));
  EXPECT_EQ(plan.objects[1].records, (std::vector<uint32_t>{3}));
  ASSERT_EQ(plan.failed.size(), 3u);
  EXPECT_EQ(plan.failed[0].record, 1u);
  EXPECT_EQ(plan.failed[0].error_code, "DynamicPartitioning.MissingPartitionKey");
  EXPECT_THAT(plan.failed[0].error_message, HasSubstr("\"d\""));
  EXPECT_EQ(plan.failed[1].error_code, "DynamicPartitioning.KeyTooLong");
  EXPECT_EQ(plan.failed[2].record, 4u);
  EXPECT_EQ(plan.failed[2].error_code, "DynamicPartitioning.ActivePartitionsLimitExceeded");
}

}  // namespace
}  // namespace sluice::streams
