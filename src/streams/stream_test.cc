// Stream: delivery, object layout, retries, the error output, restarts and reconfiguration.
#include <zlib.h>

#include "streams/stream_test_fixture.h"

namespace sluice::streams {
namespace {

using testing::ErrorDocuments;
using testing::FlakySink;
using testing::MakeConfig;
using testing::ScriptedSink;
using testing::StreamTest;
using testing::WaitFor;

TEST_F(StreamTest, DeliversRecordsConcatenatedInOrderUnderTheFirehoseKeyLayout) {
  auto stream = Open(MakeConfig());
  std::string binary;
  for (int i = 0; i < 256; ++i) binary += static_cast<char>(i);
  ASSERT_TRUE(PutAndWait(*stream, {"one\n", binary, "", "three"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_EQ(objects.begin()->second, "one\n" + binary + "three");
  // p/ + yyyy/MM/dd/HH/ + s1-1-yyyy-MM-dd-HH-mm-ss-uuid
  EXPECT_TRUE(objects.begin()->first.starts_with("p/20")) << objects.begin()->first;
  EXPECT_NE(objects.begin()->first.find("/s1-1-20"), std::string::npos) << objects.begin()->first;
}

TEST_F(StreamTest, GzipObjectsEndInGzAndInflateToTheRecords) {
  auto stream = Open(MakeConfig(0, config::Compression::kGzip));
  ASSERT_TRUE(PutAndWait(*stream, {"a", "b"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_TRUE(objects.begin()->first.ends_with(".gz"));
  const std::string& gz = objects.begin()->second;
  char out[16];
  z_stream z{};
  ASSERT_EQ(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  z.next_out = reinterpret_cast<Bytef*>(out);
  z.avail_out = sizeof out;
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  EXPECT_EQ(std::string(out, sizeof out - z.avail_out), "ab");
  inflateEnd(&z);
}

TEST_F(StreamTest, EveryCompressionFormatGetsItsExtension) {
  const std::pair<config::Compression, std::string_view> kFormats[] = {
      {config::Compression::kZip, ".zip"},
      {config::Compression::kSnappy, ".snappy"},
      {config::Compression::kHadoopSnappy, ".hsnappy"},
      {config::Compression::kZstd, ".zst"},
  };
  for (const auto& [compression, extension] : kFormats) {
    auto config = MakeConfig(0, compression);
    config.destination.prefix = std::string(extension.substr(1)) + "/";
    auto stream = Open(config);
    ASSERT_TRUE(PutAndWait(*stream, {"payload"}));
    ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
    stream.reset();
    std::filesystem::remove_all(dir_.path() / "wal");
  }
  std::map<std::string, int> by_extension;
  for (const auto& [key, body] : Objects()) {
    EXPECT_FALSE(body.empty()) << key;
    by_extension[key.substr(0, key.find('/'))] += key.ends_with("." + key.substr(0, key.find('/')));
  }
  EXPECT_EQ(by_extension, (std::map<std::string, int>{{"hsnappy", 1}, {"snappy", 1}, {"zip", 1}, {"zst", 1}}));
}

TEST_F(StreamTest, RetriesAFailingSinkUntilItSucceeds) {
  FlakySink flaky(store_, 3);
  context_.sink = &flaky;
  auto stream = Open(MakeConfig());
  ASSERT_TRUE(PutAndWait(*stream, {"x"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  EXPECT_EQ(flaky.attempts.load(), 4);
  EXPECT_EQ(stream->stats().delivery_failures, 3u);
  EXPECT_EQ(Objects().begin()->second, "x");
}

// Parses the error object's documents; returns (errorCode, rawData decoded) per line.
TEST_F(StreamTest, APermanentFailureSendsTheRecordsToTheErrorOutput) {
  ScriptedSink sink(store_, [](const sinks::Delivery& d) -> sinks::DeliveryResult {
    if (d.key.starts_with("p/s3-failed/")) return {sinks::Outcome::kOk, ""};
    return {sinks::Outcome::kPermanent, "HTTP 403 AccessDenied"};
  });
  context_.sink = &sink;
  auto stream = Open(MakeConfig());
  ASSERT_TRUE(PutAndWait(*stream, {"one", "two"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().error_output_records == 2; }));
  EXPECT_EQ(stream->stats().delivered_objects, 0u);
  EXPECT_EQ(stream->stats().error_output_objects, 1u);
  EXPECT_EQ(stream->stats().delivery_failures, 1u);  // permanent: no retry
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_TRUE(objects.begin()->first.starts_with("p/s3-failed/20")) << objects.begin()->first;
  const auto documents = ErrorDocuments(objects.begin()->second);
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_EQ(documents[0], (std::pair<std::string, std::string>{"S3.PermanentFailure", "one"}));
  EXPECT_EQ(documents[1], (std::pair<std::string, std::string>{"S3.PermanentFailure", "two"}));
  // Handled for good: nothing is delivered again after a restart.
  stream.reset();
  context_.sink = &store_;
  auto reopened = Open(MakeConfig());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(reopened->stats().delivered_objects, 0u);
}

TEST_F(StreamTest, RetriesPastTheRetryDurationGoToTheErrorOutput) {
  ScriptedSink sink(store_, [](const sinks::Delivery& d) -> sinks::DeliveryResult {
    if (d.key.starts_with("p/s3-failed/")) return {sinks::Outcome::kOk, ""};
    return {sinks::Outcome::kRetryable, "HTTP 503 SlowDown"};
  });
  context_.sink = &sink;
  context_.retry_duration_ms = 30;
  auto stream = Open(MakeConfig());
  ASSERT_TRUE(PutAndWait(*stream, {"late"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().error_output_records == 1; }));
  EXPECT_GT(stream->stats().delivery_failures, 1u);  // retried before giving up
  const auto documents = ErrorDocuments(Objects().begin()->second);
  ASSERT_EQ(documents.size(), 1u);
  EXPECT_EQ(documents[0].first, "S3.RetryDurationExceeded");
  EXPECT_EQ(documents[0].second, "late");
}

TEST_F(StreamTest, TheErrorOutputIsRetriedUntilItIsStoredNeverDropped) {
  std::atomic<int> error_attempts{0};
  ScriptedSink sink(store_, [&](const sinks::Delivery& d) -> sinks::DeliveryResult {
    if (d.key.starts_with("p/s3-failed/") && ++error_attempts > 3) return {sinks::Outcome::kOk, ""};
    return {sinks::Outcome::kPermanent, "HTTP 404 NoSuchBucket"};
  });
  context_.sink = &sink;
  auto stream = Open(MakeConfig(0, config::Compression::kGzip));
  ASSERT_TRUE(PutAndWait(*stream, {"kept"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().error_output_records == 1; }));
  EXPECT_EQ(error_attempts.load(), 4);
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_TRUE(objects.begin()->first.ends_with(".gz"));  // the stream's compression
}

TEST_F(StreamTest, PassesTheKmsKeyOfEncryptionConfigurationToTheStore) {
  std::mutex mutex;
  std::vector<std::string> keys;
  ScriptedSink sink(store_, [&](const sinks::Delivery& d) -> sinks::DeliveryResult {
    std::lock_guard lock(mutex);
    keys.emplace_back(d.kms_key_id);
    return {sinks::Outcome::kOk, ""};
  });
  context_.sink = &sink;
  auto config = MakeConfig();
  config.destination.kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/k";
  auto stream = Open(config);
  ASSERT_TRUE(PutAndWait(*stream, {"secret"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  std::lock_guard lock(mutex);
  EXPECT_EQ(keys, std::vector<std::string>{"arn:aws:kms:us-east-1:123456789012:key/k"});
}

TEST_F(StreamTest, KeepsRecordsThatAreNotDueAcrossARestartAndDeliversThemLater) {
  {
    auto stream = Open(MakeConfig(900));
    ASSERT_TRUE(PutAndWait(*stream, {"kept-", "in-log"}));
    stream->Close(Stream::Drain::kDue);
  }
  EXPECT_TRUE(Objects().empty());
  auto stream = Open(MakeConfig(0));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  EXPECT_EQ(Objects().begin()->second, "kept-in-log");
}

TEST_F(StreamTest, RedeliversASealedBatchUnderItsRecordedKey) {
  {
    wal::Options options;
    options.dir = dir_.path() / "wal";
    auto log = wal::Log::Open(options);
    ASSERT_TRUE(log);
    const std::vector<std::string_view> records{"sealed-", "batch"};
    ASSERT_TRUE((*log)->AppendAndWait(records, 1000));
    ASSERT_TRUE((*log)->Seal(1, 2, SealedBatch{SealedBatch::Kind::kData, "bkt", "fixed/key.gz", "GZIP", "bkt", "err/key.gz"}.Encode()));
    const std::vector<std::string_view> later{"later"};
    ASSERT_TRUE((*log)->AppendAndWait(later, 2000));
  }
  auto stream = Open(MakeConfig(0));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 2; }));
  const auto objects = Objects();
  ASSERT_EQ(objects.size(), 2u);
  ASSERT_TRUE(objects.contains("fixed/key.gz"));
  EXPECT_EQ(objects.at("fixed/key.gz").substr(0, 2), "\x1f\x8b");  // gzip, as the seal says
  int later_objects = 0;
  for (const auto& [key, body] : objects) later_objects += body == "later";
  EXPECT_EQ(later_objects, 1);
}

TEST_F(StreamTest, CutsBatchesAtTheSizeHint) {
  auto stream = Open(MakeConfig(900));  // 1 MiB, interval far away: only size triggers
  const std::string record(300 * 1024, 'r');
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(PutAndWait(*stream, {record}));
  // 4 x 300 KiB: the first three (900 KiB) fit in 1 MiB, the fourth stays buffered.
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  EXPECT_EQ(stream->stats().delivered_records, 3u);
  EXPECT_EQ(Objects().begin()->second.size(), 3 * record.size());
}

TEST_F(StreamTest, DrainAllDeliversEverythingBufferedAndRefusesLaterPuts) {
  auto stream = Open(MakeConfig(900));
  ASSERT_TRUE(PutAndWait(*stream, {"pending"}));
  stream->Close(Stream::Drain::kAll);
  EXPECT_EQ(Objects().begin()->second, "pending");
  const auto refused = PutAndWait(*stream, {"late"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
}

TEST_F(StreamTest, ReconfigureAppliesNewPrefixAndVersionToTheNextBatch) {
  auto stream = Open(MakeConfig(0));
  ASSERT_TRUE(PutAndWait(*stream, {"v1"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  auto config = MakeConfig(0);
  config.destination.prefix = "new/!{timestamp:yyyy}/";
  stream->Reconfigure(config, {2, 1, 2});
  ASSERT_TRUE(PutAndWait(*stream, {"v2"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 2; }));
  bool found = false;
  for (const auto& [key, body] : Objects()) {
    if (body == "v2") {
      found = true;
      EXPECT_TRUE(key.starts_with("new/20")) << key;
      EXPECT_NE(key.find("/s1-2-"), std::string::npos) << key;
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace sluice::streams
