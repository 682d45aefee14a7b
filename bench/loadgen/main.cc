// sluice-loadgen: the benchmark harness's load generator (see bench/README.md).
//
//   sluice-loadgen put --port P [--stream S] [--connections C] [--batch N] [--duration S |
//                  --total-mb M] [--rate-mb-s R] [--mode json|binary] [--record-size B] [--seed X]
//                  [--pool-batches K] [--create] [--bucket B] [--size-mb M] [--interval S]
//                  [--compression F] [--watch-dir D] [--watch-timeout S] [--watch-poll-ms P]
//                  [--report-every-mb M]
//   sluice-loadgen null-server [--port P] [--duration S]
//   sluice-loadgen compress-ref [--format GZIP|ZSTD|...] [--gzip-level L] [--zstd-level L]
//                  [--batch-mb M] [--duration S] [--seed X] [--pool-batches K]
//   sluice-loadgen transform-ref --command CMD [--batch-mb M] [--duration S] [--seed X]
//                  [--pool-batches K]
//
// Every report is one JSON object on stdout; errors go to stderr with exit status 1 (2 for usage).

#include <charconv>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "core/json_writer.h"
#include "loadgen/compress_ref.h"
#include "loadgen/http.h"
#include "loadgen/load.h"
#include "loadgen/null_server.h"
#include "loadgen/printf.h"
#include "loadgen/segments.h"
#include "loadgen/stats.h"
#include "loadgen/watcher.h"
#include "loadgen/workload.h"

namespace sluice::bench {
namespace {

class Flags {
 public:
  // Parses `--name value` pairs; only names in `allowed` are accepted, `--create` takes no value.
  static Result<Flags> Parse(int argc, char** argv, const std::set<std::string>& allowed) {
    Flags flags;
    for (int i = 0; i < argc; ++i) {
      std::string arg = argv[i];
      if (!arg.starts_with("--") || !allowed.contains(arg.substr(2))) {
        return InvalidArgument("unknown argument '" + arg + "'");
      }
      const std::string name = arg.substr(2);
      if (name == "create") {
        flags.values_[name] = "1";
      } else if (i + 1 >= argc) {
        return InvalidArgument("flag --" + name + " needs a value");
      } else {
        flags.values_[name] = argv[++i];
      }
    }
    return flags;
  }

  bool Has(const std::string& name) const { return values_.contains(name); }
  std::string String(const std::string& name, std::string fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }
  // A number flag within [min, max]; records the first problem in error_.
  template <typename T>
  T Number(const std::string& name, T fallback, T min, T max) {
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    T value{};
    const auto& text = it->second;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if ((ec != std::errc() || end != text.data() + text.size() || value < min || value > max) &&
        error_.empty()) {
      error_ = Printf("--%s must be a number from %g to %g, got '%s'", name.c_str(), static_cast<double>(min),
                      static_cast<double>(max), text.c_str());
    }
    return value;
  }
  const std::string& error() const { return error_; }

