#pragma once
// ORC stream compression: a stream is cut into chunks of at most the compression block size;
// each chunk gets a 3-byte little-endian header (length << 1 | is_original) and is stored
// compressed (raw deflate for ZLIB, raw Snappy), or as is when compressing does not make it
// smaller. With NONE, streams are stored as they are, without headers.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "formats/orc/orc_options.h"

namespace sluice::formats::orc {

class ChunkCompressor {
 public:
  ChunkCompressor(Compression compression, uint32_t block_size);
  ~ChunkCompressor();
  ChunkCompressor(const ChunkCompressor&) = delete;
  ChunkCompressor& operator=(const ChunkCompressor&) = delete;

  // Appends the stored form of `stream` to `out`.
  Status Append(std::string_view stream, std::string& out);

  // Where the byte at `offset` of the last stream given to Append is found: with compression,
  // {start of its chunk in the stored stream, offset in the chunk}; without, {offset}. These
  // are the stream's first positions in a row index entry.
  void AppendPosition(uint64_t offset, std::vector<uint64_t>& positions) const;

 private:
  Result<std::string_view> CompressChunk(std::string_view chunk);

  Compression compression_;
  uint32_t block_size_;
  struct Deflater;
  std::unique_ptr<Deflater> deflater_;
  std::string buffer_;
  std::vector<uint64_t> chunk_starts_;  // of the last stream, relative to its start
  uint64_t stored_size_ = 0;            // of the last stream
};

}  // namespace sluice::formats::orc
