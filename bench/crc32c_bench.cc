// CRC-32C throughput at the sizes the log checksums: a small record, a ~1 KiB record (the
// benchmark workload's average), a large record and a 1 MiB body. Prints figures only.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "core/crc32c.h"

namespace {

void BM_Crc32c(benchmark::State& state) {
  std::string data(static_cast<size_t>(state.range(0)), '\0');
  uint32_t x = 2463534242u;
  for (char& c : data) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    c = static_cast<char>(x);
  }
  for (auto _ : state) benchmark::DoNotOptimize(sluice::Crc32c(data));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Crc32c)->Arg(100)->Arg(1100)->Arg(16 << 10)->Arg(1 << 20);

}  // namespace

BENCHMARK_MAIN();
