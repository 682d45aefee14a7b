#include "wal/cursor.h"

#include <algorithm>
#include <cerrno>
#include <string>

#include "core/crc32c.h"
#include "wal/format.h"

namespace sluice::wal {
namespace {

constexpr size_t kCursorCrcOffset = 12;

}  // namespace

Result<std::optional<uint64_t>> ReadCursor(FileIo& io, const std::filesystem::path& dir) {
  const auto path = dir / kCursorFileName;
  auto names = io.ListDirectory(dir);
  if (!names) return std::unexpected(names.error());
  if (std::find(names->begin(), names->end(), kCursorFileName) == names->end()) {
    return std::nullopt;
  }
  auto fd = io.Open(path, FileIo::Mode::kRead);
  if (!fd) return std::unexpected(fd.error());
  char bytes[kCursorFileBytes + 1];
  size_t have = 0;
  Status read_status;
  while (have < sizeof bytes) {
    auto got = io.PRead(*fd, have, std::span<char>(bytes + have, sizeof bytes - have));
    if (!got) {
      read_status = std::unexpected(got.error());
      break;
    }
    if (*got == 0) break;
    have += *got;
  }
  (void)io.Close(*fd);
  if (!read_status) return std::unexpected(read_status.error());
  const std::string_view content(bytes, have);
  if (have != kCursorFileBytes || GetU32(bytes) != kCursorMagic ||
      GetU32(bytes + kCursorCrcOffset) != Crc32c(content.substr(0, kCursorCrcOffset))) {
    return Fail(ErrorCode::kCorruption,
                "wal cursor " + path.string() + " is not a valid " +
                    std::to_string(kCursorFileBytes) + "-byte cursor (size " +
                    std::to_string(have) + ", bad magic or checksum)");
  }
  return GetU64(bytes + 4);
}

Status WriteCursor(FileIo& io, const std::filesystem::path& dir, uint64_t delivered_through) {
  std::string bytes;
  PutU32(bytes, kCursorMagic);
  PutU64(bytes, delivered_through);
  PutU32(bytes, Crc32c(bytes));
  const auto temp = dir / kCursorTempFileName;
  auto fd = io.Open(temp, FileIo::Mode::kCreateOrTruncate);
  if (!fd) return std::unexpected(fd.error());
  Status status = PWriteAll(io, *fd, 0, bytes);
  if (status) status = io.DataSync(*fd);
  const Status closed = io.Close(*fd);
  if (status && !closed) status = closed;
  if (status) status = io.Rename(temp, dir / kCursorFileName);
  if (status) status = io.SyncDirectory(dir);
  if (!status) {
    return Fail(ErrorCode::kIo, "cannot write wal cursor in " + dir.string() + ": " +
                                    status.error().message);
  }
  return {};
}

}  // namespace sluice::wal
