// Base64 decoding of PutRecordBatch's Data fields at record sizes: ~1 KiB (the workload's
// average record, 1,468 characters) and 1 MiB. Prints figures only.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "core/base64.h"

namespace {

void BM_Base64Decode(benchmark::State& state) {
  std::string bytes(static_cast<size_t>(state.range(0)), '\0');
  uint32_t x = 2463534242u;
  for (char& c : bytes) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    c = static_cast<char>(x);
  }
  const std::string text = sluice::Base64Encode(bytes);
  std::string out;
  for (auto _ : state) {
    out.clear();
    benchmark::DoNotOptimize(sluice::Base64DecodeAppend(text, out));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_Base64Decode)->Arg(1100)->Arg(1 << 20);

}  // namespace

BENCHMARK_MAIN();
