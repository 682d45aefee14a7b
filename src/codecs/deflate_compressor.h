#pragma once
// The libdeflate compressor shared by the gzip and ZIP codecs.

#include <libdeflate.h>

#include <memory>

namespace sluice::codecs {

struct DeflateCompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};
using DeflateCompressor = std::unique_ptr<libdeflate_compressor, DeflateCompressorDeleter>;

// `level` is libdeflate's 0-12; out-of-range values are clamped. Null if allocation failed,
// which the codec reports on its first Compress call. Allocating costs hundreds of KiB at high
// levels, so a codec keeps one for its lifetime and reuses it for every batch.
DeflateCompressor AllocDeflateCompressor(int level);

}  // namespace sluice::codecs
