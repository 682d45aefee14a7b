#pragma once
// The fixture of the Stream tests: a stream over a temporary log and local bucket store, sinks
// that fail on demand, and builders of configurations and error documents.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <functional>
#include <future>
#include <map>
#include <thread>
#include <string>
#include <utility>
#include <vector>

#include "core/base64.h"
#include "streams/stream.h"
#include "streams/test_support.h"

namespace sluice::streams::testing {

inline config::StreamConfig MakeConfig(int interval_s = 0, config::Compression compression =
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

// Puts `record` every `pause` from a thread of its own until destroyed: a stream under steady
// load, whose log always holds a batch that is due.
class SteadyLoad {
 public:
  explicit SteadyLoad(Stream& stream, std::string record = "x",
                      std::chrono::microseconds pause = std::chrono::milliseconds(1))
      : record_(std::move(record)), thread_([this, &stream, pause] {
          while (!stop_) {
            const std::string_view records[] = {record_};
            stream.Put(records, SystemClock::Instance().NowMs(), [](Result<uint64_t>) {});
            std::this_thread::sleep_for(pause);
          }
        }) {}
  ~SteadyLoad() {
    stop_ = true;
    thread_.join();
  }

 private:
  const std::string record_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

inline std::vector<std::pair<std::string, std::string>> ErrorDocuments(const std::string& body) {
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

inline config::S3Destination BackupTo(std::string bucket, config::Compression compression,
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

}  // namespace sluice::streams::testing
