#include "wal/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace sluice::wal {
namespace {

class Posix final : public FileIo {
 public:
  Result<int> Open(const std::filesystem::path& path, Mode mode) override {
    int flags = O_CLOEXEC;
    switch (mode) {
      case Mode::kRead: flags |= O_RDONLY; break;
      case Mode::kReadWrite: flags |= O_RDWR; break;
      case Mode::kCreateNew: flags |= O_RDWR | O_CREAT | O_EXCL; break;
      case Mode::kCreateOrTruncate: flags |= O_WRONLY | O_CREAT | O_TRUNC; break;
    }
    const int fd = ::open(path.c_str(), flags, 0644);
    if (fd < 0) return IoError("open " + path.string(), errno);
    return fd;
  }

  Status Close(int fd) override {
    if (::close(fd) != 0) return IoError("close", errno);
    return {};
  }

  Result<size_t> PWrite(int fd, uint64_t offset, std::string_view data) override {
    ssize_t n;
    do {
      n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    } while (n < 0 && errno == EINTR);
    if (n < 0) return IoError("pwrite", errno);
    return static_cast<size_t>(n);
  }

  Result<size_t> PRead(int fd, uint64_t offset, std::span<char> out) override {
    ssize_t n;
    do {
      n = ::pread(fd, out.data(), out.size(), static_cast<off_t>(offset));
    } while (n < 0 && errno == EINTR);
    if (n < 0) return IoError("pread", errno);
    return static_cast<size_t>(n);
  }

  Status DataSync(int fd) override {
    if (::fdatasync(fd) != 0) return IoError("fdatasync", errno);
    return {};
  }

  Status Truncate(int fd, uint64_t size) override {
    if (::ftruncate(fd, static_cast<off_t>(size)) != 0) return IoError("ftruncate", errno);
    return {};
  }

  Result<uint64_t> Size(int fd) override {
    struct stat st;
    if (::fstat(fd, &st) != 0) return IoError("fstat", errno);
    return static_cast<uint64_t>(st.st_size);
  }

  Status Rename(const std::filesystem::path& from, const std::filesystem::path& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return IoError("rename " + from.string() + " to " + to.string(), errno);
    }
    return {};
  }

  Status Remove(const std::filesystem::path& path) override {
    if (::unlink(path.c_str()) != 0) return IoError("unlink " + path.string(), errno);
    return {};
  }

  Status CreateDirectories(const std::filesystem::path& path) override {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return IoError("create directory " + path.string(), ec.value());
    return {};
  }

  Status SyncDirectory(const std::filesystem::path& path) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return IoError("open directory " + path.string(), errno);
    const int rc = ::fsync(fd);
    const int sync_errno = errno;
    ::close(fd);
    if (rc != 0) return IoError("fsync directory " + path.string(), sync_errno);
    return {};
  }

  Result<std::vector<std::string>> ListDirectory(const std::filesystem::path& path) override {
    std::error_code ec;
    std::vector<std::string> names;
    for (std::filesystem::directory_iterator it(path, ec), end; !ec && it != end;
         it.increment(ec)) {
      names.push_back(it->path().filename().string());
    }
    if (ec) return IoError("list directory " + path.string(), ec.value());
    return names;
  }
};

}  // namespace

FileIo& PosixFileIo() {
  static Posix instance;
  return instance;
}

Status PWriteAll(FileIo& io, int fd, uint64_t offset, std::string_view data) {
  while (!data.empty()) {
    auto written = io.PWrite(fd, offset, data);
    if (!written) return std::unexpected(written.error());
    if (*written == 0) return Fail(ErrorCode::kIo, "pwrite made no progress");
    offset += *written;
    data.remove_prefix(*written);
  }
  return {};
}

}  // namespace sluice::wal
