#include "wal/log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "wal/format.h"
#include "wal/test_util.h"

namespace sluice::wal {
namespace {

using testing::FaultyFileIo;
using testing::TempDir;

Options OptionsFor(const TempDir& dir) {
  Options options;
  options.dir = dir.path() / "wal";
  return options;
}

std::unique_ptr<Log> OpenOrDie(Options options) {
  auto log = Log::Open(std::move(options));
  EXPECT_TRUE(log) << log.error().message;
  return log ? std::move(*log) : nullptr;
}

uint64_t AppendOrDie(Log& log, std::vector<std::string_view> records, int64_t arrival_ms = 1) {
  auto seq = log.AppendAndWait(records, arrival_ms);
  EXPECT_TRUE(seq) << seq.error().message;
  return seq.value_or(0);
}

std::vector<std::string> ReadAll(Log& log, uint64_t from = 1) {
  RecordBatch batch;
  EXPECT_TRUE(log.Read(from, UINT64_MAX, UINT64_MAX, batch));
  std::vector<std::string> out;
  for (const auto& entry : batch.entries) out.emplace_back(entry.data);
  return out;
}

size_t SegmentFiles(const std::filesystem::path& dir) {
  size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    count += entry.path().extension() == ".seg";
  }
  return count;
}

TEST(LogTest, AppendAndReadRoundTripKeepsEveryByte) {
  TempDir dir;
  auto log = OpenOrDie(OptionsFor(dir));
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes.push_back(static_cast<char>(b));
  const std::vector<std::string_view> records = {"first", "", all_bytes, std::string_view("\0\0", 2)};
  EXPECT_EQ(AppendOrDie(*log, records, 1234), 1u);
  EXPECT_EQ(AppendOrDie(*log, {"next"}), 5u);
  EXPECT_EQ(log->LastDurableSeq(), 5u);

  RecordBatch batch;
  ASSERT_TRUE(log->Read(1, 5, UINT64_MAX, batch));
  ASSERT_EQ(batch.entries.size(), 5u);
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(batch.entries[i].seq, i + 1);
    EXPECT_EQ(batch.entries[i].arrival_ms, 1234);
    EXPECT_EQ(batch.entries[i].data, records[i]);
  }
  EXPECT_EQ(batch.entries[4].data, "next");

  const auto stats = log->GetStats();
  EXPECT_EQ(stats.appended_records, 5u);
  EXPECT_EQ(stats.appended_bytes, 5u + 256u + 2u + 4u);
  EXPECT_EQ(stats.segments, 1u);

  log.reset();
  log = OpenOrDie(OptionsFor(dir));
  EXPECT_EQ(log->recovery().next_seq, 6u);
  EXPECT_EQ(log->recovery().corrupt_tails, 0u);
  EXPECT_EQ(ReadAll(*log), (std::vector<std::string>{"first", "", all_bytes,
                                                     std::string("\0\0", 2), "next"}));
}

