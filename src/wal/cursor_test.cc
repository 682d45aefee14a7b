#include "wal/cursor.h"

#include <gtest/gtest.h>

#include <fstream>

#include "wal/test_util.h"

namespace sluice::wal {
namespace {

using testing::FaultyFileIo;
using testing::TempDir;

TEST(CursorTest, MissingCursorIsNullopt) {
  TempDir dir;
  auto cursor = ReadCursor(PosixFileIo(), dir.path());
  ASSERT_TRUE(cursor);
  EXPECT_FALSE(cursor->has_value());
}

TEST(CursorTest, RoundTripsAndReplaces) {
  TempDir dir;
  ASSERT_TRUE(WriteCursor(PosixFileIo(), dir.path(), 7));
  ASSERT_TRUE(WriteCursor(PosixFileIo(), dir.path(), 1234567890123));
  auto cursor = ReadCursor(PosixFileIo(), dir.path());
  ASSERT_TRUE(cursor);
  EXPECT_EQ(cursor->value(), 1234567890123u);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / kCursorTempFileName));
  EXPECT_EQ(std::filesystem::file_size(dir.path() / kCursorFileName), kCursorFileBytes);
}

TEST(CursorTest, CorruptCursorIsReported) {
  TempDir dir;
  ASSERT_TRUE(WriteCursor(PosixFileIo(), dir.path(), 7));
  {
    std::fstream file(dir.path() / kCursorFileName, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(5);
    file.put('\x55');
  }
  auto cursor = ReadCursor(PosixFileIo(), dir.path());
  ASSERT_FALSE(cursor);
  EXPECT_EQ(cursor.error().code, ErrorCode::kCorruption);
  EXPECT_NE(cursor.error().message.find("16-byte"), std::string::npos);
}

TEST(CursorTest, FailedRenameKeepsTheOldCursor) {
  TempDir dir;
  FaultyFileIo io;
  ASSERT_TRUE(WriteCursor(io, dir.path(), 7));
  io.FailRename(EIO);
  auto written = WriteCursor(io, dir.path(), 9);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::kIo);
  EXPECT_EQ(ReadCursor(io, dir.path())->value(), 7u);
}

}  // namespace
}  // namespace sluice::wal
