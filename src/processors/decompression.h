#pragma once
// Decompression (CompressionFormat GZIP): gunzips each record, as CloudWatch Logs subscription
// filters write them. A record that does not decompress goes to `decompression-failed` with the
// reason; the other records go on.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "processors/processor.h"

namespace sluice::processors {

// Sluice's bound on one decompressed record, so that a small malicious record cannot exhaust
// memory. Firehose documents no bound; CloudWatch Logs payloads are at most about 1 MB unpacked.
inline constexpr size_t kMaxDecompressedRecordBytes = 64 * 1024 * 1024;

// Decompresses all gzip members of `compressed` (RFC 1952). Fails (kCorruption, message says why)
// on a bad header, bad deflate data, a CRC or length mismatch, a truncated member, trailing
// non-gzip bytes, or output above `max_output`.
Result<std::string> Gunzip(std::string_view compressed,
                           size_t max_output = kMaxDecompressedRecordBytes);

class DecompressionProcessor final : public Processor {
 public:
  std::string_view Type() const override { return "Decompression"; }
  Result<std::vector<ProcessedRecord>> Process(std::vector<Record> batch) override;
};

}  // namespace sluice::processors
