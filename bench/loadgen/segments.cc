#include "loadgen/segments.h"

#include <algorithm>

#include "loadgen/stats.h"

namespace sluice::bench {
namespace {

double SecondsBetween(int64_t from_ns, int64_t to_ns) { return static_cast<double>(to_ns - from_ns) / 1e9; }

// Folds `tail` into `into`, which it directly follows.
void Absorb(Segment& into, Segment&& tail) {
  into.end_steady_ns = tail.end_steady_ns;
  into.acked_bytes += tail.acked_bytes;
  into.requests += tail.requests;
  into.latencies_us.insert(into.latencies_us.end(), tail.latencies_us.begin(), tail.latencies_us.end());
}

Segment StartingAt(int64_t steady_ns) {
  Segment segment;
  segment.start_steady_ns = steady_ns;
  return segment;
}

}  // namespace

std::vector<Segment> SplitIntoSegments(std::vector<RequestSample> samples, int64_t start_steady_ns,
                                       uint64_t segment_bytes) {
  std::sort(samples.begin(), samples.end(), [](const RequestSample& a, const RequestSample& b) {
    return a.answered_steady_ns < b.answered_steady_ns;
  });
  std::vector<Segment> segments;
  Segment current = StartingAt(start_steady_ns);
  uint64_t acked_so_far = 0;
  for (const RequestSample& sample : samples) {
    acked_so_far += sample.acked_bytes;
    current.end_steady_ns = sample.answered_steady_ns;
    current.acked_bytes += sample.acked_bytes;
    ++current.requests;
    current.latencies_us.push_back(sample.latency_us);
    if (acked_so_far >= (segments.size() + 1) * segment_bytes) {
      current.full = true;
      segments.push_back(std::move(current));
      current = StartingAt(sample.answered_steady_ns);
    }
  }
  if (current.requests == 0) return segments;
  if (!segments.empty() && current.acked_bytes < segment_bytes / 2) {
    Absorb(segments.back(), std::move(current));
  } else {
    segments.push_back(std::move(current));
  }
  return segments;
}

void WriteSegments(JsonWriter& json, std::vector<Segment>& segments, int64_t start_steady_ns) {
  json.BeginArray();
  for (size_t i = 0; i < segments.size(); ++i) {
    Segment& segment = segments[i];
    const double seconds = SecondsBetween(segment.start_steady_ns, segment.end_steady_ns);
    json.BeginObject()
        .Key("index").Uint(i + 1)
        .Key("full").Bool(segment.full)
        .Key("acked_bytes").Uint(segment.acked_bytes)
        .Key("requests").Uint(segment.requests)
        .Key("start_s").Double(SecondsBetween(start_steady_ns, segment.start_steady_ns))
        .Key("end_s").Double(SecondsBetween(start_steady_ns, segment.end_steady_ns))
        .Key("mb_per_s").Double(seconds > 0 ? static_cast<double>(segment.acked_bytes) / seconds / 1e6 : 0.0)
        .Key("latency_ms");
    WritePercentilesMs(json, segment.latencies_us);
    json.EndObject();
  }
  json.EndArray();
}

}  // namespace sluice::bench
