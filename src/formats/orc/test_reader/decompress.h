#pragma once
// Test-only: undoes ORC's stream compression. A compressed stream is a sequence of chunks, each
// with a 3-byte little-endian header (length << 1 | is_original) followed by the chunk's bytes,
// stored as is or compressed by the file's codec.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "formats/orc/test_reader/orc_metadata.h"

namespace sluice::formats::orc::test_reader {

// `block_size` bounds the decompressed size of one chunk.
Result<std::string> DecompressStream(CompressionKind kind, uint64_t block_size,
                                     std::string_view stream);

}  // namespace sluice::formats::orc::test_reader
