#pragma once
// The second stage of a dynamically partitioning stream: a buffer per partition.
//
// The stream transforms the records of its own log in batches cut by the processors' buffering
// and hands each batch's records, with their partition ids, to this stage. The stage keeps them
// in a log of its own (group-committed like any record) and buffers them per partition, each
// partition cut by the stream's BufferingHints. A cut partition is sealed in that log before its
// object is stored, so after a crash the same object is stored again under the same key, and the
// partitions still buffering are rebuilt from the log. Record layouts: docs/wal-format.md.
//
// Not thread-safe: owned by the stream's delivery loop.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/prefix_template.h"
#include "core/clock.h"
#include "core/result.h"
#include "delivery/batcher.h"
#include "streams/partitioner.h"
#include "streams/sealed_batch.h"
#include "wal/log.h"

namespace sluice::streams {

class PartitionStage {
 public:
  // Consecutive records of one partition in the stage's log.
  struct Run {
    uint64_t first_seq;
    uint64_t last_seq;
  };
  // A partition's records cut for one object, and the object's name once sealed.
  struct Cut {
    std::string id;
    config::UsedPartitionKeys keys;
    std::vector<Run> runs;
    SealedBatch sealed;
    uint64_t bytes = 0;  // its records' data, back to back
  };
  // One transformed record for a partition.
  struct Input {
    std::string_view id;
    int64_t arrival_ms;
    std::string_view data;
  };
  // Names the object of a partition cut now: the stream's key for the oldest record's arrival,
  // with the partition's keys filled in.
  using Namer = std::function<Result<SealedBatch>(int64_t oldest_arrival_ms, const config::UsedPartitionKeys& keys)>;

  // Opens (or creates) the stage's log and rebuilds the buffers from it.
  static Result<std::unique_ptr<PartitionStage>> Open(wal::Options options, delivery::BufferPolicy policy,
                                                      const Clock& clock);

  // The last seq of the newest source batch whose records the stage holds (0: none known): a
  // source batch at or below it must not be added again after a crash.
  uint64_t source_done_through() const { return source_done_through_; }
  // Cuts sealed before a restart whose objects may not be stored: to store first, in order.
  std::vector<Cut> TakeRecovered() { return std::move(recovered_); }

  // Durably appends one source batch's records (those of one partition next to each other),
  // then a marker with the batch's last source seq; only then are they buffered.
  Status Add(uint64_t source_last_seq, std::span<const Input> records);

  ActivePartitions active() const;
  size_t buffered_partitions() const { return buffers_.size(); }
  void SetPolicy(delivery::BufferPolicy policy);
  // The earliest time a partition becomes due by its interval; nullopt when nothing is buffered.
  std::optional<int64_t> NextDeadlineMs() const;
  // The id of a partition due for delivery (with `all`, of any buffered one); nullopt if none.
  std::optional<std::string> Due(bool all) const;

  // Takes partition `id`'s buffered records out of its buffer, names their object and seals it.
  Result<Cut> Seal(const std::string& id, const Namer& name);
  // Appends the cut's records to `out` (seq: in the stage's log; data: as transformed).
  Status Read(const Cut& cut, wal::RecordBatch& out);
  // The cut's records in order, a slice of at most ~8 MiB at a time (so a cut of up to 128 MiB
  // is never whole in memory): each slice is valid during its call only. The first error, the
  // log's or `each`'s, ends the reading and is returned.
  using EachSlice = std::function<Status(const wal::RecordBatch& slice)>;
  Status ReadSlices(const Cut& cut, const EachSlice& each);
  // The cut's object and its failed records are stored: records that, and frees the log.
  Status Delivered(const Cut& cut);

  wal::Stats log_stats() const { return log_->GetStats(); }

 private:
  struct Buffer {
    Buffer(delivery::BufferPolicy policy, const Clock& clock) : batcher(policy, clock) {}
    delivery::Batcher batcher;
    config::UsedPartitionKeys keys;
    std::vector<Run> runs;
    int64_t oldest_arrival_ms = 0;
  };

  PartitionStage(std::unique_ptr<wal::Log> log, delivery::BufferPolicy policy, const Clock& clock);
  // Rebuilds buffers, recovered cuts and the source mark from the log above its cursor.
  Status Recover();
  // Adds one record of a partition to its buffer (a run grows when seqs follow each other).
  Status BufferRecord(std::string_view id, uint64_t seq, int64_t arrival_ms, uint64_t bytes);
  // The highest cursor that keeps every record still needed, and the newest source-done marker.
  uint64_t CursorTarget() const;
  Status MoveCursor(uint64_t target);

  std::unique_ptr<wal::Log> log_;
  delivery::BufferPolicy policy_;
  const Clock& clock_;
  std::map<std::string, Buffer, std::less<>> buffers_;
  std::map<uint64_t, uint64_t> sealed_;  // first seq -> last seq of cuts sealed, not yet stored
  std::vector<Cut> recovered_;
  uint64_t source_done_through_ = 0;
  uint64_t source_done_marker_seq_ = 0;  // seq of the newest source-done marker (kept in the log)
  uint64_t cursor_ = 0;
  wal::RecordBatch scratch_;  // the log's records, for ReadSlices and Recover
  wal::RecordBatch slice_;    // ReadSlices' records, as their partition has them
};

}  // namespace sluice::streams
