#include "wal/log.h"

#include <algorithm>
#include <future>
#include <utility>

#include "core/log.h"
#include "wal/cursor.h"
#include "wal/format.h"
#include "wal/frame_reader.h"

namespace sluice::wal {
namespace {

constexpr std::string_view kComponent = "wal";

Result<Segment> CreateSegment(FileIo& io, const std::filesystem::path& dir, uint64_t base_seq) {
  Segment segment;
  segment.base_seq = base_seq;
  segment.path = dir / SegmentFileName(base_seq);
  auto fd = io.Open(segment.path, FileIo::Mode::kCreateNew);
  if (!fd) return Fail(ErrorCode::kIo, "cannot create wal segment: " + fd.error().message);
  segment.file = std::make_shared<SegmentFile>(io, *fd);
  if (auto synced = io.SyncDirectory(dir); !synced) {
    return Fail(ErrorCode::kIo, "cannot make new wal segment " + segment.path.string() +
                                    " durable: " + synced.error().message);
  }
  return segment;
}

// Whether the segment holds a record and every frame in it is delivered.
bool WhollyDelivered(const Segment& segment, uint64_t delivered_through) {
  return segment.last_record_seq != 0 && segment.max_ref_seq <= delivered_through;
}

}  // namespace

void Log::Group::Clear() {
  frames.clear();
  waiters.clear();
  marks.clear();
  next_mark_offset = 0;
  first_record_seq = 0;
  last_record_seq = 0;
  max_ref_seq = 0;
  records = 0;
  record_bytes = 0;
  quota_bytes = 0;
  roll_if_delivered = false;
}

Result<std::unique_ptr<Log>> Log::Open(Options options) {
  if (options.dir.empty()) return InvalidArgument("wal option dir must name a directory");
  if (options.segment_bytes == 0) {
    return InvalidArgument("wal option segment_bytes must be at least 1 byte");
  }
  FileIo& io = options.io != nullptr ? *options.io : PosixFileIo();
  auto recovered = Recover(io, options.dir);
  if (!recovered) return std::unexpected(recovered.error());
  auto& segments = recovered->segments;
  const auto& report = recovered->report;
  // A fully delivered last segment is replaced so that it can be reclaimed: otherwise a log
  // at its quota with nothing left to deliver could never accept an append again.
  if (segments.empty() || WhollyDelivered(segments.back(), report.delivered_through)) {
    auto created = CreateSegment(io, options.dir, report.next_seq);
    if (!created) return std::unexpected(created.error());
    segments.push_back(std::move(*created));
  }
  return std::unique_ptr<Log>(new Log(std::move(options), io, std::move(*recovered)));
}

Log::Log(Options options, FileIo& io, Recovered recovered)
    : options_(std::move(options)),
      io_(io),
      recovery_(std::move(recovered.report)),
      next_seq_(recovery_.next_seq),
      durable_seq_(recovery_.next_seq - 1),
      delivered_through_(recovery_.delivered_through),
      segments_(std::move(recovered.segments)) {
  for (const auto& segment : segments_) disk_bytes_ += segment.size;
  std::vector<Segment> reclaimed;
  {
    std::lock_guard lock(mu_);
    reclaimed = TakeReclaimableLocked();
  }
  AdoptSpares();
  Dispose(std::move(reclaimed));
  writer_ = std::thread([this] { WriterLoop(); });
}

Log::~Log() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_writer_.notify_one();
  writer_.join();
  CutStaleTail();
}

void Log::CutStaleTail() {
  std::shared_ptr<SegmentFile> file;
  uint64_t size;
  {
    std::lock_guard lock(mu_);
    const Segment& active = segments_.back();
    if (!active.recycled) return;
    file = active.file;
    size = active.size;
  }
  // Without the cut, the next recovery would find the spare's earlier frames past the last one
  // written and report them as a torn tail. Failing only leaves that to recovery.
  if (!io_.Truncate(file->fd(), size)) return;
  std::lock_guard lock(mu_);
  segments_.back().recycled = false;
}

void Log::AdoptSpares() {
  auto names = io_.ListDirectory(options_.dir);
  if (!names) return;
  for (const std::string& name : *names) {
    if (!name.starts_with(kSparePrefix)) continue;
    const auto path = options_.dir / name;
    if (spares_.size() < kMaxSpareSegments) {
      if (auto fd = io_.Open(path, FileIo::Mode::kReadWrite)) {
        Segment spare;
        spare.path = path;
        spare.file = std::make_shared<SegmentFile>(io_, *fd);
        spares_.push_back(std::move(spare));
        continue;
      }
    }
    (void)io_.Remove(path);
  }
}