TEST(LogTest, RejectsEmptyAndOversizedAppendsUpFront) {
  TempDir dir;
  auto log = OpenOrDie(OptionsFor(dir));
  auto empty = log->AppendAndWait({}, 1);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  const std::string big(kMaxPayloadBytes + 1, 'x');
  const std::vector<std::string_view> records = {"ok", big};
  auto oversized = log->AppendAndWait(records, 1);
  ASSERT_FALSE(oversized);
  EXPECT_EQ(oversized.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(oversized.error().message, ::testing::HasSubstr("record 1 is 16777217 bytes"));
  EXPECT_EQ(log->LastDurableSeq(), 0u);
  EXPECT_EQ(AppendOrDie(*log, {"a"}), 1u);
}

TEST(LogTest, RejectsBadOptions) {
  Options options;
  EXPECT_EQ(Log::Open(options).error().code, ErrorCode::kInvalidArgument);
  TempDir dir;
  options = OptionsFor(dir);
  options.segment_bytes = 0;
  auto log = Log::Open(options);
  ASSERT_FALSE(log);
  EXPECT_THAT(log.error().message, ::testing::HasSubstr("segment_bytes"));
}

TEST(LogTest, ConcurrentAppendsShareGroupCommits) {
  TempDir dir;
  FaultyFileIo io;  // forwards everything; counts and can hold fdatasync calls
  Options options = OptionsFor(dir);
  options.io = &io;
  auto log = OpenOrDie(options);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  // Each thread's first append is queued while the writer is held inside its first sync, so
  // those appends are known to share at most two commits; the rest run freely.
  io.HoldDataSync();
  std::atomic<int> queued{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string record = std::to_string(t) + ":" + std::to_string(i);
        const std::string_view view = record;
        std::promise<Result<uint64_t>> done;
        log->Append(std::span(&view, 1), 1,
                    [&done](Result<uint64_t> seq) { done.set_value(std::move(seq)); });
        if (i == 0) ++queued;
        if (!done.get_future().get()) ++failures;
      }
    });
  }
  while (queued.load() < kThreads) std::this_thread::yield();
  io.ReleaseDataSync();
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const auto stats = log->GetStats();
  EXPECT_EQ(stats.appended_records, uint64_t{kThreads * kPerThread});
  EXPECT_LT(stats.group_commits, uint64_t{kThreads * kPerThread});
  EXPECT_EQ(static_cast<uint64_t>(io.data_syncs()), stats.group_commits);

  // Every record is there exactly once, and each thread's records are in its order.
  const auto all = ReadAll(*log);
  ASSERT_EQ(all.size(), size_t{kThreads * kPerThread});
  std::vector<int> next(kThreads, 0);
  for (const auto& record : all) {
    const int t = std::stoi(record.substr(0, record.find(':')));
    EXPECT_EQ(std::stoi(record.substr(record.find(':') + 1)), next[t]++);
  }
}

TEST(LogTest, AsyncAppendCallbacksGetConsecutiveSeqs) {
  TempDir dir;
  auto log = OpenOrDie(OptionsFor(dir));
  std::vector<uint64_t> firsts(10, 0);
  const std::vector<std::string_view> two = {"x", "y"};
  for (int i = 0; i < 10; ++i) {
    log->Append(two, 1, [&firsts, i](Result<uint64_t> seq) { firsts[i] = seq.value_or(0); });
  }
  log.reset();  // completes everything queued
  for (int i = 0; i < 10; ++i) EXPECT_EQ(firsts[i], uint64_t(2 * i + 1));
}

TEST(LogTest, SequentialReadsHonourMaxBytesAndContinue) {
  TempDir dir;
  auto log = OpenOrDie(OptionsFor(dir));
  for (int i = 0; i < 10; ++i) AppendOrDie(*log, {std::string(10, static_cast<char>('a' + i))});
  AppendOrDie(*log, {std::string(100, 'z')});

  RecordBatch batch;
  ASSERT_TRUE(log->Read(1, UINT64_MAX, 25, batch));
  ASSERT_EQ(batch.entries.size(), 2u);
  EXPECT_EQ(batch.entries[1].seq, 2u);
  ASSERT_TRUE(log->Read(3, UINT64_MAX, 30, batch));  // appends to the same batch
  ASSERT_EQ(batch.entries.size(), 5u);
  EXPECT_EQ(batch.entries[4].seq, 5u);
  EXPECT_EQ(batch.entries[0].data, std::string(10, 'a'));  // earlier views survive growth
  batch.Clear();
  ASSERT_TRUE(log->Read(6, 8, UINT64_MAX, batch));  // through_seq bounds
  ASSERT_EQ(batch.entries.size(), 3u);
  EXPECT_EQ(batch.entries.back().seq, 8u);
  batch.Clear();
  ASSERT_TRUE(log->Read(11, UINT64_MAX, 5, batch));  // always at least one
  ASSERT_EQ(batch.entries.size(), 1u);
  EXPECT_EQ(batch.entries[0].data.size(), 100u);
  batch.Clear();
  ASSERT_TRUE(log->Read(12, UINT64_MAX, UINT64_MAX, batch));  // nothing yet
  EXPECT_TRUE(batch.entries.empty());
  AppendOrDie(*log, {"later"});
  ASSERT_TRUE(log->Read(12, UINT64_MAX, UINT64_MAX, batch));
  ASSERT_EQ(batch.entries.size(), 1u);
  EXPECT_EQ(batch.entries[0].data, "later");
  batch.Clear();
  ASSERT_TRUE(log->Read(4, 4, UINT64_MAX, batch));  // a jump back still finds it
  ASSERT_EQ(batch.entries.size(), 1u);
  EXPECT_EQ(batch.entries[0].data, std::string(10, 'd'));
}

