#include "loadgen/compress_ref.h"

#include <libdeflate.h>

#include <chrono>

namespace sluice::bench {

CompressRate MeasureGzip(const std::vector<std::string>& records, int level, size_t batch_bytes,
                         double seconds) {
  std::vector<std::string> batches(1);
  for (const auto& record : records) {
    if (batches.back().size() + record.size() > batch_bytes) batches.emplace_back();
    batches.back() += record;
  }
  libdeflate_compressor* compressor = libdeflate_alloc_compressor(level);
  std::string out;
  CompressRate rate;
  size_t in_bytes = 0;
  size_t out_bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  double elapsed = 0;
  while (elapsed < seconds || rate.batches < batches.size()) {
    const std::string& input = batches[rate.batches % batches.size()];
    out.resize(libdeflate_gzip_compress_bound(compressor, input.size()));
    out_bytes += libdeflate_gzip_compress(compressor, input.data(), input.size(), out.data(), out.size());
    in_bytes += input.size();
    ++rate.batches;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  libdeflate_free_compressor(compressor);
  rate.input_mb_s = static_cast<double>(in_bytes) / elapsed / 1e6;
  rate.ratio = out_bytes == 0 ? 0 : static_cast<double>(in_bytes) / static_cast<double>(out_bytes);
  return rate;
}

}  // namespace sluice::bench
