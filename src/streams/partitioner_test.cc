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

std::string IdOf(config::PartitionKeyMap query, config::PartitionKeyMap lambda) {
  return PartitionId({std::move(query), std::move(lambda)});
}

TEST(PartitionerTest, GroupsRecordsByTheKeysTheirSlotsUseInFirstSeenOrder) {
  const std::vector<processors::ProcessedRecord> records = {
      WithKeys({{"c", "2"}}, {{"d", "x"}}), WithKeys({{"c", "1"}, {"unused", "u1"}}, {{"d", "x"}}),
      WithKeys({{"c", "2"}}, {{"d", "x"}}), WithKeys({{"c", "2"}}, {{"d", "y"}}),
      WithKeys({{"c", "1"}, {"unused", "u2"}}, {{"d", "x"}})};
  const PartitionPlan plan = PlanPartitions(kKey, Pointers(records), 10, {});
  ASSERT_EQ(plan.partitions.size(), 3u);
  EXPECT_EQ(plan.partitions[0].id, IdOf({{"c", "2"}}, {{"d", "x"}}));
  EXPECT_EQ(plan.partitions[0].records, (std::vector<uint32_t>{0, 2}));
  EXPECT_EQ(plan.partitions[1].id, IdOf({{"c", "1"}}, {{"d", "x"}}));  // keys no slot uses do not split
  EXPECT_EQ(plan.partitions[1].records, (std::vector<uint32_t>{1, 4}));
  EXPECT_EQ(plan.partitions[2].id, IdOf({{"c", "2"}}, {{"d", "y"}}));
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
  const PartitionPlan plan = PlanPartitions(kKey, Pointers(records), 2, {});
  ASSERT_EQ(plan.partitions.size(), 2u);
  EXPECT_EQ(plan.partitions[0].records, (std::vector<uint32_t>{0, 5}));
  EXPECT_EQ(plan.partitions[1].records, (std::vector<uint32_t>{3}));
  ASSERT_EQ(plan.failed.size(), 3u);
  EXPECT_EQ(plan.failed[0].record, 1u);
  EXPECT_EQ(plan.failed[0].error_code, "DynamicPartitioning.MissingPartitionKey");
  EXPECT_THAT(plan.failed[0].error_message, HasSubstr("\"d\""));
  EXPECT_EQ(plan.failed[1].error_code, "DynamicPartitioning.KeyTooLong");
  EXPECT_EQ(plan.failed[2].record, 4u);
  EXPECT_EQ(plan.failed[2].error_code, "DynamicPartitioning.ActivePartitionsLimitExceeded");
}

TEST(PartitionerTest, PartitionsBufferedAlreadyCountTowardsTheLimit) {
  const std::string buffered = IdOf({{"c", "old"}}, {{"d", "x"}});
  const ActivePartitions active{1, [&](std::string_view id) { return id == buffered; }};
  const std::vector<processors::ProcessedRecord> records = {
      WithKeys({{"c", "new"}}, {{"d", "x"}}),    // the second active partition
      WithKeys({{"c", "newer"}}, {{"d", "x"}}),  // a third: refused
      WithKeys({{"c", "old"}}, {{"d", "x"}})};   // buffered already: accepted
  const PartitionPlan plan = PlanPartitions(kKey, Pointers(records), 2, active);
  ASSERT_EQ(plan.partitions.size(), 2u);
  EXPECT_EQ(plan.partitions[1].id, buffered);
  ASSERT_EQ(plan.failed.size(), 1u);
  EXPECT_EQ(plan.failed[0].record, 1u);
  EXPECT_THAT(plan.failed[0].error_message, HasSubstr("already has 2 active partitions"));
}

TEST(PartitionerTest, AnIdParsesBackIntoItsKeys) {
  const config::UsedPartitionKeys keys{{{"a", ""}, {"b", std::string(300, 'v')}}, {{"l", "!{x}"}}};
  config::UsedPartitionKeys parsed;
  ASSERT_TRUE(ParsePartitionId(PartitionId(keys), parsed));
  EXPECT_EQ(parsed.query, keys.query);
  EXPECT_EQ(parsed.lambda, keys.lambda);
  config::UsedPartitionKeys none;
  ASSERT_TRUE(ParsePartitionId(PartitionId({}), none));
  EXPECT_TRUE(none.query.empty() && none.lambda.empty());
  const std::string id = PartitionId(keys);
  for (size_t cut = 0; cut < id.size(); ++cut) {
    config::UsedPartitionKeys cut_keys;
    const bool parsed_cut = ParsePartitionId(id.substr(0, cut), cut_keys);
    EXPECT_FALSE(parsed_cut && cut_keys.query == keys.query && cut_keys.lambda == keys.lambda) << cut;
  }
}

}  // namespace
}  // namespace sluice::streams