 private:
  std::map<std::string, std::string> values_;
  std::string error_;
};

int Usage(const std::string& message) {
  std::fprintf(stderr, "sluice-loadgen: %s\n", message.c_str());
  return 2;
}

int Fatal(const std::string& message) {
  std::fprintf(stderr, "sluice-loadgen: %s\n", message.c_str());
  return 1;
}

Status CreateStream(uint16_t port, const std::string& stream, const std::string& bucket, int size_mb,
                    int interval_s, const std::string& compression) {
  JsonWriter json;
  json.BeginObject()
      .Key("DeliveryStreamName").String(stream)
      .Key("DeliveryStreamType").String("DirectPut")
      .Key("ExtendedS3DestinationConfiguration").BeginObject()
      .Key("RoleARN").String("arn:aws:iam::123456789012:role/bench")
      .Key("BucketARN").String("arn:aws:s3:::" + bucket)
      .Key("BufferingHints").BeginObject()
      .Key("SizeInMBs").Int(size_mb)
      .Key("IntervalInSeconds").Int(interval_s)
      .EndObject()
      .Key("CompressionFormat").String(compression)
      .EndObject()
      .EndObject();
  HttpConnection connection(port);
  auto response = connection.Post("CreateDeliveryStream", json.str());
  if (!response) return std::unexpected(response.error());
  if (response->status != 200) {
    return Fail(ErrorCode::kInvalidArgument,
                "CreateDeliveryStream answered " + response->start_line + ": " + response->body);
  }
  return {};
}

Result<WorkloadOptions> ParseWorkload(Flags& flags) {
  WorkloadOptions workload;
  const std::string mode = flags.String("mode", "json");
  if (mode != "json" && mode != "binary") {
    return InvalidArgument("--mode must be json or binary, got '" + mode + "'");
  }
  workload.kind = mode == "json" ? RecordKind::kJsonLog : RecordKind::kBinary;
  workload.seed = flags.Number<uint64_t>("seed", 1, 0, UINT64_MAX);
  workload.record_size = flags.Number<size_t>("record-size", 1024, kTagOffset + kTagDigits, 1024000);
  workload.batch_records = flags.Number<size_t>("batch", 500, 1, 500);
  workload.pool_batches = flags.Number<size_t>("pool-batches", 16, 1, 4096);
  return workload;
}

// Per-record freshness: first sighting of a record minus the acknowledgement of its request.
void WriteFreshness(JsonWriter& json, const LoadResult& load, const BucketWatcher& watcher) {
  std::unordered_map<uint64_t, int64_t> acked_at;
  for (const Ack& ack : load.acks) {
    auto [it, inserted] = acked_at.emplace(ack.tag, ack.steady_ns);
    if (!inserted && ack.steady_ns < it->second) it->second = ack.steady_ns;
  }
  std::vector<int64_t> freshness_us;
  uint64_t unacknowledged = 0;
  uint64_t before_ack = 0;
  for (const Sighting& sighting : watcher.sightings()) {
    auto it = acked_at.find(sighting.tag);
    if (it == acked_at.end()) {
      ++unacknowledged;
      continue;
    }
    const int64_t delta_ns = sighting.steady_ns - it->second;
    if (delta_ns < 0) ++before_ack;
    freshness_us.push_back(std::max<int64_t>(delta_ns, 0) / 1000);
  }
  const uint64_t delivered = watcher.sightings().size() + watcher.untraced_records();
  json.Key("delivered_records").Uint(delivered)
      .Key("untraced_records").Uint(watcher.untraced_records())
      .Key("delivered_objects").Uint(watcher.objects())
      .Key("unreadable_objects").Uint(watcher.unreadable_objects())
      .Key("delivered_unacknowledged").Uint(unacknowledged)
      .Key("visible_before_ack").Uint(before_ack);
  // Payload rate from the first request to the last record being visible; only meaningful
  // once every acknowledged record was seen.
  const int64_t last_seen_ns = watcher.last_seen_ns();
  const bool complete = delivered >= load.acked_records && last_seen_ns > load.start_steady_ns;
  json.Key("end_to_end_mb_per_s")
      .Double(complete ? static_cast<double>(load.acked_bytes) /
                             (static_cast<double>(last_seen_ns - load.start_steady_ns) / 1e9) / 1e6
                       : 0.0)
      .Key("freshness_ms");
  WritePercentilesMs(json, freshness_us);
}

// Every request's latency (retries included), for the run's percentiles.
std::vector<int64_t> LatenciesUs(const std::vector<RequestSample>& samples) {
  std::vector<int64_t> latencies_us;
  latencies_us.reserve(samples.size());
  for (const RequestSample& sample : samples) latencies_us.push_back(sample.latency_us);
  return latencies_us;
}

// With --report-every-mb: the run cut into segments of that much acknowledged payload, plus the
// run's start on the wall clock so that samples taken outside (the server's RSS by bench/run)
// can be placed on the segments' time line.
void WriteSegmentReport(JsonWriter& json, const LoadResult& load, double segment_mb) {
  auto segments =
      SplitIntoSegments(load.samples, load.start_steady_ns, static_cast<uint64_t>(segment_mb * 1e6));
  json.Key("start_unix_s").Double(static_cast<double>(load.start_unix_ns) / 1e9)
      .Key("segment_mb").Double(segment_mb)
      .Key("segments");
  WriteSegments(json, segments, load.start_steady_ns);
}

int RunPut(int argc, char** argv) {
  auto parsed = Flags::Parse(argc, argv, {"port", "stream", "connections", "batch", "duration",
                                          "total-mb", "rate-mb-s", "mode", "record-size", "seed",
                                          "pool-batches", "create", "bucket", "size-mb", "interval",
                                          "compression", "watch-dir", "watch-timeout",
                                          "watch-poll-ms", "report-every-mb"});
  if (!parsed) return Usage(parsed.error().message);
  Flags& flags = *parsed;
  if (!flags.Has("port")) return Usage("put needs --port");
  LoadOptions options;
  options.port = flags.Number<uint16_t>("port", 0, 1, 65535);
  options.stream = flags.String("stream", "bench");
  options.connections = flags.Number<size_t>("connections", 4, 1, 1024);
  options.duration_s = flags.Number<double>("duration", 10, 0.1, 86400);
  options.total_bytes = static_cast<uint64_t>(flags.Number<double>("total-mb", 0, 0, 1e7) * 1e6);
  options.rate_mb_s = flags.Number<double>("rate-mb-s", 0, 0, 100000);
  const int size_mb = flags.Number<int>("size-mb", 128, 1, 128);
  const int interval_s = flags.Number<int>("interval", 900, 0, 900);
  const double watch_timeout_s = flags.Number<double>("watch-timeout", 30, 0, 3600);
  const auto watch_poll = std::chrono::milliseconds(flags.Number<int>("watch-poll-ms", 2, 1, 1000));
  const double segment_mb = flags.Number<double>("report-every-mb", 0, 0, 1e7);
  auto workload = ParseWorkload(flags);
  if (!workload) return Usage(workload.error().message);
  if (!flags.error().empty()) return Usage(flags.error());
  const std::string compression = flags.String("compression", "UNCOMPRESSED");
  const std::string watch_dir = flags.String("watch-dir", "");
  if (!watch_dir.empty() && workload->kind != RecordKind::kJsonLog) {
    return Usage("--watch-dir needs --mode json (binary records cannot be found in objects)");
  }

  if (flags.Has("create")) {
    if (auto status = CreateStream(options.port, options.stream, flags.String("bucket", options.stream),
                                   size_mb, interval_s, compression);
        !status) {
      return Fatal(status.error().message);
    }
  }
  const std::vector<BatchBody> bodies =
      BuildBodies(options.stream, GenerateRecords(*workload), workload->batch_records);
  BucketWatcher watcher(watch_dir, watch_poll);
  if (!watch_dir.empty()) watcher.Start();
  LoadResult load = RunLoad(options, bodies);
  if (!watch_dir.empty()) watcher.StopAfter(load.acked_records, watch_timeout_s);

  JsonWriter json;
  json.BeginObject()
      .Key("connections").Uint(options.connections)
      .Key("batch_records").Uint(workload->batch_records)
      .Key("mode").String(flags.String("mode", "json"))
      .Key("rate_mb_s").Double(options.rate_mb_s)
      .Key("elapsed_s").Double(load.elapsed_s)
      .Key("requests").Uint(load.requests)
      .Key("acked_records").Uint(load.acked_records)
      .Key("acked_bytes").Uint(load.acked_bytes)
      .Key("records_per_s").Double(static_cast<double>(load.acked_records) / load.elapsed_s)
      .Key("mb_per_s").Double(static_cast<double>(load.acked_bytes) / load.elapsed_s / 1e6)
      .Key("throttled_503").Uint(load.throttled)
      .Key("failed_entries_resent").Uint(load.failed_entries)
      .Key("transport_errors").Uint(load.transport_errors)
      .Key("latency_ms");
  auto latencies_us = LatenciesUs(load.samples);
  WritePercentilesMs(json, latencies_us);
  if (segment_mb > 0) WriteSegmentReport(json, load, segment_mb);
  if (!watch_dir.empty()) WriteFreshness(json, load, watcher);
  json.Key("error").String(load.fatal).EndObject();
  std::printf("%s\n", json.str().c_str());
  return load.fatal.empty() ? 0 : 1;
}

int RunNull(int argc, char** argv) {
  auto parsed = Flags::Parse(argc, argv, {"port", "duration"});
  if (!parsed) return Usage(parsed.error().message);
  const auto port = parsed->Number<uint16_t>("port", 0, 0, 65535);
  const double seconds = parsed->Number<double>("duration", 60, 0.1, 86400);
  if (!parsed->error().empty()) return Usage(parsed->error());
  if (auto status = RunNullServer(port, seconds); !status) return Fatal(status.error().message);
  return 0;
}

// The reference commands' shared flags: a workload, --batch-mb and --duration.
struct ReferenceFlags {
  std::vector<std::string> records;
  size_t batch_mb = 8;
  double seconds = 3;
};

Result<ReferenceFlags> ParseReference(Flags& flags) {
  auto workload = ParseWorkload(flags);
  if (!workload) return std::unexpected(workload.error());
  ReferenceFlags reference;
  reference.batch_mb = flags.Number<size_t>("batch-mb", 8, 1, 128);
  reference.seconds = flags.Number<double>("duration", 3, 0.1, 3600);
  if (!flags.error().empty()) return InvalidArgument(flags.error());
  reference.records = GenerateRecords(*workload);
  return reference;
}

const std::set<std::string> kReferenceFlags = {"batch-mb", "duration", "seed", "pool-batches",
                                               "mode", "record-size", "batch"};

int RunCompressRef(int argc, char** argv) {
  std::set<std::string> allowed = kReferenceFlags;
  allowed.insert({"format", "gzip-level", "zstd-level"});
  auto parsed = Flags::Parse(argc, argv, allowed);
  if (!parsed) return Usage(parsed.error().message);
  // The server's defaults unless given, in the ranges of its compression.* keys.
  codecs::CodecSettings levels;
  levels.deflate = parsed->Number<int>("gzip-level", levels.deflate, 1, 12);
  levels.zstd = parsed->Number<int>("zstd-level", levels.zstd, 1, 19);
  levels.gzip_threads = 1;  // the reference is one core's rate
  levels.zstd_threads = 1;
  auto reference = ParseReference(*parsed);
  if (!reference) return Usage(reference.error().message);
  const std::string format = parsed->String("format", "GZIP");
  const auto rate =
      MeasureCodec(reference->records, format, levels, reference->batch_mb << 20, reference->seconds);
  if (!rate) return Fatal(rate.error().message);
  JsonWriter json;
  json.BeginObject()
      .Key("format").String(format)
      .Key("gzip_level").Int(levels.deflate)
      .Key("zstd_level").Int(levels.zstd)
      .Key("batch_mib").Uint(reference->batch_mb)
      .Key("mb_per_s").Double(rate->input_mb_s)
      .Key("ratio").Double(rate->ratio)
      .Key("batches").Uint(rate->batches)
      .EndObject();
  std::printf("%s\n", json.str().c_str());
  return 0;
}

int RunTransformRef(int argc, char** argv) {
  std::set<std::string> allowed = kReferenceFlags;
  allowed.insert("command");
  auto parsed = Flags::Parse(argc, argv, allowed);
  if (!parsed) return Usage(parsed.error().message);
  if (!parsed->Has("command")) return Usage("transform-ref needs --command");
  auto reference = ParseReference(*parsed);
  if (!reference) return Usage(reference.error().message);
  const std::string command = parsed->String("command", "");
  const auto rate = MeasureCommandTransform(reference->records, command, reference->batch_mb << 20,
                                            reference->seconds);
  if (!rate) return Fatal(rate.error().message);
  JsonWriter json;
  json.BeginObject()
      .Key("command").String(command)
      .Key("batch_mib").Uint(reference->batch_mb)
      .Key("mb_per_s").Double(rate->input_mb_s)
      .Key("records").Uint(rate->records)
      .Key("batches").Uint(rate->batches)
      .EndObject();
  std::printf("%s\n", json.str().c_str());
  return 0;
}

}  // namespace
}  // namespace sluice::bench

int main(int argc, char** argv) {
  using namespace sluice::bench;
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "put") return RunPut(argc - 2, argv + 2);
  if (command == "null-server") return RunNull(argc - 2, argv + 2);
  if (command == "compress-ref") return RunCompressRef(argc - 2, argv + 2);
  if (command == "transform-ref") return RunTransformRef(argc - 2, argv + 2);
  return Usage("usage: sluice-loadgen put|null-server|compress-ref|transform-ref [--flag value ...] "
               "(see bench/README.md)");
}
