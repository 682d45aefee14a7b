#include "loadgen/load.h"

#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <thread>

#include "loadgen/http.h"
#include "loadgen/printf.h"

namespace sluice::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Bounds every retry loop: a request that keeps failing this many times stops the run.
constexpr int kMaxAttempts = 2000;
constexpr int kMaxConsecutiveTransportErrors = 5;
constexpr auto kRetryPause = std::chrono::milliseconds(5);

int64_t SteadyNs(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

size_t CountOccurrences(std::string_view text, std::string_view needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// The FailedPutCount of a PutRecordBatch answer, or -1 if it has none.
int64_t FailedPutCount(std::string_view body) {
  constexpr std::string_view kKey = "\"FailedPutCount\":";
  const size_t at = body.find(kKey);
  if (at == std::string_view::npos) return -1;
  size_t start = at + kKey.size();
  while (start < body.size() && body[start] == ' ') ++start;
  int64_t value = -1;
  std::from_chars(body.data() + start, body.data() + body.size(), value);
  return value;
}

// Positions (into `sent`) of the entries that carry an ErrorCode.
Result<std::vector<size_t>> RefusedEntries(simdjson::ondemand::parser& parser, const std::string& body,
                                           const std::vector<size_t>& sent) {
  simdjson::padded_string json(body);
  simdjson::ondemand::document doc;
  simdjson::ondemand::array entries;
  if (parser.iterate(json).get(doc) || doc["RequestResponses"].get_array().get(entries)) {
    return Fail(ErrorCode::kCorruption, "PutRecordBatch answer has no RequestResponses array: " + body);
  }
  std::vector<size_t> refused;
  size_t index = 0;
  for (auto entry : entries) {
    simdjson::ondemand::object object;
    if (entry.get_object().get(object) || index >= sent.size()) {
      return Fail(ErrorCode::kCorruption, "malformed RequestResponses entry: " + body);
    }
    std::string_view code;
    if (object["ErrorCode"].get_string().get(code) == simdjson::SUCCESS) refused.push_back(sent[index]);
    ++index;
  }
  if (index != sent.size()) {
    return Fail(ErrorCode::kCorruption,
                Printf("RequestResponses has %zu entries for %zu records", index, sent.size()));
  }
  return refused;
}

class Worker {
 public:
  Worker(const LoadOptions& options, const std::vector<BatchBody>& bodies, size_t id,
         std::atomic<uint64_t>& next_tag, std::atomic<uint64_t>& claimed_bytes, Clock::time_point start)
      : options_(options), bodies_(bodies), id_(id), next_tag_(next_tag),
        claimed_bytes_(claimed_bytes), start_(start), connection_(options.port) {}

  LoadResult Run() {
    const auto deadline = start_ + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(options_.duration_s));
    for (size_t round = 0; result_.fatal.empty(); ++round) {
      if (options_.total_bytes == 0 && Clock::now() >= deadline) break;
      BatchBody body = bodies_[(id_ + round * options_.connections) % bodies_.size()];
      const uint64_t claimed = claimed_bytes_.fetch_add(body.payload_bytes());
      if (options_.total_bytes != 0 && claimed >= options_.total_bytes) break;
      if (options_.rate_mb_s > 0) {
        std::this_thread::sleep_until(start_ + std::chrono::duration_cast<Clock::duration>(
                                                   std::chrono::duration<double>(
                                                       static_cast<double>(claimed) / (options_.rate_mb_s * 1e6))));
      }
      const uint64_t tag = next_tag_.fetch_add(1);
      body.SetTag(tag);
      Send(body, tag);
    }
    return std::move(result_);
  }

 private:
  // Sends `body` until every record is acknowledged (or the attempts run out).
  void Send(const BatchBody& body, uint64_t tag) {
    std::vector<size_t> pending(body.records());
    for (size_t i = 0; i < pending.size(); ++i) pending[i] = i;
    std::string subset;
    std::string_view wire = body.body();
    int transport_streak = 0;
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
      const auto sent_at = Clock::now();
      auto response = connection_.Post("PutRecordBatch", wire);
      const auto answered_at = Clock::now();
      ++result_.requests;
      // Acknowledged bytes are filled in below once the answer is read.
      result_.samples.push_back(
          {SteadyNs(answered_at),
           std::chrono::duration_cast<std::chrono::microseconds>(answered_at - sent_at).count(), 0});
      if (!response) {
        ++result_.transport_errors;
        if (++transport_streak >= kMaxConsecutiveTransportErrors) {
          result_.fatal = response.error().message;
          return;
        }
        std::this_thread::sleep_for(kRetryPause * 20);
        continue;
      }
      transport_streak = 0;
      if (response->status == 503) {
        ++result_.throttled;
        std::this_thread::sleep_for(kRetryPause);
        continue;
      }
      if (response->status != 200) {
        result_.fatal = "PutRecordBatch answered " + response->start_line + ": " + response->body;
        return;
      }
      const int64_t failed = FailedPutCount(response->body);
      std::vector<size_t> refused;
      if (failed != 0) {
        auto parsed = RefusedEntries(parser_, response->body, pending);
        if (!parsed) {
          result_.fatal = parsed.error().message;
          return;
        }
        refused = std::move(*parsed);
      } else if (CountOccurrences(response->body, "\"RecordId\"") != pending.size()) {
        result_.fatal = "PutRecordBatch answer does not hold one RecordId per record: " + response->body;
        return;
      }
      const size_t acked = pending.size() - refused.size();
      const uint64_t acked_bytes = body.SubsetPayloadBytes(pending) - body.SubsetPayloadBytes(refused);
      result_.acked_records += acked;
      result_.acked_bytes += acked_bytes;
      result_.samples.back().acked_bytes = acked_bytes;
      if (acked != 0) result_.acks.push_back({tag, SteadyNs(answered_at)});
      if (refused.empty()) return;
      result_.failed_entries += refused.size();
      pending = std::move(refused);
      subset = body.Subset(options_.stream, pending);
      wire = subset;
      std::this_thread::sleep_for(kRetryPause);
    }
    result_.fatal = Printf("a PutRecordBatch was not acknowledged after %d attempts", kMaxAttempts);
  }

  const LoadOptions& options_;
  const std::vector<BatchBody>& bodies_;
  size_t id_;
  std::atomic<uint64_t>& next_tag_;
  std::atomic<uint64_t>& claimed_bytes_;
  Clock::time_point start_;
  HttpConnection connection_;
  simdjson::ondemand::parser parser_;
  LoadResult result_;
};

}  // namespace

