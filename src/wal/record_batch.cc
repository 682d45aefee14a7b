#include "wal/record_batch.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

namespace sluice::wal {

void RecordBatch::Clear() {
  arena.clear();
  entries.clear();
}

void RecordBatch::Release(size_t retained_bytes) {
  Clear();
  if (arena.capacity() <= retained_bytes) return;
  std::string().swap(arena);
  std::vector<Entry>().swap(entries);
}

void RecordBatch::ReleaseArenaBelow(size_t offset) {
  static const uintptr_t kPage = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  // Whole pages inside the buffer only: the allocator's bookkeeping lies just before it, and
  // the bytes from `offset` on are still to be read.
  const auto base = reinterpret_cast<uintptr_t>(arena.data());
  const uintptr_t begin = (base + kPage - 1) / kPage * kPage;
  const uintptr_t end = (base + std::min(offset, arena.size())) / kPage * kPage;
  // Should the kernel refuse, the pages merely stay resident until the batch is released.
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

void RecordBatch::Add(uint64_t seq, int64_t arrival_ms, std::string_view data) {
  // Offsets are taken as integers: after a reallocation the old pointers may not be used.
  const auto old_base = reinterpret_cast<uintptr_t>(arena.data());
  const size_t offset = arena.size();
  arena.append(data);
  if (reinterpret_cast<uintptr_t>(arena.data()) != old_base) {
    for (auto& entry : entries) {
      const size_t entry_offset = reinterpret_cast<uintptr_t>(entry.data.data()) - old_base;
      entry.data = std::string_view(arena.data() + entry_offset, entry.data.size());
    }
  }
  entries.push_back({seq, arrival_ms, std::string_view(arena.data() + offset, data.size())});
}

}  // namespace sluice::wal
