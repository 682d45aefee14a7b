#include "streams/stream.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <zlib.h>

#include <simdjson.h>

#include "core/base64.h"
#include "streams/test_support.h"

namespace sluice::streams {
namespace {

using testing::Gzip;
using testing::ReadObjects;
using testing::TempDir;
using testing::WaitFor;

config::StreamConfig MakeConfig(int interval_s = 0, config::Compression compression =
                                                        config::Compression::kUncompressed) {
  config::StreamConfig config;
  config.name = "s1";
  config.destination.role_arn = "arn:aws:iam::123456789012:role/r";
  config.destination.bucket_arn = "arn:aws:s3:::bkt";
  config.destination.prefix = "p/";
  config.destination.buffering = {1, interval_s};
  config.destination.compression = compression;
  return config;
}

// A sink that fails the first `failures` deliveries, then stores into a local bucket store.
class FlakySink final : public sinks::Sink {
 public:
  FlakySink(sinks::Sink& inner, int failures) : inner_(inner), failures_left_(failures) {}
  sinks::DeliveryResult Deliver(const sinks::Delivery& d) override {
    ++attempts;
    if (failures_left_.fetch_sub(1) > 0) return {sinks::Outcome::kRetryable, "injected failure"};
    return inner_.Deliver(d);
  }
  std::atomic<int> attempts{0};

 private:
  sinks::Sink& inner_;
  std::atomic<int> failures_left_;
};

// A sink whose answer per delivery a test decides; successful deliveries are stored.
class ScriptedSink final : public sinks::Sink {
 public:
  using Script = std::function<sinks::DeliveryResult(const sinks::Delivery&)>;
  ScriptedSink(sinks::Sink& inner, Script script) : inner_(inner), script_(std::move(script)) {}
  sinks::DeliveryResult Deliver(const sinks::Delivery& d) override {
    const auto result = script_(d);
    return result.outcome == sinks::Outcome::kOk ? inner_.Deliver(d) : result;
  }

 private:
  sinks::Sink& inner_;
  Script script_;
};

class StreamTest : public ::testing::Test {
 protected:
  StreamTest() : store_(dir_.path() / "buckets") {
    context_.clock = &SystemClock::Instance();
    context_.sink = &store_;
    context_.retry = {1, 5, 0.0};
  }

  std::unique_ptr<Stream> Open(config::StreamConfig config, StreamMeta meta = {1, 1, 0}) {
    auto stream = Stream::Open(dir_.path() / "wal", std::move(config), meta, context_);
    EXPECT_TRUE(stream) << stream.error().message;
    return std::move(*stream);
  }

  static Result<uint64_t> PutAndWait(Stream& stream, std::vector<std::string_view> records) {
    std::promise<Result<uint64_t>> done;
    stream.Put(records, SystemClock::Instance().NowMs(),
               [&](Result<uint64_t> result) { done.set_value(std::move(result)); });
    return done.get_future().get();
  }

  std::map<std::string, std::string> Objects() { return ReadObjects(dir_.path() / "buckets" / "bkt"); }

