#include "loadgen/compress_ref.h"

#include <chrono>

#include "processors/make_processor.h"

namespace sluice::bench {
namespace {

std::vector<std::string> ConcatenatedBatches(const std::vector<std::string>& records,
                                             size_t batch_bytes) {
  std::vector<std::string> batches(1);
  for (const auto& record : records) {
    if (!batches.back().empty() && batches.back().size() + record.size() > batch_bytes) {
      batches.emplace_back();
    }
    batches.back() += record;
  }
  return batches;
}

std::vector<std::vector<processors::Record>> RecordBatches(const std::vector<std::string>& records,
                                                           size_t batch_bytes) {
  std::vector<std::vector<processors::Record>> batches(1);
  size_t bytes = 0;
  for (const auto& record : records) {
    if (!batches.back().empty() && bytes + record.size() > batch_bytes) {
      batches.emplace_back();
      bytes = 0;
    }
    processors::Record& added = batches.back().emplace_back();
    added.seq = batches.back().size();
    added.arrival_ms = 1767225600000;  // any time: the contract only passes it on
    added.data = record;
    bytes += record.size();
  }
  return batches;
}

// Calls `step(i)` for i = 0, 1, ... until `seconds` have passed and every index below `count`
// has run once; returns the elapsed seconds, or the first step's error.
template <typename Step>
Result<double> RunFor(double seconds, size_t count, size_t& steps, Step step) {
  const auto start = std::chrono::steady_clock::now();
  double elapsed = 0;
  while (elapsed < seconds || steps < count) {
    if (auto status = step(steps); !status) return std::unexpected(status.error());
    ++steps;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return elapsed;
}

}  // namespace

Result<CompressRate> MeasureCodec(const std::vector<std::string>& records,
                                  std::string_view compression_format,
                                  const codecs::CodecSettings& levels, size_t batch_bytes,
                                  double seconds) {
  auto codec = codecs::MakeCodec(compression_format, levels);
  if (!codec) return std::unexpected(codec.error());
  const std::vector<std::string> batches = ConcatenatedBatches(records, batch_bytes);
  CompressRate rate;
  size_t in_bytes = 0;
  size_t out_bytes = 0;
  auto elapsed = RunFor(seconds, batches.size(), rate.batches, [&](size_t i) -> Status {
    const std::string& input = batches[i % batches.size()];
    auto out = (*codec)->Compress(input);
    if (!out) return std::unexpected(out.error());
    in_bytes += input.size();
    out_bytes += out->size();
    return {};
  });
  if (!elapsed) return std::unexpected(elapsed.error());
  rate.input_mb_s = static_cast<double>(in_bytes) / *elapsed / 1e6;
  rate.ratio = out_bytes == 0 ? 0 : static_cast<double>(in_bytes) / static_cast<double>(out_bytes);
  return rate;
}

Result<TransformRate> MeasureCommandTransform(const std::vector<std::string>& records,
                                              const std::string& command, size_t batch_bytes,
                                              double seconds) {
  const processors::ProcessorConfig config{"Command", {{"Command", command}}};
  const processors::ProcessorEnvironment environment{
      "arn:aws:firehose:us-east-1:000000000000:deliverystream/bench", "us-east-1", {}};
  auto processor = processors::MakeProcessor(0, config, environment);
  if (!processor) return std::unexpected(processor.error());
  const auto batches = RecordBatches(records, batch_bytes);
  TransformRate rate;
  size_t in_bytes = 0;
  auto elapsed = RunFor(seconds, batches.size(), rate.batches, [&](size_t i) -> Status {
    const auto& batch = batches[i % batches.size()];
    auto outcomes = (*processor)->Process(batch);
    if (!outcomes) return std::unexpected(outcomes.error());
    if (outcomes->size() != batch.size()) {
      return Fail(ErrorCode::kInternal, "the transform returned " + std::to_string(outcomes->size()) +
                                            " records for " + std::to_string(batch.size()));
    }
    for (size_t r = 0; r < batch.size(); ++r) {
      const auto& outcome = (*outcomes)[r];
      const std::string which = "record " + std::to_string(r) + " of a batch";
      if (outcome.result != processors::ProcessResult::kOk) {
        return Fail(ErrorCode::kInternal,
                    which + " came back " + std::string(ProcessResultName(outcome.result)) + " (" +
                        outcome.error_code + ": " + outcome.error_message + ")");
      }
      if (outcome.data != batch[r].data) return Fail(ErrorCode::kInternal, which + " came back changed");
      in_bytes += batch[r].data.size();
    }
    rate.records += batch.size();
    return {};
  });
  if (!elapsed) return std::unexpected(elapsed.error());
  rate.input_mb_s = static_cast<double>(in_bytes) / *elapsed / 1e6;
  return rate;
}

}  // namespace sluice::bench
