#include "wal/record_batch.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice::wal {
namespace {

TEST(RecordBatchTest, ReleaseGivesALargeArenaBackAndKeepsASmallOne) {
  RecordBatch batch;
  const std::string record(1000, 'x');
  for (int i = 0; i < 1000; ++i) batch.Add(i, i, record);
  ASSERT_GE(batch.arena.capacity(), 1'000'000u);

  batch.Release(2'000'000);  // within the limit: cleared, memory kept for the next batch
  EXPECT_TRUE(batch.arena.empty());
  EXPECT_TRUE(batch.entries.empty());
  EXPECT_GE(batch.arena.capacity(), 1'000'000u);

  for (int i = 0; i < 1000; ++i) batch.Add(i, i, record);
  batch.Release(500'000);
  EXPECT_TRUE(batch.arena.empty());
  EXPECT_LT(batch.arena.capacity(), 1000u);
  EXPECT_EQ(batch.entries.capacity(), 0u);

  batch.Add(7, 8, "again");  // still usable
  ASSERT_EQ(batch.entries.size(), 1u);
  EXPECT_EQ(batch.entries[0].data, "again");
}

}  // namespace
}  // namespace sluice::wal
