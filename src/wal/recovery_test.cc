// Recovery from what crashes and bad disks leave behind: every test damages the files of a
// closed log, reopens it, and checks what was cut, what is reported, and that no damaged byte is
// ever returned.
#include "wal/recovery.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "wal/cursor.h"
#include "wal/format.h"
#include "wal/log.h"
#include "wal/test_util.h"

namespace sluice::wal {
namespace {

using testing::TempDir;

class RecoveryTest : public ::testing::Test {
 protected:
  Options options() const {
    Options options;
    options.dir = dir_.path() / "wal";
    options.segment_bytes = segment_bytes_;
    return options;
  }

  std::unique_ptr<Log> Open() {
    auto log = Log::Open(options());
    EXPECT_TRUE(log) << log.error().message;
    return log ? std::move(*log) : nullptr;
  }

  // Writes `count` records named "r<seq>" and closes the log.
  void Write(int count) {
    auto log = Open();
    for (int i = 0; i < count; ++i) {
      const std::string record = "r" + std::to_string(log->LastDurableSeq() + 1);
      const std::string_view view = record;
      ASSERT_TRUE(log->AppendAndWait(std::span(&view, 1), 10));
    }
  }

  std::vector<std::filesystem::path> Segments() const {
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(options().dir)) {
      if (entry.path().extension() == ".seg") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    return paths;
  }

  static std::vector<std::string> ReadAll(Log& log) {
    RecordBatch batch;
    EXPECT_TRUE(log.Read(1, UINT64_MAX, UINT64_MAX, batch));
    std::vector<std::string> out;
    for (const auto& entry : batch.entries) {
      EXPECT_EQ("r" + std::to_string(entry.seq), entry.data);
      out.emplace_back(entry.data);
    }
    return out;
  }

  static void FlipByte(const std::filesystem::path& path, uint64_t offset) {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(static_cast<std::streamoff>(offset));
    const char c = static_cast<char>(file.get());
    file.seekp(static_cast<std::streamoff>(offset));
    file.put(static_cast<char>(c ^ 0x40));
  }

