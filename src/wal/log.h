#pragma once
// A stream's write-ahead log: records are appended with group commit, read back by seq, grouped
// into sealed batches, and reclaimed once delivered. Format and recovery rules:
// docs/wal-format.md.
//
// Durability contract: an Append's `done` reports success only after every record of the call
// is written and (in Durability::kFsync) fdatasync'ed. Once a write or sync fails, nothing that
// was not made durable is ever acknowledged (see "Failures" in docs/wal-format.md).

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/result.h"
#include "wal/file_io.h"
#include "wal/record_batch.h"
#include "wal/recovery.h"
#include "wal/segment.h"

namespace sluice::wal {

enum class Durability {
  kFsync,  // fdatasync before acknowledging (default): survives power loss
  kOs,     // acknowledge once in the page cache: survives a process crash, not power loss
};

struct Options {
  std::filesystem::path dir;
  uint64_t segment_bytes = 64ull << 20;  // roll to a new segment once the active one reaches this
  uint64_t quota_bytes = 0;              // cap on segment bytes on disk (spares aside); 0 = unlimited
  Durability durability = Durability::kFsync;
  FileIo* io = nullptr;  // nullptr = the real file system; not owned, must outlive the log
};

struct Stats {
  uint64_t disk_bytes = 0;  // all segment files
  uint64_t segments = 0;
  uint64_t appended_records = 0;  // since Open
  uint64_t appended_bytes = 0;    // record payload bytes since Open
  uint64_t group_commits = 0;     // successful writes (each one write + one fdatasync)
  uint64_t rejected_by_quota = 0;  // Append calls refused at the quota
};

// Thread-safe: every method may be called from any thread, except that Seal, AppendAndWait and
// MarkDelivered must not be called from an AppendDone callback (they wait for the writer
// thread, which runs the callbacks; they return kInternal if tried).
class Log {
 public:
  // Creates `dir` if missing and runs recovery (report: recovery()).
  static Result<std::unique_ptr<Log>> Open(Options options);

  // Receives the seq of the call's first record; the call's records have consecutive seqs.
  using AppendDone = std::function<void(Result<uint64_t> first_seq)>;

  // Copies the records into the commit queue and returns without waiting. `done` runs exactly
  // once: on the caller's thread before Append returns if the call is refused up front
  // (kInvalidArgument: no records or one too large; kUnavailable: quota reached or log closing;
  // kIo: the log failed earlier), otherwise on the writer thread once the records are durable
  // (or with kIo if writing them failed). All or nothing per call.
  void Append(std::span<const std::string_view> records, int64_t arrival_ms, AppendDone done);
  Result<uint64_t> AppendAndWait(std::span<const std::string_view> records, int64_t arrival_ms);

  // Records that [first_seq, last_seq] form one batch described by `descriptor` (opaque to the
  // log). Durable when it returns. Not subject to the quota: delivering sealed batches is what
  // frees space. last_seq must have been appended, first_seq must be above the cursor.
  Status Seal(uint64_t first_seq, uint64_t last_seq, std::string_view descriptor);

  // Appends to `out` the durable records with seq in [from_seq, through_seq], in order. Stops
  // before a record that would take this call's payload bytes over `max_bytes`, but returns at
  // least one record if any is available. Reading on from where the previous call stopped
  // costs no scan. Seqs lost to a recovery cut are skipped. kCorruption if a frame fails its
  // checksum (the disk changed under the log).
  Status Read(uint64_t from_seq, uint64_t through_seq, uint64_t max_bytes, RecordBatch& out);

  // The same records as Read with the same arguments, handed to `each` instead of copied: the
  // payload view is valid during the call only. For a pass that needs records' sizes or
  // arrivals, not their bytes (measuring a batch before it is read again to be delivered).
  using RecordVisitor = std::function<void(uint64_t seq, int64_t arrival_ms, std::string_view payload)>;
  Status Visit(uint64_t from_seq, uint64_t through_seq, uint64_t max_bytes, const RecordVisitor& each);

  uint64_t LastDurableSeq() const;

