#pragma once
// Sequential writing of a new file around the page cache (O_DIRECT) where the file system
// allows it.
//
// Why: an object written by the local store is not read back by the server, yet written through
// the page cache every page of it is a fresh allocation the kernel copies into and soon has to
// reclaim. Measured on the 2-core VM of docs/performance.md, writing new 64 MiB files with one
// fsync each: 113-261 MB/s and 0.8-1.3 s of system CPU per GB through the page cache, 1.2-1.4 GB/s
// and 0.07 s per GB with O_DIRECT. Bytes are gathered in an aligned buffer and written a MiB at a
// time; the last partial block is written zero-padded and the file cut back to its length.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace sluice::sinks {

class DirectFileWriter {
 public:
  // Alignment of buffer, offsets and lengths that O_DIRECT needs on every common block device.
  static constexpr size_t kAlignment = 4096;
  static constexpr size_t kBufferBytes = 1 << 20;

  // Opens `name` in directory `dir_fd` as a new file (O_CREAT | O_EXCL, never following a
  // symlink) for writing, with O_DIRECT unless `direct` is false or the file system refuses it.
  // -1 with errno on failure.
  static int OpenNew(int dir_fd, const char* name, unsigned mode, bool direct = true);

  // Writes to `fd` (not owned) from its current offset 0.
  explicit DirectFileWriter(int fd);
  ~DirectFileWriter();
  DirectFileWriter(const DirectFileWriter&) = delete;
  DirectFileWriter& operator=(const DirectFileWriter&) = delete;

  // False with errno set when writing failed.
  bool Write(std::string_view bytes);
  // Writes what is buffered and sets the file's length; the caller fsyncs. False with errno set.
  bool Finish();
  // Whether writes still bypass the page cache (a refused aligned write turns them back to
  // ordinary writes for the rest of the file).
  bool direct() const { return direct_; }

 private:
  // Writes `n` bytes from `data` at the file's offset, falling back to ordinary writes if
  // O_DIRECT is refused.
  bool WriteOut(const char* data, size_t n);
  bool FallBack();

  int fd_;
  bool direct_;
  std::unique_ptr<char, void (*)(void*)> buffer_;
  size_t buffered_ = 0;  // bytes in buffer_
  uint64_t length_ = 0;  // the file's length once written
};

}  // namespace sluice::sinks
