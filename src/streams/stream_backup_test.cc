// Stream: S3BackupConfiguration, the error output in the backup bucket and S3BackupMode copies
// cut by the backup's own BufferingHints.
#include "streams/stream_test_fixture.h"

namespace sluice::streams {
namespace {

using testing::BackupTo;
using testing::ErrorDocuments;
using testing::MakeConfig;
using testing::ReadObjects;
using testing::ScriptedSink;
using testing::SteadyLoad;
using testing::StreamTest;
using testing::WaitFor;

TEST_F(StreamTest, FailedRecordsGoToTheBackupBucketWhenThereIsOne) {
  ScriptedSink sink(store_, [](const sinks::Delivery& d) -> sinks::DeliveryResult {
    if (d.bucket == "bkt") return {sinks::Outcome::kPermanent, "HTTP 404 NoSuchBucket"};
    return {sinks::Outcome::kOk, ""};
  });
  context_.sink = &sink;
  auto config = MakeConfig();
  config.destination.backup.push_back(BackupTo("bk", config::Compression::kUncompressed));
  auto stream = Open(config);
  ASSERT_TRUE(PutAndWait(*stream, {"rescued"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().error_output_records == 1; }));
  const auto objects = ReadObjects(dir_.path() / "buckets" / "bk");
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_TRUE(objects.begin()->first.starts_with("p/s3-failed/")) << objects.begin()->first;
  EXPECT_EQ(ErrorDocuments(objects.begin()->second)[0].second, "rescued");
  EXPECT_EQ(stream->stats().backup_objects, 0u);  // S3BackupMode Disabled: no copies
}

TEST_F(StreamTest, BackupModeEnabledStoresACopyOfTheSourceRecords) {
  auto config = MakeConfig(0, config::Compression::kGzip);
  config.destination.s3_backup_mode = "Enabled";
  config.destination.backup.push_back(BackupTo("bk", config::Compression::kUncompressed));
  auto stream = Open(config);
  ASSERT_TRUE(PutAndWait(*stream, {"a\n", "b\n"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1 && stream->stats().backup_objects == 1; }));
  EXPECT_EQ(stream->stats().backup_records, 2u);
  const auto copies = ReadObjects(dir_.path() / "buckets" / "bk");
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_TRUE(copies.begin()->first.starts_with("source/20")) << copies.begin()->first;
  EXPECT_FALSE(copies.begin()->first.ends_with(".gz")) << "the backup's own compression";
  EXPECT_EQ(copies.begin()->second, "a\nb\n");
  ASSERT_EQ(Objects().size(), 1u);
  EXPECT_TRUE(Objects().begin()->first.ends_with(".gz"));
}

TEST_F(StreamTest, TheBackupIsCutByItsOwnBufferingHints) {
  auto config = MakeConfig(0);
  config.destination.s3_backup_mode = "Enabled";
  config.destination.backup.push_back(BackupTo("bk", config::Compression::kUncompressed, {1, 1}));
  auto stream = Open(config);
  for (const std::string_view record : {"a", "b", "c"}) {
    const uint64_t before = stream->stats().delivered_objects;
    ASSERT_TRUE(PutAndWait(*stream, {record}));
    ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == before + 1; }));
  }
  // The destination got one object per put (interval 0); the backup, one second after the
  // first record, one object with all three.
  ASSERT_TRUE(WaitFor([&] { return stream->stats().backup_objects == 1; }));
  EXPECT_EQ(Objects().size(), 3u);
  const auto copies = ReadObjects(dir_.path() / "buckets" / "bk");
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies.begin()->second, "abc");
}

TEST_F(StreamTest, RecordsStayInTheLogUntilTheBackupStoredThemToo) {
  auto config = MakeConfig(0);
  config.destination.s3_backup_mode = "Enabled";
  config.destination.backup.push_back(BackupTo("bk", config::Compression::kUncompressed, {1, 300}));
  {
    auto stream = Open(config);
    ASSERT_TRUE(PutAndWait(*stream, {"x", "y"}));
    ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
    EXPECT_EQ(stream->stats().backup_objects, 0u);  // not due for 300 s
  }
  const auto delivered = Objects();
  ASSERT_EQ(delivered.size(), 1u);
  // After a restart with a short backup interval the copy is made; the destination's batch,
  // still in the log for the backup's sake, is stored again under its sealed key: no duplicate.
  config.destination.backup[0].buffering = {1, 0};
  auto stream = Open(config);
  ASSERT_TRUE(WaitFor([&] { return stream->stats().backup_objects == 1; }));
  const auto copies = ReadObjects(dir_.path() / "buckets" / "bk");
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies.begin()->second, "xy");
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  EXPECT_EQ(Objects(), delivered);
}

TEST_F(StreamTest, EnablingTheBackupLaterCopiesWhatArrivesFromThen) {
  auto config = MakeConfig(0);
  config.destination.backup.push_back(BackupTo("bk", config::Compression::kUncompressed));
  auto stream = Open(config);
  ASSERT_TRUE(PutAndWait(*stream, {"before"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  config.destination.s3_backup_mode = "Enabled";
  stream->Reconfigure(config, {2, 1, 1});
  ASSERT_TRUE(PutAndWait(*stream, {"after"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().backup_objects == 1; }));
  const auto copies = ReadObjects(dir_.path() / "buckets" / "bk");
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies.begin()->second, "after");
}

TEST_F(StreamTest, BackupCopiesAreStoredWhileTheDestinationIsBusyUnderSteadyLoad) {
  // A slow destination: with a put every millisecond, a destination batch is due again whenever
  // the previous one is stored.
  ScriptedSink sink(store_, [](const sinks::Delivery& d) -> sinks::DeliveryResult {
    if (d.bucket == "bkt") std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return {sinks::Outcome::kOk, ""};
  });
  context_.sink = &sink;
  auto config = MakeConfig();
  config.destination.s3_backup_mode = "Enabled";
  config.destination.backup.push_back(BackupTo("bk", config::Compression::kUncompressed));
  auto stream = Open(config);
  SteadyLoad load(*stream);
  EXPECT_TRUE(WaitFor([&] { return stream->stats().backup_objects >= 3 && stream->stats().delivered_objects >= 3; }));
}

}  // namespace
}  // namespace sluice::streams
