#include "streams/partition_stage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "streams/field_codec.h"
#include "streams/test_support.h"
#include "wal/test_util.h"

namespace sluice::streams {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

std::string Id(std::string customer) { return PartitionId({{{"customer", std::move(customer)}}, {}}); }

// A stage over a log in a temporary directory, reopened at will as after a crash.
class PartitionStageTest : public ::testing::Test {
 protected:
  std::unique_ptr<PartitionStage> Open(delivery::BufferPolicy policy = {1024, 60'000}) {
    wal::Options options;
    options.dir = dir_.path() / "partitions";
    auto stage = PartitionStage::Open(std::move(options), policy, clock_);
    EXPECT_TRUE(stage) << stage.error().message;
    return std::move(*stage);
  }

  // Seals `id`, naming the object after the partition's customer and oldest arrival.
  static PartitionStage::Cut Seal(PartitionStage& stage, const std::string& id) {
    auto cut = stage.Seal(id, [](int64_t oldest_ms, const config::UsedPartitionKeys& keys) -> Result<SealedBatch> {
      SealedBatch sealed;
      sealed.bucket = "b";
      sealed.key = "c=" + keys.query.at("customer") + "/" + std::to_string(oldest_ms);
      return sealed;
    });
    EXPECT_TRUE(cut) << cut.error().message;
    return std::move(*cut);
  }

  // The records of `cut` as (arrival, data).
  static std::vector<std::pair<int64_t, std::string>> Records(PartitionStage& stage, const PartitionStage::Cut& cut) {
    wal::RecordBatch batch;
    EXPECT_TRUE(stage.Read(cut, batch));
    std::vector<std::pair<int64_t, std::string>> records;
    for (const auto& entry : batch.entries) records.emplace_back(entry.arrival_ms, std::string(entry.data));
    return records;
  }

  testing::TempDir dir_;
  ManualClock clock_{0};  // before every arrival of the tests: intervals never pass
};

TEST_F(PartitionStageTest, BuffersEachPartitionAcrossSourceBatchesUntilItsHintsAreMet) {
  auto stage = Open({10, 60'000});
  const std::string a = Id("a"), b = Id("b");
  ASSERT_TRUE(stage->Add(5, std::vector<PartitionStage::Input>{{a, 100, "a1"}, {a, 101, "a2"}, {b, 102, "b1"}}));
  EXPECT_EQ(stage->buffered_partitions(), 2u);
  EXPECT_EQ(stage->source_done_through(), 5u);
  EXPECT_FALSE(stage->Due(false));
  ASSERT_TRUE(stage->Add(9, std::vector<PartitionStage::Input>{{b, 103, "b2"}, {a, 104, "a3-long"}}));
  // a holds 11 bytes, over the 10 of its hints; b holds 4 and waits for its interval.
  EXPECT_EQ(stage->Due(false), a);
  const auto cut = Seal(*stage, a);
  EXPECT_EQ(cut.sealed.key, "c=a/100");
  EXPECT_EQ(cut.bytes, 11u);
  EXPECT_THAT(Records(*stage, cut), ElementsAre(Pair(100, "a1"), Pair(101, "a2"), Pair(104, "a3-long")));
  ASSERT_TRUE(stage->Delivered(cut));
  EXPECT_EQ(stage->buffered_partitions(), 1u);
  EXPECT_FALSE(stage->Due(false));
  EXPECT_EQ(stage->NextDeadlineMs(), 102 + 60'000);
  EXPECT_EQ(stage->Due(true), b);
}

TEST_F(PartitionStageTest, ACutIsReadInSlicesOfAtMostEightMiB) {
  auto stage = Open({64 << 20, 60'000});
  const std::string a = Id("a"), b = Id("b");
  // 20 MiB for a, interleaved with b's records, in two source batches.
  std::vector<std::string> data;
  for (int i = 0; i < 320; ++i) data.push_back(std::string(64 << 10, static_cast<char>('a' + i % 26)));
  std::vector<PartitionStage::Input> inputs;
  std::string expected;
  for (size_t i = 0; i < data.size(); ++i) {
    inputs.push_back({a, static_cast<int64_t>(i), data[i]});
    expected += data[i];
    if (i % 10 == 0) inputs.push_back({b, static_cast<int64_t>(i), "b"});
    if (i == 159 || i + 1 == data.size()) {
      ASSERT_TRUE(stage->Add(i, inputs));
      inputs.clear();
    }
  }
  const auto cut = Seal(*stage, a);
  EXPECT_EQ(cut.bytes, expected.size());
  std::string joined;
  size_t slices = 0;
  ASSERT_TRUE(stage->ReadSlices(cut, [&](const wal::RecordBatch& slice) -> Status {
    EXPECT_LE(slice.arena.size(), (8u << 20) + (64u << 10));
    EXPECT_EQ(slice.arena.size(), slice.entries.size() * (64u << 10));  // only a's records
    joined += slice.arena;
    ++slices;
    return {};
  }));
  EXPECT_GE(slices, 3u);
  EXPECT_TRUE(joined == expected);
  // An error of the caller's ends the reading and is returned.
  slices = 0;
  const auto stopped = stage->ReadSlices(cut, [&](const wal::RecordBatch&) -> Status {
    ++slices;
    return Fail(ErrorCode::kUnavailable, "store is down");
  });
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().message, "store is down");
  EXPECT_EQ(slices, 1u);
}

TEST_F(PartitionStageTest, ActivePartitionsAreTheBufferedOnes) {
  auto stage = Open();
  ASSERT_TRUE(stage->Add(1, std::vector<PartitionStage::Input>{{Id("a"), 1, "x"}}));
  const ActivePartitions active = stage->active();
  EXPECT_EQ(active.count, 1u);
  EXPECT_TRUE(active.contains(Id("a")));
  EXPECT_FALSE(active.contains(Id("b")));
}

TEST_F(PartitionStageTest, BuffersSealsAndTheSourceMarkSurviveARestart) {
  const std::string a = Id("a"), b = Id("b"), c = Id("c");
  PartitionStage::Cut sealed_a;
  {
    auto stage = Open();
    ASSERT_TRUE(stage->Add(3, std::vector<PartitionStage::Input>{{a, 10, "a1"}, {b, 11, "b1"}, {c, 12, "c1"}}));
    ASSERT_TRUE(stage->Add(7, std::vector<PartitionStage::Input>{{b, 13, "b2"}, {a, 14, "a2"}}));
    sealed_a = Seal(*stage, a);  // sealed, its object not stored: stored again after the restart
    const auto cut_c = Seal(*stage, c);
    ASSERT_TRUE(stage->Delivered(cut_c));  // stored: b's older record keeps the cursor below it
  }
  auto stage = Open();
  EXPECT_EQ(stage->source_done_through(), 7u);
  const auto recovered = stage->TakeRecovered();
  ASSERT_EQ(recovered.size(), 1u);
  EXPECT_EQ(recovered[0].id, a);
  EXPECT_EQ(recovered[0].sealed, sealed_a.sealed);
  EXPECT_EQ(sealed_a.bytes, 4u);
  EXPECT_EQ(recovered[0].bytes, 4u);
  EXPECT_THAT(Records(*stage, recovered[0]), ElementsAre(Pair(10, "a1"), Pair(14, "a2")));
  ASSERT_TRUE(stage->Delivered(recovered[0]));
  EXPECT_EQ(stage->buffered_partitions(), 1u);
  ASSERT_EQ(stage->Due(true), b);
  EXPECT_THAT(Records(*stage, Seal(*stage, b)), ElementsAre(Pair(11, "b1"), Pair(13, "b2")));
}

TEST_F(PartitionStageTest, NothingIsRedeliveredOnceEveryCutIsStored) {
  const std::string a = Id("a");
  {
    auto stage = Open();
    ASSERT_TRUE(stage->Add(2, std::vector<PartitionStage::Input>{{a, 10, "a1"}}));
    ASSERT_TRUE(stage->Delivered(Seal(*stage, a)));
  }
  auto stage = Open();
  EXPECT_TRUE(stage->TakeRecovered().empty());
  EXPECT_EQ(stage->buffered_partitions(), 0u);
  EXPECT_EQ(stage->source_done_through(), 2u);  // the newest marker is kept readable
}

TEST_F(PartitionStageTest, RecordsOfASourceBatchWithoutItsMarkerAreVoid) {
  const std::string a = Id("a");
  {
    auto stage = Open();
    ASSERT_TRUE(stage->Add(2, std::vector<PartitionStage::Input>{{a, 10, "kept"}}));
  }
  {
    // A crash in the middle of the next batch's write: its records are in, its marker is not.
    wal::Options options;
    options.dir = dir_.path() / "partitions";
    auto log = wal::Log::Open(std::move(options));
    ASSERT_TRUE(log);
    std::string torn(1, '\x01');  // a record of partition a
    AppendU64(torn, 11);
    AppendField(torn, a);
    torn += "lost";
    const std::string_view records[] = {torn};
    ASSERT_TRUE((*log)->AppendAndWait(records, 11));
  }
  for (int restart = 0; restart < 2; ++restart) {  // the void stays void after later batches
    auto stage = Open();
    EXPECT_EQ(stage->source_done_through(), 2u + restart);
    EXPECT_EQ(stage->buffered_partitions(), 1u);
    if (restart == 0) {
      ASSERT_TRUE(stage->Add(3, std::vector<PartitionStage::Input>{{a, 12, "again"}}));
    } else {
      EXPECT_THAT(Records(*stage, Seal(*stage, a)), ElementsAre(Pair(10, "kept"), Pair(12, "again")));
    }
  }
}

TEST_F(PartitionStageTest, ACutWhoseStoredMarkerFailedKeepsTheCursorBelowItsRecords) {
  wal::testing::FaultyFileIo io;
  const std::string a = Id("a"), b = Id("b"), c = Id("c");
  {
    wal::Options options;
    options.dir = dir_.path() / "partitions";
    options.io = &io;
    auto stage = PartitionStage::Open(std::move(options), {1024, 60'000}, clock_);
    ASSERT_TRUE(stage);
    ASSERT_TRUE((*stage)->Add(1, std::vector<PartitionStage::Input>{{a, 10, "a1"}, {b, 11, "b1"}}));
    ASSERT_TRUE((*stage)->Add(2, std::vector<PartitionStage::Input>{{c, 12, "c1"}}));
    ASSERT_TRUE((*stage)->Add(3, std::vector<PartitionStage::Input>{{a, 13, "a2"}}));
    const auto cut_a = Seal(**stage, a);
    const auto cut_b = Seal(**stage, b);
    io.FailWrites(EIO);
    EXPECT_FALSE((*stage)->Delivered(cut_a));  // a's object is stored, the marker saying so is not
    io.FailWrites(0);
    // Stored too; the cursor must not pass a's records (a's seal is still pending for a restart).
    EXPECT_TRUE((*stage)->Delivered(cut_b));
  }
  auto stage = Open();
  const auto recovered = stage->TakeRecovered();
  ASSERT_FALSE(recovered.empty());
  EXPECT_EQ(recovered[0].id, a);
  EXPECT_THAT(Records(*stage, recovered[0]), ElementsAre(Pair(10, "a1"), Pair(13, "a2")));
}

TEST_F(PartitionStageTest, AnUnknownRecordInTheLogIsReportedNotGuessed) {
  {
    wal::Options options;
    options.dir = dir_.path() / "partitions";
    auto log = wal::Log::Open(std::move(options));
    ASSERT_TRUE(log);
    const std::string_view records[] = {"\x09future"};
    ASSERT_TRUE((*log)->AppendAndWait(records, 1));
  }
  wal::Options options;
  options.dir = dir_.path() / "partitions";
  auto stage = PartitionStage::Open(std::move(options), {1024, 0}, clock_);
  ASSERT_FALSE(stage);
  EXPECT_EQ(stage.error().code, ErrorCode::kCorruption);
  EXPECT_THAT(stage.error().message, ::testing::HasSubstr("partition log record 1"));
}

}  // namespace
}  // namespace sluice::streams
