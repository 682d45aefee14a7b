#include <libdeflate.h>

#include <cstdint>
#include <cstring>
#include <limits>

#include "codecs/byte_order.h"
#include "codecs/codec.h"
#include "codecs/deflate_compressor.h"

namespace sluice::codecs {
namespace {

// Field layout from PKWARE's APPNOTE.TXT (sections 4.3.7, 4.3.12, 4.3.16).
constexpr uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr uint32_t kCentralHeaderSignature = 0x02014b50;
constexpr uint32_t kEndOfCentralDirectorySignature = 0x06054b50;
constexpr size_t kLocalHeaderSize = 30;
constexpr size_t kCentralHeaderSize = 46;
constexpr size_t kEndOfCentralDirectorySize = 22;
// Bytes 4..29 of the local header (version needed .. extra length) reappear unchanged as bytes
// 6..31 of the central header.
constexpr size_t kSharedFieldsSize = 26;

constexpr uint16_t kVersionNeeded = 20;             // 2.0: deflate
constexpr uint16_t kVersionMadeBy = (3 << 8) | 20;  // host 3 (UNIX), spec 2.0
constexpr uint16_t kMethodDeflate = 8;
constexpr uint16_t kDosDate1980January1 = (0 << 9) | (1 << 5) | 1;
constexpr uint32_t kUnixRegularFile0644 = 0100644u << 16;  // external attributes, high half
// 0xFFFFFFFF in a size or offset field means "see the ZIP64 extra field", which Sluice never
// writes, so every such field must stay strictly below it.
constexpr uint64_t kMaxField = std::numeric_limits<uint32_t>::max() - 1;

// The archive holds one entry with a fixed name: the codec never sees the object key, and a
// fixed name keeps the output a pure function of the input.
constexpr std::string_view kEntryName = "data";

class ZipCodec final : public Codec {
 public:
  explicit ZipCodec(int level) : compressor_(AllocDeflateCompressor(level)) {}

  // The local header carries the sizes and CRC, and libdeflate compresses whole buffers: the
  // body is collected first.
  Result<std::unique_ptr<ObjectCompressor>> Start(EmitBytes emit, std::optional<uint64_t>) override {
    return MakeWholeBodyCompressor(std::move(emit), [this](std::string_view body, const EmitBytes& to) {
      return CompressTo(body, to);
    });
  }

  Status CompressTo(std::string_view input, const EmitBytes& emit) override {
    auto archive = Archive(input);
    if (!archive) return std::unexpected(archive.error());
    return Emit(emit, *archive);
  }

  std::string_view Extension() const override { return ".zip"; }

 private:
  Result<std::string> Archive(std::string_view input) {
    if (compressor_ == nullptr) {
      return Fail(ErrorCode::kInternal, "ZIP: libdeflate could not allocate a compressor");
    }
    const size_t data_at = kLocalHeaderSize + kEntryName.size();
    const size_t bound = libdeflate_deflate_compress_bound(compressor_.get(), input.size());
    const size_t trailer_size = kCentralHeaderSize + kEntryName.size() + kEndOfCentralDirectorySize;
    // Checked against the worst case before compressing, so every size and offset written below
    // fits its 32-bit field.
    if (bound > kMaxField - data_at - trailer_size) {
      return InvalidArgument("ZIP: a batch of " + std::to_string(input.size()) +
                             " bytes is too large: Sluice writes ZIP archives without ZIP64, so "
                             "an archive (with deflate's worst-case overhead) must stay below "
                             "4 GiB; use GZIP or ZSTD for larger objects");
    }
    std::string out(data_at + bound + trailer_size, '\0');
    const size_t compressed_size = libdeflate_deflate_compress(
        compressor_.get(), input.data(), input.size(), out.data() + data_at, bound);
    if (compressed_size == 0) {
      return Fail(ErrorCode::kInternal, "ZIP: compressed output exceeded libdeflate's bound");
    }
    const uint32_t crc = libdeflate_crc32(0, input.data(), input.size());

    char* local = out.data();
    StoreLe32(local, kLocalHeaderSignature);
    StoreLe16(local + 4, kVersionNeeded);
    StoreLe16(local + 6, 0);  // flags: sizes are known up front, so no data descriptor
    StoreLe16(local + 8, kMethodDeflate);
    StoreLe16(local + 10, 0);  // 00:00:00
    StoreLe16(local + 12, kDosDate1980January1);
    StoreLe32(local + 14, crc);
    StoreLe32(local + 18, static_cast<uint32_t>(compressed_size));
    StoreLe32(local + 22, static_cast<uint32_t>(input.size()));
    StoreLe16(local + 26, static_cast<uint16_t>(kEntryName.size()));
    StoreLe16(local + 28, 0);  // no extra field
    std::memcpy(local + kLocalHeaderSize, kEntryName.data(), kEntryName.size());

    const size_t central_at = data_at + compressed_size;
    char* central = out.data() + central_at;
    StoreLe32(central, kCentralHeaderSignature);
    StoreLe16(central + 4, kVersionMadeBy);
    std::memcpy(central + 6, local + 4, kSharedFieldsSize);
    StoreLe16(central + 32, 0);  // comment length
    StoreLe16(central + 34, 0);  // disk number start
    StoreLe16(central + 36, 0);  // internal attributes
    StoreLe32(central + 38, kUnixRegularFile0644);
    StoreLe32(central + 42, 0);  // offset of the local header
    std::memcpy(central + kCentralHeaderSize, kEntryName.data(), kEntryName.size());

    const size_t central_size = kCentralHeaderSize + kEntryName.size();
    char* end = central + central_size;
    StoreLe32(end, kEndOfCentralDirectorySignature);
    StoreLe16(end + 4, 0);  // this disk
    StoreLe16(end + 6, 0);  // disk holding the central directory
    StoreLe16(end + 8, 1);  // entries on this disk
    StoreLe16(end + 10, 1);  // entries in total
    StoreLe32(end + 12, static_cast<uint32_t>(central_size));
    StoreLe32(end + 16, static_cast<uint32_t>(central_at));
    StoreLe16(end + 20, 0);  // archive comment length

    out.resize(central_at + central_size + kEndOfCentralDirectorySize);
    return out;
  }

  DeflateCompressor compressor_;
};

}  // namespace

std::unique_ptr<Codec> MakeZip(int level) { return std::make_unique<ZipCodec>(level); }

}  // namespace sluice::codecs
