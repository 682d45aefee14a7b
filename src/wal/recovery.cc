#include "wal/recovery.h"

#include <algorithm>
#include <utility>

#include "core/log.h"
#include "wal/cursor.h"
#include "wal/frame_reader.h"

namespace sluice::wal {
namespace {

constexpr std::string_view kComponent = "wal";

struct SeqRange {
  uint64_t first;
  uint64_t last;
};

class Scanner {
 public:
  Scanner(FileIo& io, Recovered& out) : io_(io), out_(out) {}

  Status ScanSegment(Segment& segment);
  Status CountUnsealed();
  uint64_t highest_ref() const { return highest_ref_; }

 private:
  // False if the frame breaks the log's ordering rules (treated like a bad checksum).
  bool AcceptRecord(Segment& segment, const FrameView& frame, uint64_t offset);
  bool AcceptSeal(Segment& segment, const FrameView& frame);
  Status Cut(Segment& segment, uint64_t offset);

  FileIo& io_;
  Recovered& out_;
  std::string buffer_;
  uint64_t last_record_seq_ = 0;
  uint64_t highest_ref_ = 0;
  std::vector<SeqRange> missing_;
};

bool Scanner::AcceptRecord(Segment& segment, const FrameView& frame, uint64_t offset) {
  if (frame.seq < segment.base_seq || frame.seq <= last_record_seq_) return false;
  const uint64_t expected = std::max(last_record_seq_, out_.report.delivered_through) + 1;
  if (frame.seq > expected) {
    missing_.push_back({expected, frame.seq - 1});
    out_.report.missing_records += frame.seq - expected;
  }
  last_record_seq_ = frame.seq;
  highest_ref_ = std::max(highest_ref_, frame.seq);
  segment.NoteRecord(frame.seq, offset);
  return true;
}

bool Scanner::AcceptSeal(Segment& segment, const FrameView& frame) {
  SealPayload seal;
  if (!ParseSealPayload(frame.payload, seal) || frame.seq == 0 || seal.last_seq < frame.seq) {
    return false;
  }
  segment.max_ref_seq = std::max(segment.max_ref_seq, seal.last_seq);
  highest_ref_ = std::max(highest_ref_, seal.last_seq);
  if (seal.last_seq <= out_.report.delivered_through) return true;
  // A seal is written after its records, so any of them not seen by now were lost to a cut.
  const bool complete =
      seal.last_seq <= last_record_seq_ &&
      std::none_of(missing_.begin(), missing_.end(), [&](const SeqRange& gap) {
        return gap.first <= seal.last_seq && gap.last >= frame.seq;
      });
  if (complete) {
    out_.report.pending_seals.push_back(
        {frame.seq, seal.last_seq, std::string(seal.descriptor)});
  } else {
    ++out_.report.dropped_seals;
  }
  return true;
}

Status Scanner::Cut(Segment& segment, uint64_t offset) {
  const uint64_t cut = segment.size - offset;
  Log(LogLevel::kWarn, kComponent,
      "cutting " + std::to_string(cut) + " bytes from " + segment.path.string() +
          " at offset " + std::to_string(offset) + ": the frame there is torn or corrupt");
  if (auto truncated = io_.Truncate(segment.file->fd(), offset); !truncated) {
    return Fail(ErrorCode::kIo, "cannot cut the bad tail of " + segment.path.string() + ": " +
                                    truncated.error().message);
  }
  if (auto synced = io_.DataSync(segment.file->fd()); !synced) {
    return Fail(ErrorCode::kIo, "cannot sync " + segment.path.string() + " after cutting it: " +
                                    synced.error().message);
  }
  segment.size = offset;
  out_.report.torn_bytes_cut += cut;
  ++out_.report.corrupt_tails;
  return {};
}

Status Scanner::ScanSegment(Segment& segment) {
  FrameReader reader(io_, segment.file->fd(), 0, segment.size, buffer_);
  FrameView frame;
  while (true) {
    auto step = reader.Next(frame);
    if (!step) {
      return Fail(ErrorCode::kIo,
                  "cannot read " + segment.path.string() + ": " + step.error().message);
    }
    if (*step == FrameReader::Step::kEnd) return {};
    const bool accepted = *step == FrameReader::Step::kFrame &&
                          (frame.kind == FrameKind::kRecord
                               ? AcceptRecord(segment, frame, reader.frame_offset())
                               : AcceptSeal(segment, frame));
    if (!accepted) return Cut(segment, reader.frame_offset());
  }
}

Status Scanner::CountUnsealed() {
  uint64_t threshold = out_.report.delivered_through;
  for (const auto& seal : out_.report.pending_seals) threshold = std::max(threshold, seal.last_seq);
  auto& report = out_.report;
  auto& segments = out_.segments;
  if (segments.empty() || last_record_seq_ <= threshold) return {};
  for (size_t i = FindSegment(segments, threshold + 1); i < segments.size(); ++i) {
    const Segment& segment = segments[i];
    const uint64_t start = segment.base_seq <= threshold + 1 ? segment.ScanStart(threshold + 1) : 0;
    FrameReader reader(io_, segment.file->fd(), start, segment.size, buffer_);
    FrameView frame;
    while (true) {
      auto step = reader.Next(frame);
      if (!step) return std::unexpected(step.error());
      if (*step != FrameReader::Step::kFrame) break;
      if (frame.kind != FrameKind::kRecord || frame.seq <= threshold) continue;
      if (report.unsealed_records++ == 0) report.oldest_unsealed_arrival_ms = frame.arrival_ms;
      report.unsealed_bytes += frame.payload.size();
    }
  }
  return {};
}

Result<std::vector<Segment>> OpenSegments(FileIo& io, const std::filesystem::path& dir) {
  auto names = io.ListDirectory(dir);
  if (!names) return std::unexpected(names.error());
  std::vector<Segment> segments;
  for (const auto& name : *names) {
    const auto base = ParseSegmentFileName(name);
    if (!base) continue;
    Segment segment;
    segment.base_seq = *base;
    segment.path = dir / name;
    auto fd = io.Open(segment.path, FileIo::Mode::kReadWrite);
    if (!fd) return std::unexpected(fd.error());
    segment.file = std::make_shared<SegmentFile>(io, *fd);
    auto size = io.Size(*fd);
    if (!size) return std::unexpected(size.error());
    segment.size = *size;
    segments.push_back(std::move(segment));
  }
  std::sort(segments.begin(), segments.end(),
            [](const Segment& a, const Segment& b) { return a.base_seq < b.base_seq; });
  return segments;
}

}  // namespace

Result<Recovered> Recover(FileIo& io, const std::filesystem::path& dir) {
  if (auto created = io.CreateDirectories(dir); !created) return std::unexpected(created.error());
  Recovered out;
  auto cursor = ReadCursor(io, dir);
  if (cursor) {
    out.report.delivered_through = cursor->value_or(0);
  } else if (cursor.error().code == ErrorCode::kCorruption) {
    Log(LogLevel::kError, kComponent,
        cursor.error().message + "; starting from 0, so batches still in the log may be "
                                 "delivered again");
    out.report.cursor_unreadable = true;
  } else {
    return std::unexpected(cursor.error());
  }
  auto segments = OpenSegments(io, dir);
  if (!segments) return std::unexpected(segments.error());
  out.segments = std::move(*segments);

  Scanner scanner(io, out);
  for (auto& segment : out.segments) {
    if (auto scanned = scanner.ScanSegment(segment); !scanned) {
      return std::unexpected(scanned.error());
    }
  }
  if (auto counted = scanner.CountUnsealed(); !counted) return std::unexpected(counted.error());
  uint64_t last_used = std::max(scanner.highest_ref(), out.report.delivered_through);
  if (!out.segments.empty() && out.segments.back().base_seq > 0) {
    last_used = std::max(last_used, out.segments.back().base_seq - 1);
  }
  out.report.next_seq = last_used + 1;
  return out;
}

}  // namespace sluice::wal
