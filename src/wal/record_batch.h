#pragma once
// Records read back from the log: one arena of payload bytes plus views into it.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::wal {

struct Entry {
  uint64_t seq;
  int64_t arrival_ms;
  std::string_view data;  // into the owning RecordBatch's arena
};

// Reusable: Clear() keeps the arena's and the entries' capacity, so a batch reused for every
// read allocates nothing per record once warm. Copying a batch would leave the copy's views
// pointing into the original, so it is move-only.
struct RecordBatch {
  std::string arena;
  std::vector<Entry> entries;

  RecordBatch() = default;
  RecordBatch(RecordBatch&&) = default;
  RecordBatch& operator=(RecordBatch&&) = default;
  RecordBatch(const RecordBatch&) = delete;
  RecordBatch& operator=(const RecordBatch&) = delete;

  void Clear();
  // Clear, and gives the memory back when the arena holds more than `retained_bytes`. (Assigning
  // an empty batch would not: libstdc++ moves an empty string into the arena's buffer, keeping it.)
  void Release(size_t retained_bytes);
  // Gives the memory of the arena's whole pages below `offset` back to the system, for a batch
  // consumed front to back (a std::string cannot give back part of its buffer): a reader done
  // with the records whose bytes end at `offset` no longer holds them while it goes on. Those
  // bytes read as zeros afterwards, so their entries must not be read again; Release the batch
  // once consumed. (Add appends, so the arena holds the entries' bytes in their order.)
  void ReleaseArenaBelow(size_t offset);
  // Copies `data` into the arena and appends an entry for it; keeps earlier views valid when the
  // arena grows.
  void Add(uint64_t seq, int64_t arrival_ms, std::string_view data);
};

}  // namespace sluice::wal