void Log::Append(std::span<const std::string_view> records, int64_t arrival_ms,
                 AppendDone done) {
  if (records.empty()) {
    done(InvalidArgument("wal append needs at least one record"));
    return;
  }
  uint64_t needed = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].size() > kMaxPayloadBytes) {
      done(InvalidArgument("record " + std::to_string(i) + " is " +
                           std::to_string(records[i].size()) +
                           " bytes; a wal record holds at most " +
                           std::to_string(kMaxPayloadBytes) + " bytes"));
      return;
    }
    needed += FrameSize(records[i].size());
  }
  std::unique_lock lock(mu_);
  if (failed_) {
    Error error = *failed_;
    lock.unlock();
    done(std::unexpected(std::move(error)));
    return;
  }
  if (stopping_) {
    lock.unlock();
    done(Fail(ErrorCode::kUnavailable, "wal " + options_.dir.string() + " is closing"));
    return;
  }
  const uint64_t in_use = disk_bytes_ + reserved_bytes_;
  if (options_.quota_bytes != 0 && in_use + needed > options_.quota_bytes) {
    ++stats_.rejected_by_quota;
    lock.unlock();
    done(Fail(ErrorCode::kUnavailable,
              "wal disk quota of " + std::to_string(options_.quota_bytes) + " bytes for " +
                  options_.dir.string() + " is reached: " + std::to_string(in_use) +
                  " bytes in use, this append needs " + std::to_string(needed) +
                  " more; space is freed as batches are delivered"));
    return;
  }
  Group& group = pending_;
  const uint64_t first_seq = next_seq_;
  if (group.first_record_seq == 0) group.first_record_seq = first_seq;
  for (const auto record : records) {
    if (group.frames.size() >= group.next_mark_offset) {
      group.marks.push_back({next_seq_, group.frames.size()});
      group.next_mark_offset = group.frames.size() + kIndexStrideBytes;
    }
    AppendFrame(group.frames, FrameKind::kRecord, next_seq_, arrival_ms, record);
    group.record_bytes += record.size();
    ++next_seq_;
  }
  group.last_record_seq = next_seq_ - 1;
  group.max_ref_seq = std::max(group.max_ref_seq, group.last_record_seq);
  group.records += records.size();
  group.quota_bytes += needed;
  reserved_bytes_ += needed;
  group.waiters.push_back({std::move(done), first_seq});
  lock.unlock();
  wake_writer_.notify_one();
}

Result<uint64_t> Log::WaitForWriter(const std::function<Status(Group&)>& enqueue) {
  if (OnWriterThread()) {
    return Fail(ErrorCode::kInternal,
                "a wal call that waits for the writer was made from an append callback");
  }
  std::promise<Result<uint64_t>> promise;
  auto future = promise.get_future();
  {
    std::lock_guard lock(mu_);
    if (failed_) return std::unexpected(*failed_);
    if (stopping_) {
      return Fail(ErrorCode::kUnavailable, "wal " + options_.dir.string() + " is closing");
    }
    if (auto queued = enqueue(pending_); !queued) return std::unexpected(queued.error());
    pending_.waiters.push_back(
        {[&promise](Result<uint64_t> result) { promise.set_value(std::move(result)); }, 0});
  }
  wake_writer_.notify_one();
  return future.get();
}

Result<uint64_t> Log::AppendAndWait(std::span<const std::string_view> records,
                                    int64_t arrival_ms) {
  if (OnWriterThread()) {
    return Fail(ErrorCode::kInternal, "AppendAndWait was called from an append callback");
  }
  std::promise<Result<uint64_t>> promise;
  auto future = promise.get_future();
  Append(records, arrival_ms,
         [&promise](Result<uint64_t> result) { promise.set_value(std::move(result)); });
  return future.get();
}

