#pragma once
// Test helpers for the wal tests: a self-deleting temp directory and a FileIo that injects
// faults into the real file system.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "wal/file_io.h"

namespace sluice::wal::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "wal_test_XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Forwards to the real file system, failing the calls it is told to fail. Thread-safe.
class FaultyFileIo final : public FileIo {
 public:
  // The next PWrite writes only `bytes` (then behaves normally).
  void ShortWriteNext(size_t bytes) { short_write_.store(static_cast<int64_t>(bytes)); }
  // PWrite calls fail with `error` (0: stop failing) after `after` more successful ones.
  void FailWrites(int error, int after = 0) {
    writes_before_failure_.store(after);
    write_error_.store(error);
  }
  void FailDataSync(int error) { sync_error_.store(error); }
  void FailTruncate(int error) { truncate_error_.store(error); }
  void FailRename(int error) { rename_error_.store(error); }
  void FailCreate(int error) { create_error_.store(error); }
  int data_syncs() const { return data_syncs_.load(); }
  // DataSync calls block until ReleaseDataSync(): lets a test queue appends behind a group.
  void HoldDataSync() {
    std::lock_guard lock(gate_mu_);
    hold_sync_ = true;
  }
  void ReleaseDataSync() {
    {
      std::lock_guard lock(gate_mu_);
      hold_sync_ = false;
    }
    gate_.notify_all();
  }

  Result<int> Open(const std::filesystem::path& path, Mode mode) override {
    if (mode == Mode::kCreateNew && create_error_.load() != 0) {
      return IoError("open " + path.string(), create_error_.load());
    }
    return real_.Open(path, mode);
  }
  Status Close(int fd) override { return real_.Close(fd); }
  Result<size_t> PWrite(int fd, uint64_t offset, std::string_view data) override {
    if (write_error_.load() != 0 && writes_before_failure_.fetch_sub(1) <= 0) {
      return IoError("pwrite", write_error_.load());
    }
    const int64_t short_bytes = short_write_.exchange(-1);
    if (short_bytes >= 0 && static_cast<size_t>(short_bytes) < data.size()) {
      data = data.substr(0, static_cast<size_t>(short_bytes));
    }
    return real_.PWrite(fd, offset, data);
  }
  Result<size_t> PRead(int fd, uint64_t offset, std::span<char> out) override {
    return real_.PRead(fd, offset, out);
  }
  Status DataSync(int fd) override {
    ++data_syncs_;
    {
      std::unique_lock lock(gate_mu_);
      gate_.wait(lock, [this] { return !hold_sync_; });
    }
    if (sync_error_.load() != 0) return IoError("fdatasync", sync_error_.load());
    return real_.DataSync(fd);
  }
  Status Truncate(int fd, uint64_t size) override {
    if (truncate_error_.load() != 0) return IoError("ftruncate", truncate_error_.load());
    return real_.Truncate(fd, size);
  }
  Result<uint64_t> Size(int fd) override { return real_.Size(fd); }
  Status Rename(const std::filesystem::path& from, const std::filesystem::path& to) override {
    if (rename_error_.load() != 0) return IoError("rename", rename_error_.load());
    return real_.Rename(from, to);
  }
  Status Remove(const std::filesystem::path& path) override { return real_.Remove(path); }
  Status CreateDirectories(const std::filesystem::path& path) override {
    return real_.CreateDirectories(path);
  }
  Status SyncDirectory(const std::filesystem::path& path) override {
    return real_.SyncDirectory(path);
  }
  Result<std::vector<std::string>> ListDirectory(const std::filesystem::path& path) override {
    return real_.ListDirectory(path);
  }

 private:
  FileIo& real_ = PosixFileIo();
  std::atomic<int64_t> short_write_{-1};
  std::atomic<int> write_error_{0};
  std::atomic<int> writes_before_failure_{0};
  std::atomic<int> sync_error_{0};
  std::atomic<int> truncate_error_{0};
  std::atomic<int> rename_error_{0};
  std::atomic<int> create_error_{0};
  std::atomic<int> data_syncs_{0};
  std::mutex gate_mu_;
  std::condition_variable gate_;
  bool hold_sync_ = false;  // guarded by gate_mu_
};

}  // namespace sluice::wal::testing