TEST(LogTest, RollsOverSegmentsAndReadsAcrossThem) {
  TempDir dir;
  Options options = OptionsFor(dir);
  options.segment_bytes = 200;
  auto log = OpenOrDie(options);
  std::vector<std::string> expected;
  for (int i = 0; i < 40; ++i) {
    expected.push_back("record-" + std::to_string(i));
    AppendOrDie(*log, {expected.back()});
  }
  EXPECT_GT(log->GetStats().segments, 3u);
  EXPECT_EQ(SegmentFiles(options.dir), log->GetStats().segments);
  EXPECT_TRUE(std::filesystem::exists(options.dir / "00000000000000000001.seg"));
  EXPECT_EQ(ReadAll(*log), expected);
  // A read in small steps walks across the segment boundaries.
  RecordBatch batch;
  uint64_t next = 1;
  while (next <= 40) {
    const size_t before = batch.entries.size();
    ASSERT_TRUE(log->Read(next, UINT64_MAX, 1, batch));
    ASSERT_EQ(batch.entries.size(), before + 1);
    next = batch.entries.back().seq + 1;
  }
  log.reset();
  log = OpenOrDie(options);
  EXPECT_EQ(ReadAll(*log), expected);
  EXPECT_EQ(log->recovery().next_seq, 41u);
}

TEST(LogTest, SealsAreReportedUntilDelivered) {
  TempDir dir;
  auto log = OpenOrDie(OptionsFor(dir));
  AppendOrDie(*log, {"a", "b", "c"}, 100);
  ASSERT_TRUE(log->Seal(1, 2, "batch-one"));
  AppendOrDie(*log, {"d"}, 200);
  ASSERT_TRUE(log->Seal(3, 4, std::string("batch\0two", 9)));
  AppendOrDie(*log, {"e", "ff"}, 300);
  EXPECT_EQ(log->LastDurableSeq(), 6u);  // seals take no seq

  log.reset();
  log = OpenOrDie(OptionsFor(dir));
  const auto& report = log->recovery();
  ASSERT_EQ(report.pending_seals.size(), 2u);
  EXPECT_EQ(report.pending_seals[0].first_seq, 1u);
  EXPECT_EQ(report.pending_seals[0].last_seq, 2u);
  EXPECT_EQ(report.pending_seals[0].descriptor, "batch-one");
  EXPECT_EQ(report.pending_seals[1].descriptor, std::string("batch\0two", 9));
  EXPECT_EQ(report.unsealed_records, 2u);
  EXPECT_EQ(report.unsealed_bytes, 3u);
  EXPECT_EQ(report.oldest_unsealed_arrival_ms, 300);
  EXPECT_EQ(report.next_seq, 7u);

  ASSERT_TRUE(log->MarkDelivered(2));
  log.reset();
  log = OpenOrDie(OptionsFor(dir));
  ASSERT_EQ(log->recovery().pending_seals.size(), 1u);
  EXPECT_EQ(log->recovery().pending_seals[0].first_seq, 3u);
  EXPECT_EQ(log->recovery().delivered_through, 2u);
}

