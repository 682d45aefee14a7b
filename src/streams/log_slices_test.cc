#include "streams/log_slices.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "streams/test_support.h"

namespace sluice::streams {
namespace {

constexpr uint64_t kAll = std::numeric_limits<uint64_t>::max();

// A log holding records of sizes that do not divide a slice: 37 of 300 KiB to 700 KiB (~18 MiB).
class LogSlicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    wal::Options options;
    options.dir = dir_.path() / "log";
    auto log = wal::Log::Open(std::move(options));
    ASSERT_TRUE(log) << log.error().message;
    log_ = std::move(*log);
    for (int i = 0; i < 37; ++i) {
      records_.push_back(std::string((300 + (i * 97) % 400) * 1024, static_cast<char>('a' + i % 26)));
      const std::string_view record = records_.back();
      ASSERT_TRUE(log_->AppendAndWait(std::span(&record, 1), 1000 + i));
    }
  }

  // What one whole Read returns.
  wal::RecordBatch Whole(uint64_t from, uint64_t through, uint64_t max_bytes) {
    wal::RecordBatch batch;
    EXPECT_TRUE(log_->Read(from, through, max_bytes, batch));
    return batch;
  }

  testing::TempDir dir_;
  std::unique_ptr<wal::Log> log_;
  std::vector<std::string> records_;
};

TEST_F(LogSlicesTest, SlicesCoverExactlyWhatOneWholeReadReturns) {
  wal::RecordBatch slice;
  // Budgets: one record's worth, across slice boundaries, a batch's size, everything.
  for (const uint64_t max_bytes : {uint64_t{1}, uint64_t{700 << 10}, uint64_t{(8 << 20) + 1}, uint64_t{12 << 20},
                                   uint64_t{128 << 20}}) {
    for (const uint64_t from : {uint64_t{1}, uint64_t{5}}) {
      const wal::RecordBatch whole = Whole(from, kAll, max_bytes);
      std::string joined;
      std::vector<uint64_t> seqs;
      size_t slices = 0;
      ASSERT_TRUE(ReadLogSlices(*log_, from, kAll, max_bytes, slice, [&](const wal::RecordBatch& s) -> Status {
        EXPECT_TRUE(s.arena.size() <= kLogSliceBytes || s.entries.size() == 1);
        joined += s.arena;
        for (const auto& entry : s.entries) seqs.push_back(entry.seq);
        ++slices;
        return {};
      }));
      EXPECT_TRUE(joined == whole.arena) << max_bytes << " from " << from;
      ASSERT_EQ(seqs.size(), whole.entries.size()) << max_bytes << " from " << from;
      EXPECT_EQ(seqs.back(), whole.entries.back().seq) << max_bytes << " from " << from;
      if (max_bytes == (128 << 20)) {
        EXPECT_GE(slices, 3u);
      }

      const auto extent = MeasureLog(*log_, from, kAll, max_bytes);
      ASSERT_TRUE(extent);
      EXPECT_EQ(extent->first_seq, whole.entries.front().seq);
      EXPECT_EQ(extent->last_seq, whole.entries.back().seq);
      EXPECT_EQ(extent->records, whole.entries.size());
      EXPECT_EQ(extent->bytes, whole.arena.size());
      EXPECT_EQ(extent->first_arrival_ms, whole.entries.front().arrival_ms);
      EXPECT_EQ(extent->last_arrival_ms, whole.entries.back().arrival_ms);
    }
  }
}

TEST_F(LogSlicesTest, ARangeEndsAtItsLastSeqAndAnErrorOfTheCallerEndsTheReading) {
  wal::RecordBatch slice;
  const auto extent = MeasureLog(*log_, 3, 30, kAll);
  ASSERT_TRUE(extent);
  EXPECT_EQ(extent->first_seq, 3u);
  EXPECT_EQ(extent->last_seq, 30u);
  EXPECT_EQ(extent->records, 28u);
  size_t calls = 0;
  const auto stopped = ReadLogSlices(*log_, 1, kAll, kAll, slice, [&](const wal::RecordBatch&) -> Status {
    ++calls;
    return Fail(ErrorCode::kUnavailable, "store is down");
  });
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().message, "store is down");
  EXPECT_EQ(calls, 1u);
  // Nothing to read: no slice, an empty extent.
  const auto none = MeasureLog(*log_, 38, kAll, kAll);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->records, 0u);
}

}  // namespace
}  // namespace sluice::streams
