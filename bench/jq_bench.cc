// Per-record cost of MetadataExtraction (issue 4): the same plain-path query through jq and
// through the simdjson fast path, and a query only jq can run, on ~1 KiB JSON records.
// Prints figures only; nothing here asserts a timing.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "processors/metadata_extraction.h"

namespace {

using sluice::processors::MetadataExtractionProcessor;

// Access-log-like objects of about 1 KiB with the keys partitioning usually reads.
std::vector<std::string> Records() {
  std::vector<std::string> records;
  for (int i = 0; i < 256; ++i) {
    std::string record = "{\"customer_id\":\"customer-" + std::to_string(i % 37) + "\",\"ts\":" +
                         std::to_string(1700000000 + i * 61) +
                         ",\"type\":{\"device\":\"" + (i % 3 == 0 ? "phone" : "desktop") +
                         "\",\"os\":\"linux\"},\"status\":" + std::to_string(200 + i % 5) +
                         ",\"path\":\"/api/v1/items/" + std::to_string(i * 7919) + "\",\"ua\":\"";
    while (record.size() < 1000) record += "Mozilla/5.0 (X11; Linux x86_64) ";
    record += "\",\"bytes\":" + std::to_string(i * 131) + "}";
    records.push_back(std::move(record));
  }
  return records;
}

void Run(benchmark::State& state, const char* query, MetadataExtractionProcessor::Engine engine) {
  auto processor = MetadataExtractionProcessor::Create(query, engine);
  if (!processor) {
    state.SkipWithError(processor.error().message.c_str());
    return;
  }
  const std::vector<std::string> records = Records();
  size_t i = 0;
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string& record = records[i++ % records.size()];
    auto keys = (*processor)->KeysOf(record);
    if (!keys) {
      state.SkipWithError(keys.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(keys);
    bytes += record.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

constexpr const char* kPlainQuery = "{customer_id:.customer_id, device:.type.device, status:.status}";

void BM_PlainPathsWithJq(benchmark::State& state) {
  Run(state, kPlainQuery, MetadataExtractionProcessor::Engine::kJqOnly);
}
void BM_PlainPathsFastPath(benchmark::State& state) {
  Run(state, kPlainQuery, MetadataExtractionProcessor::Engine::kFastest);
}
void BM_StrftimeWithJq(benchmark::State& state) {
  Run(state, "{customer_id:.customer_id, year:.ts|strftime(\"%Y\"), month:.ts|strftime(\"%m\")}",
      MetadataExtractionProcessor::Engine::kFastest);
}

BENCHMARK(BM_PlainPathsWithJq);
BENCHMARK(BM_PlainPathsFastPath);
BENCHMARK(BM_StrftimeWithJq);

}  // namespace

BENCHMARK_MAIN();
