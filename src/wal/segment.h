#pragma once
// One segment file of a log and what the log knows about it in memory.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wal/file_io.h"

namespace sluice::wal {

inline constexpr std::string_view kSegmentSuffix = ".seg";
inline constexpr size_t kSegmentNameDigits = 20;
// The log remembers the offset of one record per this many bytes, so a read that does not
// continue the previous one scans at most about this much of a segment.
inline constexpr uint64_t kIndexStrideBytes = 1u << 20;

// Delivered segment files kept for reuse are named "spare-<former base_seq>"; recovery ignores
// them.
inline constexpr std::string_view kSparePrefix = "spare-";
inline constexpr size_t kMaxSpareSegments = 2;

// "<base_seq as 20 zero-padded decimal digits>.seg"
std::string SegmentFileName(uint64_t base_seq);
// The base seq of a segment file name; nullopt for any other name.
std::optional<uint64_t> ParseSegmentFileName(std::string_view name);

// An open descriptor, closed when the last user lets go. Readers hold one while reading so a
// segment deleted by MarkDelivered meanwhile stays readable.
class SegmentFile {
 public:
  SegmentFile(FileIo& io, int fd) : io_(io), fd_(fd) {}
  ~SegmentFile();
  SegmentFile(const SegmentFile&) = delete;
  SegmentFile& operator=(const SegmentFile&) = delete;
  int fd() const { return fd_; }

 private:
  FileIo& io_;
  int fd_;
};

struct IndexPoint {
  uint64_t seq;
  uint64_t offset;
};

struct Segment {
  // No record in the file has a lower seq (seal frames carry their batch's first seq, which may
  // be lower).
  uint64_t base_seq = 0;
  std::filesystem::path path;
  std::shared_ptr<SegmentFile> file;
  // Bytes of whole, valid frames: everything a reader may look at.
  uint64_t size = 0;
  // A spare written over: past `size`, the file may still hold its earlier frames (cut away
  // when the segment is left, so only a crash leaves them for recovery to cut).
  bool recycled = false;
  uint64_t last_record_seq = 0;  // 0: no record yet
  // Highest seq any frame refers to (a record's seq or a seal's last seq). The segment may be
  // deleted once the delivered cursor reaches it.
  uint64_t max_ref_seq = 0;
  std::vector<IndexPoint> index;  // ascending

  void NoteRecord(uint64_t seq, uint64_t offset);
  // Offset from which a scan for `seq` should start (0 or an index point at or below it).
  uint64_t ScanStart(uint64_t seq) const;
};

// Index of the segment to scan for `seq` in `segments` (sorted by base_seq, non-empty): the
// last one whose base is at or below `seq`, or the first.
size_t FindSegment(const std::vector<Segment>& segments, uint64_t seq);

}  // namespace sluice::wal
