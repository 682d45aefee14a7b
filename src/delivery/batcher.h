#pragma once
// When to cut a batch from a stream's (or a partition's) buffer: Firehose's BufferingHints.

#include <cstdint>
#include <optional>

#include "core/clock.h"

namespace sluice::delivery {

// From BufferingHints: size_bytes = SizeInMBs * 1024 * 1024 and interval_ms =
// IntervalInSeconds * 1000. Interval 0 means "deliver as soon as possible". The size counts
// record bytes before compression, as Firehose does.
struct BufferPolicy {
  uint64_t size_bytes;
  int64_t interval_ms;
};

// Bookkeeping and decisions only: the Batcher holds no records. The delivery loop reports
// what became durable and what it sealed, and asks whether a batch is due and when to look
// again. Not thread-safe: owned by one delivery loop.
//
// A batch is due when the buffer is non-empty and either its bytes reached size_bytes, or
// interval_ms has passed since the arrival of the oldest buffered record (so interval 0 makes
// anything buffered due at once). Interval time is measured from arrival, not from the last
// seal, so a record that waited behind a partial seal is not kept longer than the interval.
class Batcher {
 public:
  Batcher(BufferPolicy policy, const Clock& clock);

  // Takes effect immediately for records already buffered (UpdateDestination at run time).
  void SetPolicy(BufferPolicy policy);
  const BufferPolicy& policy() const { return policy_; }

  // Records that became durable in the log. `arrival_ms` is the arrival of the earliest of
  // them (appends normally arrive in time order; an earlier time than the buffered oldest
  // still moves the oldest back).
  void OnAppended(uint64_t records, uint64_t bytes, int64_t arrival_ms);

  // A batch of the oldest `records`/`bytes` was sealed. `next_oldest_arrival_ms_or_0` is the
  // arrival of the oldest record still buffered, or 0 when the buffer is now empty. If records
  // remain but 0 is passed, the previous oldest arrival is kept: delivery may come early but
  // never late. Sealing more than is buffered empties the buffer.
  void OnSealed(uint64_t records, uint64_t bytes, int64_t next_oldest_arrival_ms_or_0);

  bool Due() const;

  // The time at which the buffer becomes due by the interval alone; nullopt when empty. May
  // be in the past (already due). A timer set to it does not need resetting on appends, only
  // on seals and policy changes.
  std::optional<int64_t> NextDeadlineMs() const;

  // The cut rule for a batch being assembled from the oldest records: a record joins while
  // the batch stays within size_bytes, and the first record always joins, so a record larger
  // than the size travels alone in its own batch instead of blocking the stream.
  bool FitsInBatch(uint64_t batch_bytes, uint64_t record_bytes) const;

  uint64_t buffered_bytes() const { return buffered_bytes_; }
  uint64_t buffered_records() const { return buffered_records_; }

 private:
  BufferPolicy policy_;
  const Clock& clock_;
  uint64_t buffered_records_ = 0;
  uint64_t buffered_bytes_ = 0;
  std::optional<int64_t> oldest_arrival_ms_;  // set exactly when buffered_records_ > 0
};

}  // namespace sluice::delivery
