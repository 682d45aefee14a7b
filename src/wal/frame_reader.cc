#include "wal/frame_reader.h"

#include <algorithm>

namespace sluice::wal {
namespace {

constexpr size_t kReadChunkBytes = 256u << 10;

}  // namespace

FrameReader::FrameReader(FileIo& io, int fd, uint64_t offset, uint64_t end, std::string& buffer)
    : io_(io),
      fd_(fd),
      offset_(offset),
      end_(end),
      frame_offset_(offset),
      buffer_(buffer),
      buffer_start_(offset) {
  buffer_.clear();
}

Result<FrameReader::Step> FrameReader::Next(FrameView& frame) {
  frame_offset_ = offset_;
  if (offset_ >= end_) return Step::kEnd;
  size_t needed = kFramePrefixBytes;
  while (true) {
    const std::string_view available = std::string_view(buffer_).substr(offset_ - buffer_start_);
    switch (ParseFrame(available, frame, needed)) {
      case ParseStatus::kOk:
        if (offset_ + frame.size > end_) return Step::kBad;
        offset_ += frame.size;
        return Step::kFrame;
      case ParseStatus::kBad:
        return Step::kBad;
      case ParseStatus::kIncomplete:
        break;
    }
    if (offset_ + needed > end_) return Step::kBad;
    auto filled = Fill(needed);
    if (!filled) return std::unexpected(filled.error());
    if (!*filled) return Step::kBad;
  }
}

Result<bool> FrameReader::Fill(size_t needed) {
  buffer_.erase(0, offset_ - buffer_start_);
  buffer_start_ = offset_;
  size_t have = buffer_.size();
  const size_t want = static_cast<size_t>(std::min<uint64_t>(
      end_ - offset_, std::max<uint64_t>(needed, kReadChunkBytes)));
  buffer_.resize(want);
  while (have < want) {
    auto got = io_.PRead(fd_, buffer_start_ + have, std::span<char>(buffer_).subspan(have));
    if (!got) {
      buffer_.resize(have);
      return std::unexpected(got.error());
    }
    if (*got == 0) break;
    have += *got;
  }
  buffer_.resize(have);
  return have >= needed;
}

}  // namespace sluice::wal
