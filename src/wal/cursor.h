#pragma once
// The delivered cursor: the highest seq such that every record at or below it was delivered.
// File "cursor" in the log directory: [u32 magic][u64 delivered_through][u32 crc32c of the
// preceding 12 bytes], little-endian.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include "core/result.h"
#include "wal/file_io.h"

namespace sluice::wal {

inline constexpr std::string_view kCursorFileName = "cursor";
inline constexpr std::string_view kCursorTempFileName = "cursor.tmp";
inline constexpr uint32_t kCursorMagic = 0x52435753;  // "SWCR" as little-endian bytes
inline constexpr size_t kCursorFileBytes = 16;

// nullopt if there is no cursor file; kCorruption if it is there but unreadable.
Result<std::optional<uint64_t>> ReadCursor(FileIo& io, const std::filesystem::path& dir);

// Atomically replaces the cursor: temp file, fdatasync, rename, directory fsync. Durable when it
// returns successfully.
Status WriteCursor(FileIo& io, const std::filesystem::path& dir, uint64_t delivered_through);

}  // namespace sluice::wal