LoadResult RunLoad(const LoadOptions& options, const std::vector<BatchBody>& bodies) {
  std::atomic<uint64_t> next_tag{1};
  std::atomic<uint64_t> claimed_bytes{0};
  const auto start = Clock::now();
  const auto start_unix = std::chrono::system_clock::now();
  std::vector<LoadResult> results(options.connections);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < options.connections; ++i) {
    threads.emplace_back([&, i] {
      results[i] = Worker(options, bodies, i, next_tag, claimed_bytes, start).Run();
    });
  }
  for (auto& thread : threads) thread.join();
  LoadResult total;
  total.start_steady_ns = SteadyNs(start);
  total.start_unix_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(start_unix.time_since_epoch()).count();
  total.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& r : results) {
    total.requests += r.requests;
    total.acked_records += r.acked_records;
    total.acked_bytes += r.acked_bytes;
    total.throttled += r.throttled;
    total.failed_entries += r.failed_entries;
    total.transport_errors += r.transport_errors;
    total.samples.insert(total.samples.end(), r.samples.begin(), r.samples.end());
    total.acks.insert(total.acks.end(), r.acks.begin(), r.acks.end());
    if (total.fatal.empty()) total.fatal = r.fatal;
  }
  return total;
}

}  // namespace sluice::bench
