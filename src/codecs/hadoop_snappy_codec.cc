#include <snappy.h>

#include "codecs/byte_order.h"
#include "codecs/codec.h"
#include "codecs/run_chunker.h"

namespace sluice::codecs {
namespace {

// Hadoop's SnappyCodec wraps raw Snappy in BlockCompressorStream framing: per block
// [uncompressed length:4 BE] followed by [compressed length:4 BE][raw Snappy] chunks. With the
// default io.compression.codec.snappy.buffersize of 256 KiB, Hadoop caps a block's input at
// buffersize - (buffersize / 6 + 32) bytes so that the worst-case compressed chunk still fits its
// decompressor's 256 KiB buffer; Sluice uses that cap and writes exactly one chunk per block.
constexpr size_t kHadoopBufferSize = 256 * 1024;
constexpr size_t kMaxBlockInput = kHadoopBufferSize - (kHadoopBufferSize / 6 + 32);
constexpr size_t kBlockHeaderSize = 8;
constexpr size_t kBlocksPerEmit = 5;  // blocks encoded and emitted together (~1 MiB of input)

// Writes one block of `block` (one chunk) at `out`; returns its size.
size_t EncodeBlock(std::string_view block, char* out) {
  size_t compressed_size = 0;
  snappy::RawCompress(block.data(), block.size(), out + kBlockHeaderSize, &compressed_size);
  StoreBe32(out, static_cast<uint32_t>(block.size()));
  StoreBe32(out + 4, static_cast<uint32_t>(compressed_size));
  return kBlockHeaderSize + compressed_size;
}

// Empty input yields an empty file: Hadoop's reader treats end of input at a block boundary as
// the end of the stream.
class HadoopSnappyCodec final : public Codec {
 public:
  Result<std::unique_ptr<ObjectCompressor>> Start(EmitBytes emit, std::optional<uint64_t>) override {
    static const ChunkFormat kFormat{kMaxBlockInput, kBlockHeaderSize + snappy::MaxCompressedLength(kMaxBlockInput),
                                     EncodeBlock};
    return MakeChunkedCompressor(std::move(emit), kFormat, kBlocksPerEmit, "");
  }
  std::string_view Extension() const override { return ".hsnappy"; }
};

}  // namespace

std::unique_ptr<Codec> MakeHadoopSnappy() { return std::make_unique<HadoopSnappyCodec>(); }

}  // namespace sluice::codecs