  static void AppendBytes(const std::filesystem::path& path, std::string_view bytes) {
    std::ofstream file(path, std::ios::app | std::ios::binary);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

  TempDir dir_;
  uint64_t segment_bytes_ = 64ull << 20;
};

constexpr uint64_t kFrame = FrameSize(2);  // records "r1".."r9"

TEST_F(RecoveryTest, TornTailIsCutAndAppendsResumeThere) {
  Write(5);
  const auto segment = Segments().front();
  std::filesystem::resize_file(segment, 4 * kFrame + 10);  // mid-frame of r5
  auto log = Open();
  EXPECT_EQ(log->recovery().torn_bytes_cut, 10u);
  EXPECT_EQ(log->recovery().corrupt_tails, 1u);
  EXPECT_EQ(log->recovery().next_seq, 5u);
  EXPECT_EQ(std::filesystem::file_size(segment), 4 * kFrame);
  EXPECT_EQ(ReadAll(*log), (std::vector<std::string>{"r1", "r2", "r3", "r4"}));
  const std::string_view again = "r5";
  EXPECT_EQ(log->AppendAndWait(std::span(&again, 1), 1).value(), 5u);
  log.reset();
  log = Open();
  EXPECT_EQ(log->recovery().corrupt_tails, 0u);  // a second open finds a clean log
  EXPECT_EQ(ReadAll(*log).size(), 5u);
}

TEST_F(RecoveryTest, GarbageAfterTheLastFrameIsCut) {
  Write(3);
  AppendBytes(Segments().front(), std::string("\x13\x00\x00\x00garbage-bytes-here", 22));
  auto log = Open();
  EXPECT_EQ(log->recovery().torn_bytes_cut, 22u);
  EXPECT_EQ(log->recovery().corrupt_tails, 1u);
  EXPECT_EQ(ReadAll(*log).size(), 3u);
}

TEST_F(RecoveryTest, ShortPrefixAtTheEndIsCut) {
  Write(3);
  AppendBytes(Segments().front(), std::string_view("\x05\x00", 2));
  auto log = Open();
  EXPECT_EQ(log->recovery().torn_bytes_cut, 2u);
  EXPECT_EQ(ReadAll(*log).size(), 3u);
}

TEST_F(RecoveryTest, FlippedPayloadByteCutsFromThatFrame) {
  Write(5);
  FlipByte(Segments().front(), 2 * kFrame + kFrameHeaderBytes + 1);  // payload of r3
  auto log = Open();
  EXPECT_EQ(log->recovery().torn_bytes_cut, 3 * kFrame);
  EXPECT_EQ(log->recovery().next_seq, 3u);
  EXPECT_EQ(ReadAll(*log), (std::vector<std::string>{"r1", "r2"}));
}

TEST_F(RecoveryTest, SealAfterACutIsNotReported) {
  {
    auto log = Open();
    const std::vector<std::string_view> records = {"r1", "r2", "r3"};
    ASSERT_TRUE(log->AppendAndWait(records, 1));
    ASSERT_TRUE(log->Seal(1, 3, "batch"));
  }
  FlipByte(Segments().front(), 2 * kFrame + kFrameHeaderBytes);  // r3
  auto log = Open();
  EXPECT_TRUE(log->recovery().pending_seals.empty());
  EXPECT_EQ(log->recovery().unsealed_records, 2u);
  EXPECT_EQ(log->recovery().oldest_unsealed_arrival_ms, 1);
}

TEST_F(RecoveryTest, CorruptionInAnOlderSegmentKeepsLaterSegments) {
  segment_bytes_ = 2 * kFrame;  // two records per segment
  {
    auto log = Open();
    for (int i = 1; i <= 4; ++i) {
      const std::string record = "r" + std::to_string(i);
      const std::string_view view = record;
      ASSERT_TRUE(log->AppendAndWait(std::span(&view, 1), 1));
    }
    ASSERT_TRUE(log->Seal(1, 4, "spans-the-damage"));  // lands in the segment of r5
    const std::vector<std::string_view> more = {"r5", "r6"};
    ASSERT_TRUE(log->AppendAndWait(more, 1));
    ASSERT_TRUE(log->Seal(5, 6, "intact"));
  }
  const auto segments = Segments();
  ASSERT_EQ(segments.size(), 4u);  // [r1 r2] [r3 r4] [seal r5 r6] [seal]
  FlipByte(segments[1], kFrame + 5);  // crc of r4
  auto log = Open();
  const auto& report = log->recovery();
  EXPECT_EQ(report.corrupt_tails, 1u);
  EXPECT_EQ(report.torn_bytes_cut, kFrame);
  EXPECT_EQ(report.missing_records, 1u);
  EXPECT_EQ(report.dropped_seals, 1u);
  ASSERT_EQ(report.pending_seals.size(), 1u);
  EXPECT_EQ(report.pending_seals[0].descriptor, "intact");
  EXPECT_EQ(report.next_seq, 7u);
  EXPECT_EQ(ReadAll(*log), (std::vector<std::string>{"r1", "r2", "r3", "r5", "r6"}));
  log.reset();
  log = Open();  // stable: nothing new to cut
  EXPECT_EQ(log->recovery().corrupt_tails, 0u);
  EXPECT_EQ(ReadAll(*log).size(), 5u);
}

TEST_F(RecoveryTest, RecordsOutOfOrderAreTreatedAsCorrupt) {
  Write(2);
  // A valid frame whose seq goes backwards cannot have been written by the log.
  std::string frame;
  AppendFrame(frame, FrameKind::kRecord, 1, 0, "r1");
  AppendBytes(Segments().front(), frame);
  auto log = Open();
  EXPECT_EQ(log->recovery().corrupt_tails, 1u);
  EXPECT_EQ(log->recovery().torn_bytes_cut, frame.size());
  EXPECT_EQ(ReadAll(*log).size(), 2u);
}

TEST_F(RecoveryTest, UnreadableCursorRestartsFromZeroWithoutLosingRecords) {
  Write(3);
  std::ofstream(options().dir / kCursorFileName) << "bad";
  auto log = Open();
  EXPECT_TRUE(log->recovery().cursor_unreadable);
  EXPECT_EQ(log->recovery().delivered_through, 0u);
  EXPECT_EQ(log->recovery().unsealed_records, 3u);
  EXPECT_EQ(ReadAll(*log).size(), 3u);
}

TEST_F(RecoveryTest, DeliveredSegmentsLeftBehindAreDeletedAtOpen) {
  segment_bytes_ = 2 * kFrame;
  Write(6);
  const auto segments = Segments();
  ASSERT_EQ(segments.size(), 3u);
  // As if the process died between writing the cursor and deleting segments.
  ASSERT_TRUE(WriteCursor(PosixFileIo(), options().dir, 4));
  auto log = Open();
  EXPECT_EQ(Segments().size(), 1u);
  EXPECT_EQ(log->recovery().delivered_through, 4u);
  EXPECT_EQ(log->recovery().unsealed_records, 2u);
  RecordBatch batch;
  ASSERT_TRUE(log->Read(5, UINT64_MAX, UINT64_MAX, batch));
  ASSERT_EQ(batch.entries.size(), 2u);
  EXPECT_EQ(batch.entries[0].data, "r5");
}

TEST_F(RecoveryTest, IgnoresForeignFilesAndRecoversEmptySegments) {
  Write(0);
  std::ofstream(options().dir / "notes.txt") << "hello";
  auto log = Open();
  EXPECT_EQ(log->recovery().next_seq, 1u);
  EXPECT_EQ(Segments().size(), 1u);
}

TEST_F(RecoveryTest, ReadReportsCorruptionThatAppearsAfterOpen) {
  Write(3);
  auto log = Open();
  FlipByte(Segments().front(), kFrame + kFrameHeaderBytes);
  RecordBatch batch;
  auto read = log->Read(1, UINT64_MAX, UINT64_MAX, batch);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kCorruption);
}

}  // namespace
}  // namespace sluice::wal