Status Log::Seal(uint64_t first_seq, uint64_t last_seq, std::string_view descriptor) {
  if (first_seq == 0 || first_seq > last_seq) {
    return InvalidArgument("wal seal range " + std::to_string(first_seq) + ".." +
                           std::to_string(last_seq) +
                           " is invalid: first_seq must be at least 1 and at most last_seq");
  }
  if (descriptor.size() > kMaxSealDescriptorBytes) {
    return InvalidArgument("wal seal descriptor is " + std::to_string(descriptor.size()) +
                           " bytes; at most " + std::to_string(kMaxSealDescriptorBytes) +
                           " are allowed");
  }
  auto sealed = WaitForWriter([&](Group& group) -> Status {
    if (last_seq >= next_seq_) {
      return InvalidArgument("wal seal last_seq " + std::to_string(last_seq) +
                             " was never appended; the highest appended seq is " +
                             std::to_string(next_seq_ - 1));
    }
    if (first_seq <= delivered_through_) {
      return InvalidArgument("wal seal first_seq " + std::to_string(first_seq) +
                             " is already delivered (cursor " +
                             std::to_string(delivered_through_) + ")");
    }
    AppendSealFrame(group.frames, first_seq, last_seq, /*arrival_ms=*/0, descriptor);
    group.max_ref_seq = std::max(group.max_ref_seq, last_seq);
    return {};
  });
  if (!sealed) return std::unexpected(sealed.error());
  return {};
}

uint64_t Log::LastDurableSeq() const {
  std::lock_guard lock(mu_);
  return durable_seq_;
}

Stats Log::GetStats() const {
  std::lock_guard lock(mu_);
  Stats stats = stats_;
  stats.disk_bytes = disk_bytes_;
  stats.segments = segments_.size();
  return stats;
}

void Log::WriterLoop() {
  std::unique_lock lock(mu_);
  while (true) {
    wake_writer_.wait(lock, [this] { return stopping_ || !pending_.waiters.empty(); });
    if (pending_.waiters.empty()) return;  // stopping, and everything queued is written
    std::swap(pending_, writing_);
    lock.unlock();
    const Status written = WriteGroup(writing_);
    for (auto& waiter : writing_.waiters) {
      if (written) {
        waiter.done(waiter.first_seq);
      } else {
        waiter.done(std::unexpected(written.error()));
      }
    }
    writing_.Clear();
    lock.lock();
  }
}

Status Log::MaybeRoll(const Group& group) {
  uint64_t base_seq;
  {
    std::lock_guard lock(mu_);
    const Segment& active = segments_.back();
    // A segment without records is never rolled: the new one would get the same name.
    const bool roll = active.last_record_seq != 0 &&
                      (active.size >= options_.segment_bytes ||
                       (group.roll_if_delivered && active.max_ref_seq <= delivered_through_));
    if (!roll) return {};
    // The next record written; every later one is higher, every earlier one lower.
    base_seq = group.first_record_seq != 0     ? group.first_record_seq
               : pending_.first_record_seq != 0 ? pending_.first_record_seq
                                                : next_seq_;
  }
  CutStaleTail();
  auto created = NextSegment(base_seq);
  if (!created) return std::unexpected(created.error());
  std::vector<Segment> reclaimed;
  {
    std::lock_guard lock(mu_);
    segments_.push_back(std::move(*created));
    reclaimed = TakeReclaimableLocked();
  }
  Dispose(std::move(reclaimed));
  return {};
}

Status Log::WriteGroup(Group& group) {
  if (auto rolled = MaybeRoll(group); !rolled) {
    FailQueued(group, rolled.error(), /*sticky=*/true);
    return rolled;
  }
  if (group.frames.empty()) return {};
  std::shared_ptr<SegmentFile> file;
  uint64_t offset;
  std::filesystem::path path;
  {
    std::lock_guard lock(mu_);
    file = segments_.back().file;
    offset = segments_.back().size;
    path = segments_.back().path;
  }
  Status status = PWriteAll(io_, file->fd(), offset, group.frames);
  bool sticky = false;
  if (status && options_.durability == Durability::kFsync) {
    status = io_.DataSync(file->fd());
    // After a failed fdatasync the kernel may have dropped the dirty pages and cleared the
    // error, so a retry could "succeed" without the data on disk: never write again.
    sticky = !status;
  }
  if (!status) {
    Error error{ErrorCode::kIo,
                "cannot write to wal segment " + path.string() + ": " + status.error().message};
    if (auto truncated = io_.Truncate(file->fd(), offset); !truncated) {
      sticky = true;
      error.message += "; cutting the partial write failed too: " + truncated.error().message;
    }
    FailQueued(group, error, sticky);
    return std::unexpected(std::move(error));
  }
  std::lock_guard lock(mu_);
  Segment& active = segments_.back();
  for (const auto& mark : group.marks) active.NoteRecord(mark.seq, offset + mark.offset);
  if (group.last_record_seq != 0) {
    active.last_record_seq = group.last_record_seq;
    durable_seq_ = group.last_record_seq;
  }
  active.max_ref_seq = std::max(active.max_ref_seq, group.max_ref_seq);
  active.size += group.frames.size();
  disk_bytes_ += group.frames.size();
  reserved_bytes_ -= group.quota_bytes;
  ++stats_.group_commits;
  stats_.appended_records += group.records;
  stats_.appended_bytes += group.record_bytes;
  return {};
}

