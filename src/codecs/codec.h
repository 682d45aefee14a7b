#pragma once
// Compression of an object body on its way to a sink, as the body arrives.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sluice::codecs {

// Receives a compressed object's bytes in order; false stops the compression (the destination
// failed).
using EmitBytes = std::function<bool(std::string_view)>;

// One object's body compressed as it arrives: Write the body in pieces of any size, then Finish
// once. Compressed bytes reach the codec's `emit` as they are produced, so neither the whole body
// nor its compressed form need be in memory at once (a batch can be up to 128 MiB). After an
// error, or when dropped before Finish, the object is abandoned. Must not outlive its codec.
class ObjectCompressor {
 public:
  virtual ~ObjectCompressor() = default;
  virtual Status Write(std::string_view body_piece) = 0;
  virtual Status Finish() = 0;
};

// A codec makes self-contained files in its format (a gzip file, a ZIP archive, ...), one object
// at a time. Not thread-safe: implementations keep compressor state between objects, so each
// delivery loop owns its own instance, and starting an object abandons any unfinished one.
class Codec {
 public:
  virtual ~Codec() = default;
  // Starts an object. `body_bytes` is the body's total size when the caller knows it (ZSTD writes
  // it into its frame header); a body of another size is then an error.
  virtual Result<std::unique_ptr<ObjectCompressor>> Start(EmitBytes emit,
                                                          std::optional<uint64_t> body_bytes) = 0;
  // The default object-key extension Firehose uses for this format, with its dot ("" if none).
  virtual std::string_view Extension() const = 0;

  // A whole body at once, handed to `emit` piece by piece. An error means compression failed, or
  // `emit` stopped it (kUnavailable). By default Start, one Write, Finish.
  virtual Status CompressTo(std::string_view input, const EmitBytes& emit);
  // A whole body at once, the pieces joined.
  Result<std::string> Compress(std::string_view input);
};

// emit(piece), turned into the error CompressTo returns when the destination stops it.
Status Emit(const EmitBytes& emit, std::string_view piece);

// For formats that need the whole body before writing anything (ZIP: sizes and CRC come first,
// and libdeflate compresses whole buffers only): collects the body, then `compress_whole` emits
// the file at Finish.
using CompressWhole = std::function<Status(std::string_view body, const EmitBytes& emit)>;
std::unique_ptr<ObjectCompressor> MakeWholeBodyCompressor(EmitBytes emit, CompressWhole compress_whole);

// Emits the input itself: no copy.
std::unique_ptr<Codec> MakeUncompressed();

// RFC 1952 gzip via libdeflate. `level` is libdeflate's 0-12 (out-of-range values are clamped).
// Each `member_input_bytes` of input is compressed into a gzip member of its own, the file being
// the members back to back (RFC 1952 §2.2; gzip, zlib's gzread, Python, Java and Node read them
// as one stream), so an object holds one member per thread at a time.
inline constexpr size_t kGzipMemberInputBytes = 8 << 20;
// Members are independent, so up to `threads` of them are compressed at once (the calling thread
// and threads-1 more), and emitted in order: the bytes do not depend on `threads`.
std::unique_ptr<Codec> MakeGzip(int level = 6, size_t member_input_bytes = kGzipMemberInputBytes, int threads = 1);

// A ZIP archive with one deflated entry named "data" (level as for MakeGzip). No ZIP64: a batch
// whose worst-case archive would reach 4 GiB is refused with kInvalidArgument.
std::unique_ptr<Codec> MakeZip(int level = 6);

// The Snappy framing format (stream identifier, then chunks of at most 64 KiB of input).
std::unique_ptr<Codec> MakeSnappy();

// Hadoop SnappyCodec's BlockCompressorStream framing, readable by Hadoop, Hive and Athena.
std::unique_ptr<Codec> MakeHadoopSnappy();

// One zstd frame with a checksum, and the content size when Start was given it. `level` is
// clamped to libzstd's range. The frame is emitted in pieces of at most `piece_bytes`. With
// `threads` above 1, that many of libzstd's worker threads compress the frame's jobs at once
// (its multithreaded mode, whose bytes differ from one thread's but not between counts above 1).
inline constexpr size_t kZstdPieceBytes = 1 << 20;
std::unique_ptr<Codec> MakeZstd(int level = 3, size_t piece_bytes = kZstdPieceBytes, int threads = 1);

// Settings of the codecs that have any (server config `compression.*`).
struct CodecSettings {
  int deflate = 6;  // GZIP and ZIP: libdeflate's level
  int zstd = 3;
  int gzip_threads = 2;  // GZIP: members compressed at once
  int zstd_threads = 2;  // ZSTD: libzstd worker threads (1: none, the caller compresses)
};

// Builds the codec for a Firehose `CompressionFormat` value (exact, case-sensitive spelling,
// e.g. "GZIP", "Snappy"). Unknown names are kInvalidArgument.
Result<std::unique_ptr<Codec>> MakeCodec(std::string_view firehose_name, const CodecSettings& levels = {});

}  // namespace sluice::codecs
