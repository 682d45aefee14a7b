#pragma once
// Sequential frame parsing over a byte range of one segment file.

#include <cstdint>
#include <string>

#include "core/result.h"
#include "wal/file_io.h"
#include "wal/format.h"

namespace sluice::wal {

class FrameReader {
 public:
  enum class Step {
    kFrame,  // `frame` holds the next frame; its views stay valid until the next call
    kEnd,    // the range is exhausted exactly at a frame boundary
    kBad,    // the bytes at frame_offset() are not a whole valid frame (torn or corrupt)
  };

  // Reads frames of `fd` from `offset` up to `end`. `buffer` is the caller's scratch space,
  // reused across readers to avoid allocation. Not thread-safe.
  FrameReader(FileIo& io, int fd, uint64_t offset, uint64_t end, std::string& buffer);

  Result<Step> Next(FrameView& frame);

  // Where the frame last returned (or found bad) starts.
  uint64_t frame_offset() const { return frame_offset_; }
  // Where the next frame starts.
  uint64_t next_offset() const { return offset_; }

 private:
  // Makes at least `needed` bytes from offset_ available in buffer_. False if the file ends
  // first.
  Result<bool> Fill(size_t needed);

  FileIo& io_;
  int fd_;
  uint64_t offset_;
  uint64_t end_;
  uint64_t frame_offset_;
  std::string& buffer_;
  uint64_t buffer_start_;  // file offset of buffer_[0]
};

}  // namespace sluice::wal
