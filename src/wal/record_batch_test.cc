#include "wal/record_batch.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::wal {
namespace {

TEST(RecordBatchTest, ReleaseGivesALargeArenaBackAndKeepsASmallOne) {
  RecordBatch batch;
  const std::string record(1000, 'x');
  for (int i = 0; i < 1000; ++i) batch.Add(i, i, record);
  ASSERT_GE(batch.arena.capacity(), 1'000'000u);

  batch.Release(2'000'000);  // within the limit: cleared, memory kept for the next batch
  EXPECT_TRUE(batch.arena.empty());
  EXPECT_TRUE(batch.entries.empty());
  EXPECT_GE(batch.arena.capacity(), 1'000'000u);

  for (int i = 0; i < 1000; ++i) batch.Add(i, i, record);
  batch.Release(500'000);
  EXPECT_TRUE(batch.arena.empty());
  EXPECT_LT(batch.arena.capacity(), 1000u);
  EXPECT_EQ(batch.entries.capacity(), 0u);

  batch.Add(7, 8, "again");  // still usable
  ASSERT_EQ(batch.entries.size(), 1u);
  EXPECT_EQ(batch.entries[0].data, "again");
}

// Which of the pages wholly inside `bytes` are resident (mincore).
std::vector<bool> ResidentPages(std::string_view bytes) {
  const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = (reinterpret_cast<uintptr_t>(bytes.data()) + page - 1) / page * page;
  const auto end = (reinterpret_cast<uintptr_t>(bytes.data()) + bytes.size()) / page * page;
  std::vector<unsigned char> flags((end - begin) / page);
  EXPECT_EQ(::mincore(reinterpret_cast<void*>(begin), end - begin, flags.data()), 0);
  std::vector<bool> resident;
  for (const unsigned char flag : flags) resident.push_back((flag & 1) != 0);
  return resident;
}

TEST(RecordBatchTest, ReleaseArenaBelowGivesBackTheConsumedPagesOnly) {
  const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  RecordBatch batch;
  const std::string record(page / 2, 'x');
  for (int i = 0; i < 64; ++i) batch.Add(i, i, record);  // 32 pages of records, all written
  const std::vector<bool> before = ResidentPages(batch.arena);
  ASSERT_GE(before.size(), 30u);
  for (const bool resident : before) ASSERT_TRUE(resident);

  const size_t consumed = 40 * record.size();  // records 0..39 read
  batch.ReleaseArenaBelow(consumed);
  const std::vector<bool> after = ResidentPages(batch.arena);
  // The whole pages below `consumed` are gone; the page holding it and those above stay.
  const auto base = reinterpret_cast<uintptr_t>(batch.arena.data());
  const size_t first_page_offset = (base + page - 1) / page * page - base;
  for (size_t i = 0; i < after.size(); ++i) {
    const size_t page_end = first_page_offset + (i + 1) * page;
    EXPECT_EQ(after[i], page_end > consumed) << "page " << i;
  }
  // The records from the 40th on are intact.
  for (size_t i = 40; i < batch.entries.size(); ++i) ASSERT_EQ(batch.entries[i].data, record) << i;

  batch.Release(0);  // and the batch is released as usual
  EXPECT_TRUE(batch.entries.empty());
}

}  // namespace
}  // namespace sluice::wal
