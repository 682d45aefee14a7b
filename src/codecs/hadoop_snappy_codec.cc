#include <snappy.h>

#include "codecs/byte_order.h"
#include "codecs/codec.h"

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

class HadoopSnappyCodec final : public Codec {
 public:
  // Empty input yields an empty file: Hadoop's reader treats end of input at a block boundary
  // as the end of the stream.
  Result<std::string> Compress(std::string_view input) override {
    const size_t blocks = (input.size() + kMaxBlockInput - 1) / kMaxBlockInput;
    std::string out(blocks * (kBlockHeaderSize + snappy::MaxCompressedLength(kMaxBlockInput)),
                    '\0');
    size_t at = 0;
    for (size_t offset = 0; offset < input.size(); offset += kMaxBlockInput) {
      const std::string_view block = input.substr(offset, kMaxBlockInput);
      char* header = out.data() + at;
      size_t compressed_size = 0;
      snappy::RawCompress(block.data(), block.size(), header + kBlockHeaderSize, &compressed_size);
      StoreBe32(header, static_cast<uint32_t>(block.size()));
      StoreBe32(header + 4, static_cast<uint32_t>(compressed_size));
      at += kBlockHeaderSize + compressed_size;
    }
    out.resize(at);
    return out;
  }

  std::string_view Extension() const override { return ".hsnappy"; }
};

}  // namespace

std::unique_ptr<Codec> MakeHadoopSnappy() { return std::make_unique<HadoopSnappyCodec>(); }

}  // namespace sluice::codecs
