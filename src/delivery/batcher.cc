#include "delivery/batcher.h"

#include <algorithm>

namespace sluice::delivery {

Batcher::Batcher(BufferPolicy policy, const Clock& clock) : policy_(policy), clock_(clock) {}

void Batcher::SetPolicy(BufferPolicy policy) { policy_ = policy; }

void Batcher::OnAppended(uint64_t records, uint64_t bytes, int64_t arrival_ms) {
  if (records == 0) return;
  buffered_records_ += records;
  buffered_bytes_ += bytes;
  oldest_arrival_ms_ = oldest_arrival_ms_ ? std::min(*oldest_arrival_ms_, arrival_ms) : arrival_ms;
}

void Batcher::OnSealed(uint64_t records, uint64_t bytes, int64_t next_oldest_arrival_ms_or_0) {
  buffered_records_ -= std::min(records, buffered_records_);
  buffered_bytes_ -= std::min(bytes, buffered_bytes_);
  if (buffered_records_ == 0) {
    buffered_bytes_ = 0;
    oldest_arrival_ms_.reset();
  } else if (next_oldest_arrival_ms_or_0 != 0) {
    oldest_arrival_ms_ = next_oldest_arrival_ms_or_0;
  }
}

bool Batcher::Due() const {
  if (buffered_records_ == 0) return false;
  if (buffered_bytes_ >= policy_.size_bytes) return true;
  return clock_.NowMs() >= *NextDeadlineMs();
}

std::optional<int64_t> Batcher::NextDeadlineMs() const {
  if (!oldest_arrival_ms_) return std::nullopt;
  return *oldest_arrival_ms_ + policy_.interval_ms;
}

bool Batcher::FitsInBatch(uint64_t batch_bytes, uint64_t record_bytes) const {
  return batch_bytes == 0 || batch_bytes + record_bytes <= policy_.size_bytes;
}

}  // namespace sluice::delivery
