// Injected file system failures: whatever fails, nothing that did not reach the disk is
// acknowledged, and a reopened log holds exactly the acknowledged records.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <future>
#include <string>
#include <vector>

#include "wal/format.h"
#include "wal/log.h"
#include "wal/test_util.h"

namespace sluice::wal {
namespace {

using testing::FaultyFileIo;
using testing::TempDir;

class FaultTest : public ::testing::Test {
 protected:
  Options options() {
    Options options;
    options.dir = dir_.path() / "wal";
    options.io = &io_;
    return options;
  }
  std::unique_ptr<Log> Open() {
    auto log = Log::Open(options());
    EXPECT_TRUE(log) << log.error().message;
    return log ? std::move(*log) : nullptr;
  }
  static Result<uint64_t> Append(Log& log, std::string_view record) {
    return log.AppendAndWait(std::span(&record, 1), 1);
  }
  static std::vector<std::string> ReadAll(Log& log) {
    RecordBatch batch;
    EXPECT_TRUE(log.Read(1, UINT64_MAX, UINT64_MAX, batch));
    std::vector<std::string> out;
    for (const auto& entry : batch.entries) out.emplace_back(entry.data);
    return out;
  }

  TempDir dir_;
  FaultyFileIo io_;
};

TEST_F(FaultTest, NoSpaceFailsTheAppendAndTheLogCarriesOn) {
  auto log = Open();
  ASSERT_TRUE(Append(*log, "kept"));
  io_.ShortWriteNext(5);
  io_.FailWrites(ENOSPC, /*after=*/1);  // a partial write, then the disk is full
  auto failed = Append(*log, "lost-record");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kIo);
  EXPECT_THAT(failed.error().message, ::testing::HasSubstr("No space left on device"));
  EXPECT_EQ(log->LastDurableSeq(), 1u);
  EXPECT_EQ(log->GetStats().disk_bytes, FrameSize(4));  // the partial write was cut

  io_.FailWrites(0);
  EXPECT_EQ(Append(*log, "after").value(), 2u);  // the failed seq is given out again
  log.reset();
  log = Open();
  EXPECT_EQ(log->recovery().corrupt_tails, 0u);
  EXPECT_EQ(ReadAll(*log), (std::vector<std::string>{"kept", "after"}));
}

TEST_F(FaultTest, FailedDataSyncNeverAcknowledgesAndStopsTheLog) {
  auto log = Open();
  ASSERT_TRUE(Append(*log, "kept"));
  ASSERT_TRUE(log->Seal(1, 1, "s"));
  io_.FailDataSync(EIO);
  auto failed = Append(*log, "unsynced");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kIo);
  EXPECT_EQ(log->LastDurableSeq(), 1u);

  io_.FailDataSync(0);
  // Sticky: the kernel may have dropped the pages, so no later sync can be trusted.
  auto later = Append(*log, "later");
  ASSERT_FALSE(later);
  EXPECT_THAT(later.error().message, ::testing::HasSubstr("until reopened"));
  EXPECT_EQ(log->Seal(1, 1, "s").error().code, ErrorCode::kIo);
  // Acknowledged records are still delivered.
  EXPECT_EQ(ReadAll(*log), std::vector<std::string>{"kept"});
  EXPECT_TRUE(log->MarkDelivered(1));

  log.reset();
  log = Open();
  EXPECT_EQ(log->recovery().delivered_through, 1u);
  EXPECT_EQ(Append(*log, "again").value(), 2u);
  EXPECT_EQ(ReadAll(*log), std::vector<std::string>{"again"});
}

TEST_F(FaultTest, FailedCutAfterAFailedWriteStopsTheLog) {
  auto log = Open();
  io_.FailWrites(EIO);
  io_.FailTruncate(EIO);
  auto failed = Append(*log, "x");
  ASSERT_FALSE(failed);
  EXPECT_THAT(failed.error().message, ::testing::HasSubstr("cutting the partial write failed"));
  io_.FailWrites(0);
  io_.FailTruncate(0);
  EXPECT_EQ(Append(*log, "y").error().code, ErrorCode::kIo);
}

TEST_F(FaultTest, EveryQueuedAppendFailsWithTheGroup) {
  auto log = Open();
  io_.FailWrites(ENOSPC);
  constexpr int kCalls = 20;
  std::vector<std::promise<Result<uint64_t>>> results(kCalls);
  const std::vector<std::string_view> records = {"a", "b"};
  for (auto& result : results) {
    log->Append(records, 1, [&result](Result<uint64_t> seq) { result.set_value(seq); });
  }
  for (auto& result : results) {
    auto seq = result.get_future().get();
    ASSERT_FALSE(seq);
    EXPECT_EQ(seq.error().code, ErrorCode::kIo);
  }
  EXPECT_EQ(log->LastDurableSeq(), 0u);
  io_.FailWrites(0);
  EXPECT_EQ(Append(*log, "first").value(), 1u);
}

TEST_F(FaultTest, FailedRolloverStopsTheLog) {
  Options opts = options();
  opts.segment_bytes = 1;
  auto log = Log::Open(opts);
  ASSERT_TRUE(log);
  ASSERT_TRUE(Append(**log, "one"));
  io_.FailCreate(ENOSPC);
  auto failed = Append(**log, "two");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kIo);
  EXPECT_THAT(failed.error().message, ::testing::HasSubstr("cannot create wal segment"));
  io_.FailCreate(0);
  EXPECT_FALSE(Append(**log, "three"));
  log->reset();
  log = Log::Open(opts);
  ASSERT_TRUE(log);
  EXPECT_EQ(ReadAll(**log), std::vector<std::string>{"one"});
}

TEST_F(FaultTest, FailedCursorWriteKeepsEverything) {
  auto log = Open();
  ASSERT_TRUE(Append(*log, "a"));
  io_.FailRename(EIO);
  auto marked = log->MarkDelivered(1);
  ASSERT_FALSE(marked);
  EXPECT_EQ(marked.error().code, ErrorCode::kIo);
  EXPECT_THAT(marked.error().message, ::testing::HasSubstr("cursor"));
  io_.FailRename(0);
  log.reset();
  log = Open();
  EXPECT_EQ(log->recovery().delivered_through, 0u);
  EXPECT_EQ(ReadAll(*log), std::vector<std::string>{"a"});
}

TEST_F(FaultTest, OpenFailsCleanlyWhenTheDirectoryCannotBeCreated) {
  Options opts = options();
  opts.dir = "/proc/definitely/not/creatable";
  auto log = Log::Open(opts);
  ASSERT_FALSE(log);
  EXPECT_EQ(log.error().code, ErrorCode::kIo);
}

}  // namespace
}  // namespace sluice::wal
