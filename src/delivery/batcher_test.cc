#include "delivery/batcher.h"

#include <gtest/gtest.h>

namespace sluice::delivery {
namespace {

constexpr uint64_t kMiB = 1024 * 1024;
constexpr int64_t kStart = 1'700'000'000'000;

class BatcherTest : public ::testing::Test {
 protected:
  ManualClock clock_{kStart};
  Batcher batcher_{BufferPolicy{5 * kMiB, 300'000}, clock_};
};

TEST_F(BatcherTest, EmptyBufferIsNeverDue) {
  EXPECT_FALSE(batcher_.Due());
  EXPECT_EQ(batcher_.NextDeadlineMs(), std::nullopt);
  clock_.Advance(10'000'000);
  EXPECT_FALSE(batcher_.Due());
  batcher_.SetPolicy({5 * kMiB, 0});
  EXPECT_FALSE(batcher_.Due()) << "interval 0 needs something buffered";
}

TEST_F(BatcherTest, DueWhenIntervalElapsedSinceOldestArrival) {
  batcher_.OnAppended(3, 300, kStart);
  clock_.Advance(100'000);
  batcher_.OnAppended(2, 200, clock_.NowMs());
  EXPECT_EQ(batcher_.buffered_records(), 5u);
  EXPECT_EQ(batcher_.buffered_bytes(), 500u);
  EXPECT_EQ(batcher_.NextDeadlineMs(), kStart + 300'000) << "later appends do not push it back";
  clock_.Set(kStart + 299'999);
  EXPECT_FALSE(batcher_.Due());
  clock_.Set(kStart + 300'000);
  EXPECT_TRUE(batcher_.Due());
}

TEST_F(BatcherTest, DueWhenSizeReachedExactly) {
  batcher_.OnAppended(1, 5 * kMiB - 1, kStart);
  EXPECT_FALSE(batcher_.Due());
  batcher_.OnAppended(1, 1, kStart);
  EXPECT_TRUE(batcher_.Due());
  EXPECT_EQ(batcher_.NextDeadlineMs(), kStart + 300'000) << "deadline is about time only";
}

TEST_F(BatcherTest, SingleRecordLargerThanSizeIsDueAndTravelsAlone) {
  batcher_.SetPolicy({1 * kMiB, 60'000});
  batcher_.OnAppended(1, 3 * kMiB, kStart);
  EXPECT_TRUE(batcher_.Due());
  EXPECT_TRUE(batcher_.FitsInBatch(0, 3 * kMiB)) << "the first record always joins";
  EXPECT_FALSE(batcher_.FitsInBatch(3 * kMiB, 1)) << "and nothing joins after it";
}

TEST_F(BatcherTest, FitsInBatchKeepsBatchesWithinSize) {
  batcher_.SetPolicy({1000, 60'000});
  EXPECT_TRUE(batcher_.FitsInBatch(0, 1));
  EXPECT_TRUE(batcher_.FitsInBatch(600, 400));
  EXPECT_FALSE(batcher_.FitsInBatch(600, 401));
}

TEST_F(BatcherTest, PartialSealMovesOldestArrivalToNextRecord) {
  batcher_.OnAppended(1, 100, kStart);
  batcher_.OnAppended(1, 100, kStart + 200'000);
  clock_.Set(kStart + 300'000);
  ASSERT_TRUE(batcher_.Due());
  batcher_.OnSealed(1, 100, kStart + 200'000);
  EXPECT_EQ(batcher_.buffered_records(), 1u);
  EXPECT_EQ(batcher_.buffered_bytes(), 100u);
  EXPECT_EQ(batcher_.NextDeadlineMs(), kStart + 500'000);
  EXPECT_FALSE(batcher_.Due());
  clock_.Set(kStart + 500'000);
  EXPECT_TRUE(batcher_.Due()) << "measured from arrival, not from the seal";
}

TEST_F(BatcherTest, PartialSealWithoutNextArrivalKeepsEarlierDeadline) {
  batcher_.OnAppended(2, 200, kStart);
  batcher_.OnSealed(1, 100, 0);
  EXPECT_EQ(batcher_.buffered_records(), 1u);
  EXPECT_EQ(batcher_.NextDeadlineMs(), kStart + 300'000);
}

TEST_F(BatcherTest, SizeDueStaysTrueWhileBacklogExceedsSize) {
  batcher_.SetPolicy({1000, 60'000});
  batcher_.OnAppended(30, 3000, kStart);
  batcher_.OnSealed(10, 1000, kStart);
  EXPECT_TRUE(batcher_.Due());
  batcher_.OnSealed(10, 1000, kStart);
  EXPECT_TRUE(batcher_.Due());
  batcher_.OnSealed(9, 999, kStart);
  EXPECT_FALSE(batcher_.Due());
  EXPECT_EQ(batcher_.buffered_records(), 1u);
  EXPECT_EQ(batcher_.buffered_bytes(), 1u);
}

TEST_F(BatcherTest, FullSealEmptiesBuffer) {
  batcher_.OnAppended(4, 400, kStart);
  batcher_.OnSealed(4, 400, 0);
  EXPECT_EQ(batcher_.buffered_records(), 0u);
  EXPECT_EQ(batcher_.buffered_bytes(), 0u);
  EXPECT_EQ(batcher_.NextDeadlineMs(), std::nullopt);
  EXPECT_FALSE(batcher_.Due());

  clock_.Advance(1'000'000);
  batcher_.OnAppended(1, 10, clock_.NowMs());
  EXPECT_EQ(batcher_.NextDeadlineMs(), clock_.NowMs() + 300'000) << "a fresh oldest arrival";
}

TEST_F(BatcherTest, OversealingEmptiesInsteadOfUnderflowing) {
  batcher_.OnAppended(2, 200, kStart);
  batcher_.OnSealed(5, 500, kStart + 1);
  EXPECT_EQ(batcher_.buffered_records(), 0u);
  EXPECT_EQ(batcher_.buffered_bytes(), 0u);
  EXPECT_EQ(batcher_.NextDeadlineMs(), std::nullopt);
}

TEST_F(BatcherTest, ZeroIntervalMakesAnythingBufferedDue) {
  batcher_.SetPolicy({5 * kMiB, 0});
  batcher_.OnAppended(1, 1, kStart);
  EXPECT_TRUE(batcher_.Due());
  EXPECT_EQ(batcher_.NextDeadlineMs(), kStart);
}

TEST_F(BatcherTest, EarlierArrivalMovesOldestBack) {
  batcher_.OnAppended(1, 1, kStart + 50);
  batcher_.OnAppended(1, 1, kStart);
  EXPECT_EQ(batcher_.NextDeadlineMs(), kStart + 300'000);
}

TEST_F(BatcherTest, AppendOfNoRecordsIsIgnored) {
  batcher_.OnAppended(0, 0, kStart);
  EXPECT_EQ(batcher_.NextDeadlineMs(), std::nullopt);
}

TEST_F(BatcherTest, PolicyChangeAppliesToBufferedRecords) {
  batcher_.OnAppended(1, 1000, kStart);
  clock_.Set(kStart + 60'000);
  EXPECT_FALSE(batcher_.Due());
  batcher_.SetPolicy({5 * kMiB, 60'000});
  EXPECT_TRUE(batcher_.Due());
  EXPECT_EQ(batcher_.policy().interval_ms, 60'000);
  batcher_.SetPolicy({1000, 900'000});
  EXPECT_TRUE(batcher_.Due()) << "size now reached";
  batcher_.SetPolicy({1001, 900'000});
  EXPECT_FALSE(batcher_.Due());
  EXPECT_EQ(batcher_.NextDeadlineMs(), kStart + 900'000);
}

}  // namespace
}  // namespace sluice::delivery