  TempDir dir_;
  sinks::LocalBucketStore store_;
  StreamContext context_;
};

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
std::vector<std::pair<std::string, std::string>> ErrorDocuments(const std::string& body) {
  std::vector<std::pair<std::string, std::string>> documents;
  simdjson::dom::parser parser;
  size_t begin = 0;
  while (begin < body.size()) {
    const size_t end = body.find('\n', begin);
    simdjson::dom::element doc = parser.parse(body.substr(begin, end - begin)).value();
    std::string raw;
    EXPECT_TRUE(Base64DecodeAppend(std::string_view(doc["rawData"]), raw));
    EXPECT_GE(int64_t(doc["attemptsMade"]), 1);
    EXPECT_GT(int64_t(doc["arrivalTimestamp"]), 0);
    EXPECT_GE(int64_t(doc["attemptEndingTimestamp"]), int64_t(doc["arrivalTimestamp"]));
    documents.emplace_back(std::string(std::string_view(doc["errorCode"])), raw);
    begin = end + 1;
  }
  return documents;
}

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

config::S3Destination BackupTo(std::string bucket, config::Compression compression,
                               config::BufferingHints hints = {1, 0}) {
  config::S3Destination backup;
  backup.buffering = hints;
  backup.extended = false;
  backup.role_arn = "arn:aws:iam::123456789012:role/r";
  backup.bucket_arn = "arn:aws:s3:::" + bucket;
  backup.prefix = "source/";
  backup.compression = compression;
  return backup;
}

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

TEST_F(StreamTest, ProcessorsTransformRecordsAndSendFailuresToTheirErrorOutput) {
  auto config = MakeConfig();
  config.destination.processing = config::ProcessingConfiguration{
      true,
      {{"AppendDelimiterToRecord", {}},
       {"Decompression", {{"CompressionFormat", "GZIP"}}}}};  // run in Firehose's order, not this one
  auto stream = Open(config);
  const std::string not_gzip = "plain text, not gzip";
  ASSERT_TRUE(PutAndWait(*stream, {Gzip("first"), not_gzip, Gzip("second")}));
  ASSERT_TRUE(WaitFor([&] {
    const auto stats = stream->stats();
    return stats.delivered_objects == 1 && stats.processing_failed_records == 1;
  }));
  std::string delivered;
  std::string errors_key, errors;
  for (const auto& [key, body] : Objects()) {
    if (key.starts_with("p/decompression-failed/")) {
      errors_key = key;
      errors = body;
    } else {
      delivered = body;
    }
  }
  EXPECT_EQ(delivered, "first\nsecond\n");
  ASSERT_FALSE(errors_key.empty()) << "no decompression-failed object";
  const auto documents = ErrorDocuments(errors);
  ASSERT_EQ(documents.size(), 1u);
  EXPECT_EQ(documents[0].second, not_gzip);  // rawData: the record as it was put
  EXPECT_EQ(stream->stats().delivered_records, 2u);
  EXPECT_EQ(stream->stats().error_output_records, 1u);
}

TEST_F(StreamTest, DisabledProcessingLeavesRecordsAsPut) {
  auto config = MakeConfig();
  config.destination.processing = config::ProcessingConfiguration{false, {{"AppendDelimiterToRecord", {}}}};
  auto stream = Open(config);
  ASSERT_TRUE(PutAndWait(*stream, {"as-is"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  EXPECT_EQ(Objects().begin()->second, "as-is");
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

// One MetadataExtraction processor with `query`.
config::ProcessingConfiguration Extraction(std::string query) {
  return {true, {{"MetadataExtraction", {{"MetadataExtractionQuery", std::move(query)}, {"JsonParsingEngine", "JQ-1.6"}}}}};
}

TEST_F(StreamTest, DynamicPartitioningWritesOneObjectPerPartitionAndFailsRecordsWithoutKeys) {
  context_.max_active_partitions = 2;
  auto config = MakeConfig();
  config.destination.prefix = "c=!{partitionKeyFromQuery:customer}/!{timestamp:yyyy}/";
  config.destination.error_output_prefix = "e/!{firehose:error-output-type}/";
  config.destination.processing = Extraction("{customer:.customer}");
  config.destination.dynamic_partitioning = config::DynamicPartitioning{true, 300};
  auto stream = Open(config);
  ASSERT_TRUE(PutAndWait(*stream, {R"({"customer":"a","n":1})", R"({"customer":"b","n":2})", "not json",
                                   R"({"customer":"a","n":3})", R"({"customer":"c","n":4})"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 2; }));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().error_output_records == 2; }));
  std::map<std::string, std::string> data;
  std::map<std::string, std::string> errors;
  for (const auto& [key, body] : Objects()) (key.starts_with("e/") ? errors : data)[key.substr(0, key.find('/', 2))] = body;
  EXPECT_EQ(data, (std::map<std::string, std::string>{{"c=a", R"({"customer":"a","n":1}{"customer":"a","n":3})"},
                                                      {"c=b", R"({"customer":"b","n":2})"}}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(errors.contains("e/partitioning-failed")) << errors.begin()->first;
  const auto documents = ErrorDocuments(errors.begin()->second);
  ASSERT_EQ(documents.size(), 2u);
  // The record that is not JSON fails in the MetadataExtraction processor; the third customer
  // passes the limit of 2 active partitions.
  EXPECT_EQ(documents[0].second, "not json");
  EXPECT_EQ(documents[1], (std::pair<std::string, std::string>{"DynamicPartitioning.ActivePartitionsLimitExceeded",
                                                               R"({"customer":"c","n":4})"}));
  EXPECT_EQ(stream->stats().partitioning_failed_records, 1u);
}

// Conversion to Parquet with table db.`table`, OpenXJsonSerDe and default options.
config::DataFormatConversion ParquetOf(std::string table) {
  config::DataFormatConversion conversion;
  conversion.schema = config::SchemaConfiguration{"arn:aws:iam::123456789012:role/r", "", "db", std::move(table), "",
                                                  "LATEST"};
  conversion.input = formats::JsonInputOptions{};
  conversion.output = config::ParquetSerDe{};
  return conversion;
}

TEST_F(StreamTest, FormatConversionWritesParquetAndSendsMisfitsToTheErrorOutput) {
  config::Catalog catalog;
  catalog["db"]["t"].columns = {{"id", "int"}, {"name", "string"}};
  context_.catalog = &catalog;
  auto config = MakeConfig();
  config.destination.error_output_prefix = "e/!{firehose:error-output-type}/";
  config.destination.format_conversion = ParquetOf("t");
  auto stream = Open(config);
  ASSERT_TRUE(PutAndWait(*stream, {R"({"id":1,"name":"a"})", R"({"id":"x"})", R"({"id":2}{"id":3,"extra":true})", "{"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().error_output_records == 2; }));
  EXPECT_EQ(stream->stats().format_conversion_failed_records, 2u);
  std::string parquet;
  std::string errors;
  for (const auto& [key, body] : Objects()) {
    if (key.starts_with("e/format-conversion-failed/")) errors = body;
    if (key.starts_with("p/") && key.ends_with(".parquet")) parquet = body;
  }
  ASSERT_GE(parquet.size(), 8u);
  EXPECT_EQ(parquet.substr(0, 4), "PAR1");
  EXPECT_EQ(parquet.substr(parquet.size() - 4), "PAR1");
  simdjson::dom::parser parser;
  std::vector<std::string> raw;
  for (size_t begin = 0, end; begin < errors.size(); begin = end + 1) {
    end = errors.find('\n', begin);
    simdjson::dom::element doc = parser.parse(errors.substr(begin, end - begin)).value();
    EXPECT_EQ(std::string_view(doc["dataCatalogTable"]["databaseName"]), "db");
    EXPECT_EQ(std::string_view(doc["dataCatalogTable"]["tableName"]), "t");
    EXPECT_FALSE(std::string_view(doc["lastErrorMessage"]).empty());
    std::string decoded;
    EXPECT_TRUE(Base64DecodeAppend(std::string_view(doc["rawData"]), decoded));
    raw.push_back(decoded);
  }
  EXPECT_EQ(raw, (std::vector<std::string>{R"({"id":"x"})", "{"}));
}

TEST_F(StreamTest, AConversionRetriedAfterASinkFailureReportsEachMisfitOnce) {
  config::Catalog catalog;
  catalog["db"]["t"].columns = {{"id", "int"}};
  context_.catalog = &catalog;
  FlakySink sink(store_, 2);
  context_.sink = &sink;
  auto config = MakeConfig();
  config.destination.error_output_prefix = "e/!{firehose:error-output-type}/";
  config.destination.format_conversion = ParquetOf("t");
  auto stream = Open(config);
  ASSERT_TRUE(PutAndWait(*stream, {R"({"id":1})", R"({"id":"x"})"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().delivered_objects == 1; }));
  EXPECT_EQ(stream->stats().delivered_records, 1u);
  EXPECT_EQ(stream->stats().format_conversion_failed_records, 1u);
  EXPECT_EQ(stream->stats().error_output_records, 1u);
  EXPECT_GE(sink.attempts, 3);
}

TEST_F(StreamTest, FormatConversionWithoutTheCatalogTableFailsEveryRecordIntoTheErrorOutput) {
  config::Catalog empty;
  context_.catalog = &empty;
  auto config = MakeConfig();
  config.destination.format_conversion = ParquetOf("gone");
  auto stream = Open(config);
  ASSERT_TRUE(PutAndWait(*stream, {R"({"id":1})"}));
  ASSERT_TRUE(WaitFor([&] { return stream->stats().error_output_records == 1; }));
  EXPECT_EQ(stream->stats().delivered_objects, 0u);
  EXPECT_EQ(stream->stats().format_conversion_failed_records, 1u);
}

}  // namespace
}  // namespace sluice::streams
