#include "codecs/deflate_compressor.h"

#include <algorithm>

namespace sluice::codecs {

DeflateCompressor AllocDeflateCompressor(int level) {
  constexpr int kMinLevel = 0;
  constexpr int kMaxLevel = 12;
  return DeflateCompressor(libdeflate_alloc_compressor(std::clamp(level, kMinLevel, kMaxLevel)));
}

}  // namespace sluice::codecs