TEST(LogTest, SealRejectsBadRanges) {
  TempDir dir;
  auto log = OpenOrDie(OptionsFor(dir));
  AppendOrDie(*log, {"a", "b"});
  EXPECT_EQ(log->Seal(0, 1, "").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(log->Seal(2, 1, "").error().code, ErrorCode::kInvalidArgument);
  auto future = log->Seal(1, 3, "");
  ASSERT_FALSE(future);
  EXPECT_THAT(future.error().message, ::testing::HasSubstr("highest appended seq is 2"));
  ASSERT_TRUE(log->MarkDelivered(1));
  EXPECT_EQ(log->Seal(1, 2, "").error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(log->Seal(2, 2, ""));
  const std::string big(kMaxSealDescriptorBytes + 1, 'd');
  EXPECT_EQ(log->Seal(2, 2, big).error().code, ErrorCode::kInvalidArgument);
}

TEST(LogTest, MarkDeliveredReclaimsSegmentsAndSurvivesReopen) {
  TempDir dir;
  Options options = OptionsFor(dir);
  options.segment_bytes = 100;
  auto log = OpenOrDie(options);
  for (int i = 1; i <= 20; ++i) AppendOrDie(*log, {"record-" + std::to_string(i)});
  const uint64_t segments_before = log->GetStats().segments;
  const uint64_t bytes_before = log->GetStats().disk_bytes;
  ASSERT_TRUE(log->MarkDelivered(12));
  EXPECT_LT(log->GetStats().segments, segments_before);
  EXPECT_LT(log->GetStats().disk_bytes, bytes_before);
  EXPECT_EQ(SegmentFiles(options.dir), log->GetStats().segments);
  // Records above the cursor are all still readable.
  const auto rest = ReadAll(*log, 13);
  ASSERT_EQ(rest.size(), 8u);
  EXPECT_EQ(rest.front(), "record-13");

  EXPECT_EQ(log->MarkDelivered(11).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(log->MarkDelivered(21).error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(log->MarkDelivered(12));  // idempotent

  log.reset();
  log = OpenOrDie(options);
  EXPECT_EQ(log->recovery().delivered_through, 12u);
  EXPECT_EQ(log->recovery().next_seq, 21u);
  EXPECT_EQ(log->recovery().unsealed_records, 8u);
  EXPECT_EQ(ReadAll(*log, 13).size(), 8u);
  EXPECT_EQ(AppendOrDie(*log, {"x"}), 21u);
}

TEST(LogTest, DeliveringEverythingRollsAndFreesTheActiveSegment) {
  TempDir dir;
  Options options = OptionsFor(dir);
  auto log = OpenOrDie(options);
  AppendOrDie(*log, {"a", "b"});
  ASSERT_TRUE(log->Seal(1, 2, "d"));
  ASSERT_TRUE(log->MarkDelivered(2));
  EXPECT_EQ(log->GetStats().disk_bytes, 0u);
  EXPECT_EQ(log->GetStats().segments, 1u);
  EXPECT_TRUE(std::filesystem::exists(options.dir / "00000000000000000003.seg"));
  EXPECT_EQ(AppendOrDie(*log, {"c"}), 3u);
  log.reset();
  log = OpenOrDie(options);
  EXPECT_EQ(log->recovery().next_seq, 4u);
  EXPECT_TRUE(log->recovery().pending_seals.empty());
  EXPECT_EQ(ReadAll(*log), std::vector<std::string>{"c"});
}

size_t SpareFiles(const std::filesystem::path& dir) {
  size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    count += entry.path().filename().string().starts_with(kSparePrefix);
  }
  return count;
}

// Appends records of 60 bytes ("r<seq>" padded) until `count` were written, delivering all but
// the newest few as it goes, so segments of 100 bytes roll and are delivered all the time.
void AppendAndDeliver(Log& log, int count) {
  for (int i = 0; i < count; ++i) {
    std::string record = "r" + std::to_string(log.LastDurableSeq() + 1);
    record.resize(60, '.');
    const uint64_t seq = AppendOrDie(log, {record});
    if (seq > 3) {
      ASSERT_TRUE(log.MarkDelivered(seq - 3));
    }
  }
}

// A log of 100-byte segments that has rolled and delivered for a while: it holds spares.
class RecyclingLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.segment_bytes = 100;
    log_ = OpenOrDie(options_);
    AppendAndDeliver(*log_, 50);
  }

  TempDir dir_;
  Options options_ = OptionsFor(dir_);
  std::unique_ptr<Log> log_;
};

TEST_F(RecyclingLogTest, DeliveredSegmentsAreWrittenOverByLaterOnes) {
  Options& options = options_;
  auto& log = log_;
  EXPECT_GE(SpareFiles(options.dir), 1u);
  EXPECT_LE(SpareFiles(options.dir), kMaxSpareSegments);
  EXPECT_LE(SegmentFiles(options.dir), 3u);
  // The active segment is full: the next append rolls onto a spare, whose file is longer than
  // the one record, the spare's earlier frames still past it.
  const size_t spares = SpareFiles(options.dir);
  const uint64_t seq = AppendOrDie(*log, {"after"});
  EXPECT_EQ(SpareFiles(options.dir), spares - 1);
  const auto active = options.dir / SegmentFileName(seq);
  ASSERT_TRUE(std::filesystem::exists(active));
  EXPECT_GT(std::filesystem::file_size(active), FrameSize(5));
  // Only what was written is read back, never the spare's earlier frames.
  EXPECT_EQ(ReadAll(*log, seq), std::vector<std::string>{"after"});
  EXPECT_EQ(ReadAll(*log, seq - 3).size(), 4u);
}

TEST_F(RecyclingLogTest, ACleanCloseLeavesNoStaleTailAndTheSparesAreKept) {
  Options& options = options_;
  auto& log = log_;
  const auto undelivered = ReadAll(*log, log->LastDurableSeq() - 2);
  log.reset();
  log = OpenOrDie(options);
  EXPECT_EQ(log->recovery().corrupt_tails, 0u);
  EXPECT_EQ(log->recovery().torn_bytes_cut, 0u);
  EXPECT_EQ(ReadAll(*log, log->LastDurableSeq() - 2), undelivered);
  AppendAndDeliver(*log, 50);
  EXPECT_LE(SpareFiles(options.dir), kMaxSpareSegments);
  EXPECT_LE(SegmentFiles(options.dir), 3u);
}

TEST_F(RecyclingLogTest, ACrashWhileWritingOverASpareLosesNoRecord) {
  Options options = options_;
  auto& log = log_;
  const uint64_t seq = AppendOrDie(*log, {"after"});  // on a spare: its earlier frames follow
  // The files as a crash now would leave them (every append above is fdatasync'ed).
  const auto image = dir_.path() / "crashed";
  std::filesystem::copy(options.dir, image);
  options.dir = image;
  auto recovered = OpenOrDie(options);
  EXPECT_EQ(recovered->recovery().corrupt_tails, 1u);  // the spare's earlier frames, cut
  EXPECT_GT(recovered->recovery().torn_bytes_cut, 0u);
  EXPECT_EQ(recovered->recovery().next_seq, seq + 1);
  EXPECT_EQ(ReadAll(*recovered, seq - 3), ReadAll(*log, seq - 3));
  EXPECT_EQ(ReadAll(*recovered, seq), std::vector<std::string>{"after"});
}

TEST(LogTest, QuotaRejectsWithoutChangesAndRecoversAfterDelivery) {
  TempDir dir;
  Options options = OptionsFor(dir);
  options.segment_bytes = 100;
  options.quota_bytes = 4 * FrameSize(50);
  auto log = OpenOrDie(options);
  const std::string record(50, 'q');
  for (int i = 0; i < 4; ++i) AppendOrDie(*log, {record});
  const std::vector<std::string_view> one = {record};
  auto rejected = log->AppendAndWait(one, 1);
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(rejected.error().message,
              ::testing::HasSubstr("quota of " + std::to_string(options.quota_bytes) + " bytes"));
  EXPECT_EQ(log->GetStats().rejected_by_quota, 1u);
  EXPECT_EQ(log->LastDurableSeq(), 4u);
  EXPECT_EQ(log->GetStats().disk_bytes, options.quota_bytes);

  ASSERT_TRUE(log->Seal(1, 2, ""));  // seals are not refused at the quota
  ASSERT_TRUE(log->MarkDelivered(2));
  EXPECT_EQ(AppendOrDie(*log, {record}), 5u);
  ASSERT_TRUE(log->MarkDelivered(5));
  EXPECT_EQ(AppendOrDie(*log, {record, record, record}), 6u);
}

TEST(LogTest, OsDurabilityNeverSyncsData) {
  TempDir dir;
  FaultyFileIo io;
  Options options = OptionsFor(dir);
  options.io = &io;
  options.durability = Durability::kOs;
  auto log = OpenOrDie(options);
  AppendOrDie(*log, {"a"});
  EXPECT_EQ(io.data_syncs(), 0);
  log.reset();
  log = OpenOrDie(options);
  EXPECT_EQ(ReadAll(*log), std::vector<std::string>{"a"});
}

TEST(LogTest, WaitingCallsFromACallbackAreRefused) {
  TempDir dir;
  auto log = OpenOrDie(OptionsFor(dir));
  std::promise<Error> inner;
  const std::vector<std::string_view> one = {"a"};
  log->Append(one, 1, [&](Result<uint64_t>) {
    inner.set_value(log->MarkDelivered(1).error());
  });
  EXPECT_EQ(inner.get_future().get().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace sluice::wal
