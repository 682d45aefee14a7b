#include "formats/orc/test_reader/decompress.h"

#include <libdeflate.h>
#include <lz4.h>
#include <lzo/lzo1x.h>
#include <snappy.h>
#include <zstd.h>

#include <memory>

namespace sluice::formats::orc::test_reader {
namespace {

std::unexpected<Error> Corrupt(std::string_view codec, const std::string& what) {
  return Fail(ErrorCode::kCorruption, "ORC " + std::string(codec) + " chunk: " + what);
}

// Decompresses one chunk into `out` (resized to the decompressed size).
Status DecompressChunk(CompressionKind kind, std::string_view in, uint64_t block_size,
                       std::string& out) {
  out.resize(block_size);
  switch (kind) {
    case CompressionKind::kZlib: {
      std::unique_ptr<libdeflate_decompressor, decltype(&libdeflate_free_decompressor)> d(
          libdeflate_alloc_decompressor(), &libdeflate_free_decompressor);
      size_t size = 0;
      if (libdeflate_deflate_decompress(d.get(), in.data(), in.size(), out.data(), out.size(),
                                        &size) != LIBDEFLATE_SUCCESS) {
        return Corrupt("ZLIB", "invalid deflate data or larger than the block size");
      }
      out.resize(size);
      return {};
    }
    case CompressionKind::kSnappy: {
      size_t size = 0;
      if (!snappy::GetUncompressedLength(in.data(), in.size(), &size) || size > block_size ||
          !snappy::RawUncompress(in.data(), in.size(), out.data())) {
        return Corrupt("SNAPPY", "invalid snappy data or larger than the block size");
      }
      out.resize(size);
      return {};
    }
    case CompressionKind::kLz4: {
      const int size = LZ4_decompress_safe(in.data(), out.data(), static_cast<int>(in.size()),
                                           static_cast<int>(out.size()));
      if (size < 0) return Corrupt("LZ4", "invalid lz4 block or larger than the block size");
      out.resize(static_cast<size_t>(size));
      return {};
    }
    case CompressionKind::kLzo: {
      if (lzo_init() != LZO_E_OK) return Corrupt("LZO", "liblzo2 failed to initialise");
      lzo_uint size = out.size();
      if (lzo1x_decompress_safe(reinterpret_cast<const unsigned char*>(in.data()), in.size(),
                                reinterpret_cast<unsigned char*>(out.data()), &size,
                                nullptr) != LZO_E_OK) {
        return Corrupt("LZO", "invalid lzo1x data or larger than the block size");
      }
      out.resize(size);
      return {};
    }
    case CompressionKind::kZstd: {
      const size_t size = ZSTD_decompress(out.data(), out.size(), in.data(), in.size());
      if (ZSTD_isError(size)) return Corrupt("ZSTD", ZSTD_getErrorName(size));
      out.resize(size);
      return {};
    }
    case CompressionKind::kNone:
      break;
  }
  return Fail(ErrorCode::kInternal, "ORC: no decompressor for this codec");
}

}  // namespace

Result<std::string> DecompressStream(CompressionKind kind, uint64_t block_size,
                                     std::string_view stream) {
  if (kind == CompressionKind::kNone) return std::string(stream);
  std::string result;
  std::string chunk;
  while (!stream.empty()) {
    if (stream.size() < 3) return Corrupt("stream", "truncated chunk header");
    const uint32_t header = static_cast<uint8_t>(stream[0]) |
                            static_cast<uint32_t>(static_cast<uint8_t>(stream[1])) << 8 |
                            static_cast<uint32_t>(static_cast<uint8_t>(stream[2])) << 16;
    const size_t length = header >> 1;
    stream.remove_prefix(3);
    if (length > stream.size()) {
      return Corrupt("stream", "chunk of " + std::to_string(length) + " bytes but only " +
                                   std::to_string(stream.size()) + " left");
    }
    const std::string_view body = stream.substr(0, length);
    stream.remove_prefix(length);
    if ((header & 1) != 0) {
      result.append(body);
      continue;
    }
    if (auto status = DecompressChunk(kind, body, block_size, chunk); !status) {
      return std::unexpected(status.error());
    }
    result.append(chunk);
  }
  return result;
}

}  // namespace sluice::formats::orc::test_reader