void Log::FailQueued(Group& group, const Error& error, bool sticky) {
  ::sluice::Log(LogLevel::kError, kComponent, error.message);
  std::lock_guard lock(mu_);
  if (sticky && !failed_) {
    failed_ = Error{ErrorCode::kIo, "wal " + options_.dir.string() +
                                        " accepts no appends until reopened after a failure: " +
                                        error.message};
  }
  // Seqs handed out to the failed group and everything behind it are given out again; none of
  // those records reached the disk (the partial write was cut) or will be acknowledged.
  if (group.first_record_seq != 0) {
    next_seq_ = group.first_record_seq;
  } else if (pending_.first_record_seq != 0) {
    next_seq_ = pending_.first_record_seq;
  }
  reserved_bytes_ -= group.quota_bytes + pending_.quota_bytes;
  for (auto& waiter : pending_.waiters) group.waiters.push_back(std::move(waiter));
  pending_.Clear();
}

std::vector<Segment> Log::TakeReclaimableLocked() {
  const auto active = std::prev(segments_.end());
  const auto kept = std::stable_partition(segments_.begin(), active, [&](const Segment& s) {
    return s.max_ref_seq > delivered_through_;
  });
  std::vector<Segment> reclaimed(std::make_move_iterator(kept), std::make_move_iterator(active));
  for (const Segment& segment : reclaimed) disk_bytes_ -= segment.size;
  segments_.erase(kept, active);
  return reclaimed;
}

void Log::Dispose(std::vector<Segment> segments) {
  for (Segment& segment : segments) {
    bool keep;
    {
      std::lock_guard lock(mu_);
      // A reader still holding the file might read it while it is written over.
      keep = spares_.size() < kMaxSpareSegments && segment.size >= options_.segment_bytes &&
             segment.file.use_count() == 1;
    }
    if (keep) {
      const auto spare_path = options_.dir / (std::string(kSparePrefix) + std::to_string(segment.base_seq));
      if (io_.Rename(segment.path, spare_path)) {
        segment.path = spare_path;
        std::lock_guard lock(mu_);
        spares_.push_back(std::move(segment));
        continue;
      }
    }
    // A segment left behind is deleted by the next recovery, which finds it below the cursor.
    if (auto removed = io_.Remove(segment.path); !removed) {
      ::sluice::Log(LogLevel::kWarn, kComponent,
          "cannot delete delivered wal segment: " + removed.error().message);
    }
  }
}

Result<Segment> Log::NextSegment(uint64_t base_seq) {
  std::optional<Segment> spare;
  {
    std::lock_guard lock(mu_);
    if (!spares_.empty()) {
      spare = std::move(spares_.back());
      spares_.pop_back();
    }
  }
  if (!spare) return CreateSegment(io_, options_.dir, base_seq);
  Segment segment;
  segment.base_seq = base_seq;
  segment.path = options_.dir / SegmentFileName(base_seq);
  segment.file = std::move(spare->file);
  segment.recycled = true;
  if (auto renamed = io_.Rename(spare->path, segment.path); !renamed) {
    // Not a failure of the log: a new file does as well.
    (void)io_.Remove(spare->path);
    return CreateSegment(io_, options_.dir, base_seq);
  }
  if (auto synced = io_.SyncDirectory(options_.dir); !synced) {
    return Fail(ErrorCode::kIo, "cannot make wal segment " + segment.path.string() +
                                    " durable: " + synced.error().message);
  }
  return segment;
}

