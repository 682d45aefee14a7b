#pragma once
// Reference lines on one core, measured on the workload with the server's own code: the rate of
// a CompressionFormat's codec (the same library and level the delivery pipeline uses) and of a
// Command transform (the server's Lambda-contract processor driving the program).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "codecs/codec.h"
#include "core/result.h"

namespace sluice::bench {

struct CompressRate {
  double input_mb_s = 0;  // 10^6 bytes of input per second
  double ratio = 0;       // input bytes / output bytes
  size_t batches = 0;
};

// Compresses batches of `batch_bytes` (records concatenated, as delivered objects are) with the
// codec of `compression_format` (e.g. "GZIP", "ZSTD") at `levels` (the server config's
// `compression.*`) on the calling thread for about `seconds`.
Result<CompressRate> MeasureCodec(const std::vector<std::string>& records,
                                  std::string_view compression_format,
                                  const codecs::CodecSettings& levels, size_t batch_bytes,
                                  double seconds);

struct TransformRate {
  double input_mb_s = 0;  // 10^6 bytes of record payload per second of wall time
  size_t batches = 0;
  size_t records = 0;
};

// Sends batches of `batch_bytes` of records through a `Command` processor running `command`
// (with its default BufferSizeInMBs, so several invocations per batch) for about `seconds`.
// Fails unless every record comes back Ok and unchanged, so a broken program is not measured.
Result<TransformRate> MeasureCommandTransform(const std::vector<std::string>& records,
                                              const std::string& command, size_t batch_bytes,
                                              double seconds);

}  // namespace sluice::bench
