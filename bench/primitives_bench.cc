// The per-byte primitives of the ingest path at record and body sizes: CRC-32C, which every
// log frame carries (computed when a record is appended, checked at each read), and Base64
// decoding of PutRecord/PutRecordBatch's Data fields. Prints figures only.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "core/base64.h"
#include "core/crc32c.h"

namespace {

std::string RandomBytes(int64_t n) {
  std::string data(static_cast<size_t>(n), '\0');
  uint32_t x = 2463534242u;
  for (char& c : data) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    c = static_cast<char>(x);
  }
  return data;
}

// A small record, a ~1 KiB record (the benchmark workload's average), a large one, 1 MiB.
void BM_Crc32c(benchmark::State& state) {
  const std::string data = RandomBytes(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(sluice::Crc32c(data));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Crc32c)->Arg(100)->Arg(1100)->Arg(16 << 10)->Arg(1 << 20);

// The Base64 text of a 1,100-byte record (1,468 characters) and of 1 MiB.
void BM_Base64Decode(benchmark::State& state) {
  const std::string text = sluice::Base64Encode(RandomBytes(state.range(0)));
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