  // Records that everything at or below `seq` is delivered: writes the cursor atomically, then
  // deletes every segment whose frames all refer to seqs at or below it. If that includes the
  // active segment, the log first rolls to a fresh one so the space is really freed. The cursor
  // only moves forward; `seq` must not exceed LastDurableSeq().
  Status MarkDelivered(uint64_t seq);

  const RecoveryReport& recovery() const { return recovery_; }
  Stats GetStats() const;

  // Writes everything queued (completing each `done`), then stops the writer thread.
  ~Log();

  Log(const Log&) = delete;
  Log& operator=(const Log&) = delete;

 private:
  struct Waiter {
    AppendDone done;
    uint64_t first_seq;
  };
  // What one write + sync covers. Two instances swap roles (queueing, being written) so their
  // buffers are reused.
  struct Group {
    std::string frames;
    std::vector<Waiter> waiters;
    std::vector<IndexPoint> marks;  // record offsets relative to `frames`, one per index stride
    uint64_t next_mark_offset = 0;
    uint64_t first_record_seq = 0;  // 0: no record
    uint64_t last_record_seq = 0;
    uint64_t max_ref_seq = 0;
    uint64_t records = 0;
    uint64_t record_bytes = 0;
    uint64_t quota_bytes = 0;  // frame bytes reserved against the quota
    bool roll_if_delivered = false;

    void Clear();
  };
  struct ReadPosition {
    uint64_t next_seq = 0;  // 0: nothing cached
    uint64_t segment_base = 0;
    uint64_t offset = 0;
  };

  Log(Options options, FileIo& io, Recovered recovered);

  void WriterLoop();
  Status WriteGroup(Group& group);
  // Rolls before writing `group` if the active segment is full, or fully delivered and asked.
  Status MaybeRoll(const Group& group);
  // Fails `group` and everything queued behind it; sticky failures refuse all later appends.
  void FailQueued(Group& group, const Error& error, bool sticky);
  // Removes deletable non-active segments from segments_; the caller disposes of them after
  // unlocking mu_.
  std::vector<Segment> TakeReclaimableLocked();
  // Keeps delivered segment files as spares for later segments (see spares_), deletes the rest.
  void Dispose(std::vector<Segment> segments);
  // Cuts a recycled active segment's file to what was written to it (writer thread, or after it
  // stopped).
  void CutStaleTail();
  // Takes the spare files an earlier run left (deleting any beyond the limit).
  void AdoptSpares();
  // A new active segment named after `base_seq`: a spare written over, or a new file.
  Result<Segment> NextSegment(uint64_t base_seq);
  // Runs `enqueue` under mu_ to add one waiter, then waits for the writer to complete it.
  Result<uint64_t> WaitForWriter(const std::function<Status(Group&)>& enqueue);
  bool OnWriterThread() const { return std::this_thread::get_id() == writer_.get_id(); }

  const Options options_;
  FileIo& io_;
  const RecoveryReport recovery_;

  mutable std::mutex mu_;  // guards everything below up to writer_, and segments_' contents
  std::condition_variable wake_writer_;
  Group pending_;
  uint64_t next_seq_;
  uint64_t durable_seq_;
  uint64_t delivered_through_;
  uint64_t disk_bytes_ = 0;
  uint64_t reserved_bytes_ = 0;  // record frames queued or being written
  std::vector<Segment> segments_;  // sorted by base_seq; back() is the active segment
  // Delivered segment files of full size that no reader holds, renamed "spare-*", to be written
  // over by later segments: a file whose blocks and cached pages exist already costs much less
  // to write (and fdatasync) than a new one. Not counted in disk_bytes_ (the quota).
  std::vector<Segment> spares_;
  std::optional<Error> failed_;
  bool stopping_ = false;
  Stats stats_;

  Group writing_;  // owned by the writer thread
  std::thread writer_;

  std::mutex read_mu_;  // serialises Read; guards the two members below
  ReadPosition read_position_;
  std::string read_buffer_;

  std::mutex cursor_mu_;  // serialises MarkDelivered's cursor writes
};

}  // namespace sluice::wal
