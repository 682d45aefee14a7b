#include "streams/partition_stage.h"

#include <algorithm>

#include "streams/field_codec.h"

namespace sluice::streams {
namespace {

// The first byte of each record in the stage's log.
enum class Kind : char {
  kRecord = 1,      // [u64 arrival_ms][u16 id length][id][data]
  kSourceDone = 2,  // [u64 last seq of the source batch]: its records above are complete
  kVoid = 3,        // the records above it since the last marker are void (their batch's end was lost)
  kStored = 4,      // [u64 first seq][u64 last seq]: the sealed cut's object is stored
};

constexpr uint64_t kReadChunkBytes = 8 << 20;

struct Decoded {
  Kind kind;
  uint64_t value = 0;   // kRecord: arrival_ms; kSourceDone: source seq; kStored: first seq
  uint64_t value2 = 0;  // kStored: last seq
  std::string_view id;
  std::string_view data;
};

bool Decode(std::string_view payload, Decoded& out) {
  if (payload.empty()) return false;
  out.kind = static_cast<Kind>(payload[0]);
  payload.remove_prefix(1);
  switch (out.kind) {
    case Kind::kRecord:
      if (!TakeU64(payload, out.value) || !TakeField(payload, out.id)) return false;
      out.data = payload;
      return true;
    case Kind::kSourceDone:
      return TakeU64(payload, out.value) && payload.empty();
    case Kind::kVoid:
      return payload.empty();
    case Kind::kStored:
      return TakeU64(payload, out.value) && TakeU64(payload, out.value2) && payload.empty();
  }
  return false;
}

std::string Marker(Kind kind, uint64_t value = 0, uint64_t value2 = 0) {
  std::string marker(1, static_cast<char>(kind));
  if (kind != Kind::kVoid) AppendU64(marker, value);
  if (kind == Kind::kStored) AppendU64(marker, value2);
  return marker;
}

Error Corrupt(uint64_t seq, std::string_view what) {
  return {ErrorCode::kCorruption, "partition log record " + std::to_string(seq) + ": " + std::string(what)};
}

void Extend(std::vector<PartitionStage::Run>& runs, uint64_t seq) {
  if (!runs.empty() && runs.back().last_seq + 1 == seq) {
    runs.back().last_seq = seq;
  } else {
    runs.push_back({seq, seq});
  }
}

}  // namespace

Result<std::unique_ptr<PartitionStage>> PartitionStage::Open(wal::Options options, delivery::BufferPolicy policy,
                                                             const Clock& clock) {
  auto log = wal::Log::Open(std::move(options));
  if (!log) return std::unexpected(log.error());
  std::unique_ptr<PartitionStage> stage(new PartitionStage(std::move(*log), policy, clock));
  if (auto recovered = stage->Recover(); !recovered) return std::unexpected(recovered.error());
  return stage;
}

PartitionStage::PartitionStage(std::unique_ptr<wal::Log> log, delivery::BufferPolicy policy, const Clock& clock)
    : log_(std::move(log)), policy_(policy), clock_(clock), cursor_(log_->recovery().delivered_through) {}

Status PartitionStage::Recover() {
  // Seals above the cursor: their records are theirs, not a buffer's; each object is stored
  // again unless a stored marker says it was.
  std::vector<Cut> pending;
  std::vector<Run> pending_ranges;  // each pending seal's range
  std::map<std::string, std::vector<size_t>, std::less<>> pending_by_id;
  for (const auto& seal : log_->recovery().pending_seals) {
    std::string_view descriptor = seal.descriptor;
    std::string_view id;
    std::optional<SealedBatch> sealed;
    config::UsedPartitionKeys keys;
    if (!TakeField(descriptor, id) || !ParsePartitionId(id, keys) || !(sealed = SealedBatch::Decode(descriptor))) {
      return std::unexpected(Corrupt(seal.first_seq, "unreadable partition seal"));
    }
    pending_by_id[std::string(id)].push_back(pending.size());
    pending.push_back({std::string(id), std::move(keys), {}, std::move(*sealed)});
    pending_ranges.push_back({seal.first_seq, seal.last_seq});
  }
  // The pending seal holding record `seq` of partition `id`, or nullptr.
  const auto owner = [&](std::string_view id, uint64_t seq) -> Cut* {
    const auto it = pending_by_id.find(id);
    if (it == pending_by_id.end()) return nullptr;
    for (const size_t i : it->second) {
      if (pending_ranges[i].first_seq <= seq && seq <= pending_ranges[i].last_seq) return &pending[i];
    }
    return nullptr;
  };
  // Records since the last marker: buffered only once their source batch's marker follows.
  struct Held {
    uint64_t seq;
    std::string id;
    int64_t arrival_ms;
    uint64_t bytes;
  };
  std::vector<Held> held;
  std::vector<uint64_t> stored;
  const uint64_t last = log_->LastDurableSeq();
  for (uint64_t from = cursor_ + 1; from <= last;) {
    scratch_.Clear();
    if (auto read = log_->Read(from, last, kReadChunkBytes, scratch_); !read) return read;
    if (scratch_.entries.empty()) break;
    for (const wal::Entry& entry : scratch_.entries) {
      Decoded record;
      if (!Decode(entry.data, record)) return std::unexpected(Corrupt(entry.seq, "unknown or malformed record"));
      switch (record.kind) {
        case Kind::kRecord:
          held.push_back({entry.seq, std::string(record.id), static_cast<int64_t>(record.value), record.data.size()});
          break;
        case Kind::kSourceDone:
          for (const Held& h : held) {
            if (Cut* cut = owner(h.id, h.seq)) {
              Extend(cut->runs, h.seq);
              cut->bytes += h.bytes;
            } else if (auto buffered = BufferRecord(h.id, h.seq, h.arrival_ms, h.bytes); !buffered) {
              return buffered;
            }
          }
          held.clear();
          source_done_through_ = std::max(source_done_through_, record.value);
          source_done_marker_seq_ = entry.seq;
          break;
        case Kind::kVoid:
          held.clear();
          break;
        case Kind::kStored:
          stored.push_back(record.value);
          break;
      }
    }
    from = scratch_.entries.back().seq + 1;
  }
  if (!held.empty()) {
    // A source batch whose marker never became durable: its records here are void, and the
    // batch, still undelivered in the source log, is added again.
    const std::string marker = Marker(Kind::kVoid);
    const std::string_view markers[] = {marker};
    if (auto voided = log_->AppendAndWait(markers, clock_.NowMs()); !voided) return std::unexpected(voided.error());
  }
  for (size_t i = 0; i < pending.size(); ++i) {
    // A seal with no record left has nothing to store (the log drops seals whose records a
    // recovery cut, so this is only a guard).
    const bool done = pending[i].runs.empty() ||
                      std::find(stored.begin(), stored.end(), pending_ranges[i].first_seq) != stored.end();
    if (!done) {
      sealed_[pending_ranges[i].first_seq] = pending_ranges[i].last_seq;
      recovered_.push_back(std::move(pending[i]));
    }
  }
  return MoveCursor(CursorTarget());
}

Status PartitionStage::BufferRecord(std::string_view id, uint64_t seq, int64_t arrival_ms, uint64_t bytes) {
  auto it = buffers_.find(id);
  if (it == buffers_.end()) {
    it = buffers_.try_emplace(std::string(id), policy_, clock_).first;
    if (!ParsePartitionId(id, it->second.keys)) {
      buffers_.erase(it);
      return std::unexpected(Corrupt(seq, "unreadable partition id"));
    }
    it->second.oldest_arrival_ms = arrival_ms;
  }
  Buffer& buffer = it->second;
  buffer.batcher.OnAppended(1, bytes, arrival_ms);
  buffer.oldest_arrival_ms = std::min(buffer.oldest_arrival_ms, arrival_ms);
  Extend(buffer.runs, seq);
  return {};
}

Status PartitionStage::Add(uint64_t source_last_seq, std::span<const Input> records) {
  if (records.empty()) return {};
  // One arena for every payload and the marker, so a batch costs no allocation per record.
  size_t total = 0;
  for (const Input& record : records) total += 1 + 8 + 2 + record.id.size() + record.data.size();
  std::string arena;
  arena.reserve(total + 9);
  std::vector<std::string_view> payloads;
  payloads.reserve(records.size() + 1);
  for (const Input& record : records) {
    const size_t begin = arena.size();
    arena += static_cast<char>(Kind::kRecord);
    AppendU64(arena, static_cast<uint64_t>(record.arrival_ms));
    AppendField(arena, record.id);
    arena += record.data;
    payloads.emplace_back(arena.data() + begin, arena.size() - begin);
  }
  const size_t marker_begin = arena.size();
  arena += Marker(Kind::kSourceDone, source_last_seq);
  payloads.emplace_back(arena.data() + marker_begin, arena.size() - marker_begin);
  auto first_seq = log_->AppendAndWait(payloads, records.front().arrival_ms);
  if (!first_seq) return std::unexpected(first_seq.error());
  for (size_t i = 0; i < records.size(); ++i) {
    if (auto buffered = BufferRecord(records[i].id, *first_seq + i, records[i].arrival_ms, records[i].data.size());
        !buffered) {
      return buffered;
    }
  }
  source_done_through_ = source_last_seq;
  source_done_marker_seq_ = *first_seq + records.size();
  return {};
}

ActivePartitions PartitionStage::active() const {
  return {buffers_.size(), [this](std::string_view id) { return buffers_.contains(id); }};
}

void PartitionStage::SetPolicy(delivery::BufferPolicy policy) {
  policy_ = policy;
  for (auto& [id, buffer] : buffers_) buffer.batcher.SetPolicy(policy);
}

std::optional<int64_t> PartitionStage::NextDeadlineMs() const {
  std::optional<int64_t> deadline;
  for (const auto& [id, buffer] : buffers_) {
    const auto next = buffer.batcher.NextDeadlineMs();
    if (next && (!deadline || *next < *deadline)) deadline = next;
  }
  return deadline;
}

std::optional<std::string> PartitionStage::Due(bool all) const {
  for (const auto& [id, buffer] : buffers_) {
    if (all || buffer.batcher.Due()) return id;
  }
  return std::nullopt;
}

Result<PartitionStage::Cut> PartitionStage::Seal(const std::string& id, const Namer& name) {
  const auto it = buffers_.find(id);
  if (it == buffers_.end()) return InvalidArgument("no partition buffers records under this id");
  Buffer& buffer = it->second;
  auto sealed = name(buffer.oldest_arrival_ms, buffer.keys);
  if (!sealed) return std::unexpected(sealed.error());
  std::string descriptor;
  AppendField(descriptor, id);
  descriptor += sealed->Encode();
  const uint64_t first = buffer.runs.front().first_seq;
  const uint64_t last = buffer.runs.back().last_seq;
  if (auto seal = log_->Seal(first, last, descriptor); !seal) return std::unexpected(seal.error());
  Cut cut{id, std::move(buffer.keys), std::move(buffer.runs), std::move(*sealed), buffer.batcher.buffered_bytes()};
  buffers_.erase(it);
  sealed_[first] = last;
  return cut;
}

Status PartitionStage::Read(const Cut& cut, wal::RecordBatch& out) {
  return ReadSlices(cut, [&out](const wal::RecordBatch& slice) -> Status {
    for (const wal::Entry& entry : slice.entries) out.Add(entry.seq, entry.arrival_ms, entry.data);
    return {};
  });
}

Status PartitionStage::ReadSlices(const Cut& cut, const EachSlice& each) {
  for (const Run& run : cut.runs) {
    for (uint64_t from = run.first_seq; from <= run.last_seq;) {
      scratch_.Clear();
      if (auto read = log_->Read(from, run.last_seq, kReadChunkBytes, scratch_); !read) return read;
      if (scratch_.entries.empty() || scratch_.entries.front().seq != from) {
        return std::unexpected(Corrupt(from, "missing from the partition log"));
      }
      slice_.Clear();
      slice_.arena.reserve(scratch_.arena.size());
      for (const wal::Entry& entry : scratch_.entries) {
        Decoded record;
        if (!Decode(entry.data, record) || record.kind != Kind::kRecord || record.id != cut.id) {
          return std::unexpected(Corrupt(entry.seq, "not a record of this partition"));
        }
        slice_.Add(entry.seq, static_cast<int64_t>(record.value), record.data);
      }
      if (auto taken = each(slice_); !taken) return taken;
      from = scratch_.entries.back().seq + 1;
    }
  }
  return {};
}

Status PartitionStage::Delivered(const Cut& cut) {
  const uint64_t first = cut.runs.front().first_seq;
  const uint64_t last = cut.runs.back().last_seq;
  sealed_.erase(first);
  const uint64_t target = CursorTarget();
  // A seal above the cursor is redelivered after a crash unless a marker says it was stored;
  // once the cursor passes it, no marker is needed.
  if (target < last) {
    const std::string marker = Marker(Kind::kStored, first, last);
    const std::string_view markers[] = {marker};
    if (auto marked = log_->AppendAndWait(markers, clock_.NowMs()); !marked) {
      // Still pending after a restart, so the cursor must stay below all of its records.
      sealed_[first] = last;
      return std::unexpected(marked.error());
    }
  }
  return MoveCursor(target);
}

uint64_t PartitionStage::CursorTarget() const {
  uint64_t target = log_->LastDurableSeq();
  for (const auto& [id, buffer] : buffers_) target = std::min(target, buffer.runs.front().first_seq - 1);
  for (const auto& [first, last] : sealed_) target = std::min(target, first - 1);
  // The newest source-done marker stays readable: it tells a restart which source batches are in.
  if (source_done_marker_seq_ > 0) target = std::min(target, source_done_marker_seq_ - 1);
  return target;
}

Status PartitionStage::MoveCursor(uint64_t target) {
  if (target <= cursor_) return {};
  if (auto marked = log_->MarkDelivered(target); !marked) return marked;
  cursor_ = target;
  return {};
}

}  // namespace sluice::streams
