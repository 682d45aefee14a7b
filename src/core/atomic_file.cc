#include "core/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "core/random.h"

namespace sluice {
namespace {

Status WriteAll(int fd, std::string_view contents, const std::string& what) {
  while (!contents.empty()) {
    const ssize_t n = ::write(fd, contents.data(), contents.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write " + what, errno);
    }
    contents.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

}  // namespace

Status SyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open directory " + dir.string(), errno);
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) return IoError("cannot fsync directory " + dir.string(), saved);
  return {};
}

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view contents) {
  const auto dir = path.parent_path();
  const auto temp = dir / ("." + path.filename().string() + "." + RandomAlnum(8) + ".tmp");
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot create " + temp.string(), errno);
  Status status = WriteAll(fd, contents, temp.string());
  if (status && ::fsync(fd) != 0) status = IoError("cannot fsync " + temp.string(), errno);
  ::close(fd);
  if (status && ::rename(temp.c_str(), path.c_str()) != 0) {
    status = IoError("cannot rename " + temp.string() + " to " + path.string(), errno);
  }
  if (!status) {
    ::unlink(temp.c_str());
    return status;
  }
  return SyncDirectory(dir.empty() ? std::filesystem::path(".") : dir);
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open " + path.string(), errno);
  std::string contents;
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      return IoError("cannot read " + path.string(), saved);
    }
    if (n == 0) break;
    contents.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return contents;
}

}  // namespace sluice
