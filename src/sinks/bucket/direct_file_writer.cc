#include "sinks/bucket/direct_file_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace sluice::sinks {

int DirectFileWriter::OpenNew(int dir_fd, const char* name, unsigned mode, bool direct) {
  constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  if (direct) {
    const int fd = ::openat(dir_fd, name, kFlags | O_DIRECT, mode);
    // EINVAL: the file system does not do O_DIRECT.
    if (fd >= 0 || errno != EINVAL) return fd;
  }
  return ::openat(dir_fd, name, kFlags, mode);
}

DirectFileWriter::DirectFileWriter(int fd)
    : fd_(fd), direct_((::fcntl(fd, F_GETFL) & O_DIRECT) != 0), buffer_(nullptr, &std::free) {
  if (direct_) buffer_.reset(static_cast<char*>(std::aligned_alloc(kAlignment, kBufferBytes)));
  if (buffer_ == nullptr) FallBack();
}

DirectFileWriter::~DirectFileWriter() = default;

bool DirectFileWriter::Write(std::string_view bytes) {
  length_ += bytes.size();
  if (!direct_) return WriteOut(bytes.data(), bytes.size());
  while (!bytes.empty()) {
    const size_t n = std::min(bytes.size(), kBufferBytes - buffered_);
    std::memcpy(buffer_.get() + buffered_, bytes.data(), n);
    buffered_ += n;
    bytes.remove_prefix(n);
    if (buffered_ == kBufferBytes) {
      if (!WriteOut(buffer_.get(), kBufferBytes)) return false;
      buffered_ = 0;
    }
  }
  return true;
}

bool DirectFileWriter::Finish() {
  if (buffered_ > 0) {
    // The last partial block goes out whole, zero-padded, and the file is cut back below.
    const size_t padded = (buffered_ + kAlignment - 1) / kAlignment * kAlignment;
    std::memset(buffer_.get() + buffered_, 0, padded - buffered_);
    if (!WriteOut(buffer_.get(), padded)) return false;
    buffered_ = 0;
  }
  return ::ftruncate(fd_, static_cast<off_t>(length_)) == 0;
}

bool DirectFileWriter::WriteOut(const char* data, size_t n) {
  while (n > 0) {
    const ssize_t written = ::write(fd_, data, n);
    if (written < 0) {
      if (errno == EINTR) continue;
      if (errno == EINVAL && direct_ && FallBack()) continue;
      return false;
    }
    data += written;
    n -= static_cast<size_t>(written);
  }
  return true;
}

bool DirectFileWriter::FallBack() {
  const int flags = ::fcntl(fd_, F_GETFL);
  if (flags < 0 || ::fcntl(fd_, F_SETFL, flags & ~O_DIRECT) != 0) return false;
  direct_ = false;
  return true;
}

}  // namespace sluice::sinks
