#pragma once
// The write-ahead log's only way to touch the file system. A seam so tests can inject faults
// (short writes, ENOSPC, fdatasync failure) without a special file system.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sluice::wal {

// Implementations must be thread-safe: the writer thread, readers and MarkDelivered call
// concurrently (on different descriptors, or the same one with positional I/O).
class FileIo {
 public:
  enum class Mode {
    kRead,               // existing file, read-only
    kReadWrite,          // existing file
    kCreateNew,          // create; fails if the file exists
    kCreateOrTruncate,   // create or empty, write-only
  };

  virtual ~FileIo() = default;

  virtual Result<int> Open(const std::filesystem::path& path, Mode mode) = 0;
  virtual Status Close(int fd) = 0;
  // Writes at `offset`; may write fewer bytes than given (the caller loops).
  virtual Result<size_t> PWrite(int fd, uint64_t offset, std::string_view data) = 0;
  // Reads at `offset`; returns 0 at end of file.
  virtual Result<size_t> PRead(int fd, uint64_t offset, std::span<char> out) = 0;
  virtual Status DataSync(int fd) = 0;
  virtual Status Truncate(int fd, uint64_t size) = 0;
  virtual Result<uint64_t> Size(int fd) = 0;
  virtual Status Rename(const std::filesystem::path& from, const std::filesystem::path& to) = 0;
  virtual Status Remove(const std::filesystem::path& path) = 0;
  virtual Status CreateDirectories(const std::filesystem::path& path) = 0;
  // Makes the directory's entries (creations, renames) durable.
  virtual Status SyncDirectory(const std::filesystem::path& path) = 0;
  // Names (not paths) of the directory's entries, unordered.
  virtual Result<std::vector<std::string>> ListDirectory(const std::filesystem::path& path) = 0;
};

// The real file system via POSIX calls. Stateless; one shared instance.
FileIo& PosixFileIo();

// Writes all of `data` at `offset`, looping over short writes. A write that makes no progress
// is an error.
Status PWriteAll(FileIo& io, int fd, uint64_t offset, std::string_view data);

}  // namespace sluice::wal
