#include <snappy.h>

#include <algorithm>
#include <cstring>

#include "codecs/byte_order.h"
#include "codecs/codec.h"
#include "codecs/run_chunker.h"
#include "core/crc32c.h"

namespace sluice::codecs {
namespace {

// Snappy framing format (google/snappy framing_format.txt): a stream identifier chunk, then
// data chunks of [type:1][length:3 LE][masked CRC-32C of the uncompressed bytes:4 LE][payload].
constexpr std::string_view kStreamIdentifier{"\xff\x06\x00\x00sNaPpY", 10};
constexpr unsigned char kCompressedChunk = 0x00;
constexpr unsigned char kUncompressedChunk = 0x01;
constexpr size_t kChunkHeaderSize = 8;
constexpr size_t kMaxChunkInput = 65536;  // the format's limit on uncompressed bytes per chunk
constexpr size_t kChunksPerEmit = 16;     // chunks encoded and emitted together (1 MiB of input)

uint32_t MaskedCrc32c(std::string_view bytes) {
  const uint32_t crc = Crc32c(bytes);
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

// Writes one framed chunk of `piece` at `out`; returns its size.
size_t EncodeChunk(std::string_view piece, char* out) {
  char* payload = out + kChunkHeaderSize;
  size_t payload_size = 0;
  snappy::RawCompress(piece.data(), piece.size(), payload, &payload_size);
  // Incompressible data is stored as is, so a chunk never grows beyond its input.
  const bool store_raw = payload_size >= piece.size();
  if (store_raw) {
    std::memcpy(payload, piece.data(), piece.size());
    payload_size = piece.size();
  }
  out[0] = static_cast<char>(store_raw ? kUncompressedChunk : kCompressedChunk);
  StoreLe24(out + 1, static_cast<uint32_t>(4 + payload_size));
  StoreLe32(out + 4, MaskedCrc32c(piece));
  return kChunkHeaderSize + payload_size;
}

class SnappyCodec final : public Codec {
 public:
  Result<std::unique_ptr<ObjectCompressor>> Start(EmitBytes emit, std::optional<uint64_t>) override {
    static const ChunkFormat kFormat{kMaxChunkInput, kChunkHeaderSize + snappy::MaxCompressedLength(kMaxChunkInput),
                                     EncodeChunk};
    return MakeChunkedCompressor(std::move(emit), kFormat, kChunksPerEmit, kStreamIdentifier);
  }
  std::string_view Extension() const override { return ".snappy"; }
};

}  // namespace

std::unique_ptr<Codec> MakeSnappy() { return std::make_unique<SnappyCodec>(); }

}  // namespace sluice::codecs