Status Log::MarkDelivered(uint64_t seq) {
  if (OnWriterThread()) {
    return Fail(ErrorCode::kInternal, "MarkDelivered was called from an append callback");
  }
  std::lock_guard cursor_lock(cursor_mu_);
  uint64_t current;
  {
    std::lock_guard lock(mu_);
    if (seq < delivered_through_) {
      return InvalidArgument("wal delivered seq " + std::to_string(seq) +
                             " is below the cursor " + std::to_string(delivered_through_) +
                             "; the cursor only moves forward");
    }
    if (seq > durable_seq_) {
      return InvalidArgument("wal delivered seq " + std::to_string(seq) +
                             " is beyond the last durable record " +
                             std::to_string(durable_seq_));
    }
    current = delivered_through_;
  }
  if (seq > current) {
    if (auto written = WriteCursor(io_, options_.dir, seq); !written) return written;
  }
  std::vector<Segment> reclaimed;
  bool roll;
  {
    std::lock_guard lock(mu_);
    delivered_through_ = seq;
    reclaimed = TakeReclaimableLocked();
    roll = WhollyDelivered(segments_.back(), seq) && !failed_;
  }
  Dispose(std::move(reclaimed));
  if (roll) {
    // The delivered state is durable already; a failed roll only delays reclaiming space (and
    // marks the log failed, which the next append reports).
    auto rolled = WaitForWriter([](Group& group) -> Status {
      group.roll_if_delivered = true;
      return {};
    });
    if (!rolled) {
      ::sluice::Log(LogLevel::kWarn, kComponent,
          "cannot roll the delivered wal segment: " + rolled.error().message);
    }
  }
  return {};
}

Status Log::Read(uint64_t from_seq, uint64_t through_seq, uint64_t max_bytes,
                 RecordBatch& out) {
  return Visit(from_seq, through_seq, max_bytes, [&out](uint64_t seq, int64_t arrival_ms, std::string_view payload) {
    out.Add(seq, arrival_ms, payload);
  });
}

Status Log::Visit(uint64_t from_seq, uint64_t through_seq, uint64_t max_bytes, const RecordVisitor& each) {
  from_seq = std::max<uint64_t>(from_seq, 1);
  std::lock_guard read_lock(read_mu_);
  std::shared_ptr<SegmentFile> file;
  std::filesystem::path path;
  uint64_t base = 0;
  uint64_t offset = 0;
  uint64_t end = 0;
  {
    std::lock_guard lock(mu_);
    through_seq = std::min(through_seq, durable_seq_);
    if (from_seq > through_seq) return {};
    size_t index = FindSegment(segments_, from_seq);
    const Segment* segment = &segments_[index];
    offset = segment->base_seq <= from_seq ? segment->ScanStart(from_seq) : 0;
    if (read_position_.next_seq == from_seq) {
      const size_t cached = FindSegment(segments_, read_position_.segment_base);
      if (segments_[cached].base_seq == read_position_.segment_base) {
        segment = &segments_[cached];
        offset = read_position_.offset;
      }
    }
    file = segment->file;
    path = segment->path;
    base = segment->base_seq;
    end = segment->size;
  }
  uint64_t bytes = 0;
  uint64_t returned = 0;
  uint64_t last_seq = 0;
  while (true) {
    FrameReader reader(io_, file->fd(), offset, end, read_buffer_);
    FrameView frame;
    bool done = false;
    while (!done) {
      auto step = reader.Next(frame);
      if (!step) {
        return Fail(ErrorCode::kIo, "cannot read " + path.string() + ": " + step.error().message);
      }
      if (*step == FrameReader::Step::kBad) {
        return Fail(ErrorCode::kCorruption,
                    "wal segment " + path.string() + " has a bad frame at offset " +
                        std::to_string(reader.frame_offset()) +
                        ", inside the part verified at open; the disk changed under the log");
      }
      offset = reader.next_offset();
      if (*step == FrameReader::Step::kEnd) break;
      if (frame.kind != FrameKind::kRecord || frame.seq < from_seq) continue;
      if (frame.seq > through_seq ||
          (returned > 0 && bytes + frame.payload.size() > max_bytes)) {
        offset = reader.frame_offset();
        done = true;
        break;
      }
      each(frame.seq, frame.arrival_ms, frame.payload);
      bytes += frame.payload.size();
      ++returned;
      last_seq = frame.seq;
      done = frame.seq == through_seq;
    }
    if (done) break;
    std::lock_guard lock(mu_);
    const auto next = std::upper_bound(
        segments_.begin(), segments_.end(), base,
        [](uint64_t b, const Segment& segment) { return b < segment.base_seq; });
    if (next == segments_.end()) break;
    file = next->file;
    path = next->path;
    base = next->base_seq;
    end = next->size;
    offset = 0;
  }
  if (returned > 0) read_position_ = {last_seq + 1, base, offset};
  return {};
}

}  // namespace sluice::wal
