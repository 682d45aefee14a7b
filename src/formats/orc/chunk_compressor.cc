#include "formats/orc/chunk_compressor.h"

#include <libdeflate.h>
#include <snappy.h>

#include <algorithm>

namespace sluice::formats::orc {
namespace {

constexpr int kZlibLevel = 6;
constexpr size_t kMaxChunk = (1u << 23) - 1;  // the header holds 23 bits of length

void AppendHeader(size_t length, bool original, std::string& out) {
  const uint32_t header = static_cast<uint32_t>(length << 1) | (original ? 1u : 0u);
  out.push_back(static_cast<char>(header & 0xff));
  out.push_back(static_cast<char>((header >> 8) & 0xff));
  out.push_back(static_cast<char>((header >> 16) & 0xff));
}

}  // namespace

struct ChunkCompressor::Deflater {
  libdeflate_compressor* compressor = libdeflate_alloc_compressor(kZlibLevel);
  ~Deflater() {
    if (compressor != nullptr) libdeflate_free_compressor(compressor);
  }
};

ChunkCompressor::ChunkCompressor(Compression compression, uint32_t block_size)
    : compression_(compression),
      block_size_(static_cast<uint32_t>(std::min<size_t>(block_size, kMaxChunk))),
      deflater_(compression == Compression::kZlib ? std::make_unique<Deflater>() : nullptr) {}

ChunkCompressor::~ChunkCompressor() = default;

Result<std::string_view> ChunkCompressor::CompressChunk(std::string_view chunk) {
  if (compression_ == Compression::kSnappy) {
    buffer_.resize(snappy::MaxCompressedLength(chunk.size()));
    size_t size = 0;
    snappy::RawCompress(chunk.data(), chunk.size(), buffer_.data(), &size);
    return std::string_view(buffer_.data(), size);
  }
  if (deflater_->compressor == nullptr) {
    return Fail(ErrorCode::kInternal, "ORC ZLIB: libdeflate could not allocate a compressor");
  }
  buffer_.resize(libdeflate_deflate_compress_bound(deflater_->compressor, chunk.size()));
  const size_t size = libdeflate_deflate_compress(deflater_->compressor, chunk.data(), chunk.size(),
                                                  buffer_.data(), buffer_.size());
  if (size == 0) return Fail(ErrorCode::kInternal, "ORC ZLIB: output exceeded its bound");
  return std::string_view(buffer_.data(), size);
}

void ChunkCompressor::AppendPosition(uint64_t offset, std::vector<uint64_t>& positions) const {
  if (compression_ == Compression::kNone) {
    positions.push_back(offset);
    return;
  }
  const uint64_t chunk = offset / block_size_;
  if (chunk < chunk_starts_.size()) {
    positions.push_back(chunk_starts_[chunk]);
    positions.push_back(offset % block_size_);
  } else {  // the end of the stream
    positions.push_back(stored_size_);
    positions.push_back(0);
  }
}

Status ChunkCompressor::Append(std::string_view stream, std::string& out) {
  chunk_starts_.clear();
  const size_t start = out.size();
  if (compression_ == Compression::kNone) {
    out.append(stream);
    stored_size_ = stream.size();
    return {};
  }
  while (!stream.empty()) {
    chunk_starts_.push_back(out.size() - start);
    const std::string_view chunk = stream.substr(0, block_size_);
    stream.remove_prefix(chunk.size());
    auto compressed = CompressChunk(chunk);
    if (!compressed) return std::unexpected(compressed.error());
    const bool original = compressed->size() >= chunk.size();
    const std::string_view stored = original ? chunk : *compressed;
    AppendHeader(stored.size(), original, out);
    out.append(stored);
  }
  stored_size_ = out.size() - start;
  return {};
}

}  // namespace sluice::formats::orc
