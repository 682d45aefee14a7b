#pragma once
// Whole-batch compression of an encoded object body before it is handed to a sink.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sluice::codecs {

// Receives a compressed object's bytes in order; false stops the compression (the destination
// failed).
using EmitBytes = std::function<bool(std::string_view)>;

// A codec compresses one complete object body per call; the output is a self-contained file
// in the codec's format (a gzip file, a ZIP archive, ...). Not thread-safe: implementations keep
// compressor state between calls, so each delivery loop owns its own instance.
class Codec {
 public:
  virtual ~Codec() = default;
  virtual Result<std::string> Compress(std::string_view input) = 0;
  // The same object handed to `emit` piece by piece, so that a sink storing parts as they come
  // never needs a compressed copy of a whole batch (up to 128 MiB) in memory. An error means
  // compression failed, or `emit` stopped it (kUnavailable). The default emits Compress's
  // result in one piece.
  virtual Status CompressTo(std::string_view input, const EmitBytes& emit);
  // The default object-key extension Firehose uses for this format, with its dot ("" if none).
  virtual std::string_view Extension() const = 0;
};

// emit(piece), turned into the error CompressTo returns when the destination stops it.
Status Emit(const EmitBytes& emit, std::string_view piece);

// Compress for codecs whose CompressTo is the primary implementation: the pieces joined.
Result<std::string> CollectPieces(Codec& codec, std::string_view input);

// Emits the input itself: no copy.
std::unique_ptr<Codec> MakeUncompressed();

// RFC 1952 gzip via libdeflate. `level` is libdeflate's 0-12 (out-of-range values are clamped).
// Each `member_input_bytes` of input is compressed into a gzip member of its own, the file being
// the members back to back (RFC 1952 §2.2; gzip, zlib's gzread, Python, Java and Node read them
// as one stream), so CompressTo holds one member per thread at a time.
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

// One zstd frame with content size and checksum. `level` is clamped to libzstd's range.
// CompressTo streams the frame in pieces of at most `piece_bytes`.
inline constexpr size_t kZstdPieceBytes = 1 << 20;
std::unique_ptr<Codec> MakeZstd(int level = 3, size_t piece_bytes = kZstdPieceBytes);

// Settings of the codecs that have any (server config `compression.*`).
struct CodecSettings {
  int deflate = 6;  // GZIP and ZIP: libdeflate's level
  int zstd = 3;
  int gzip_threads = 2;  // GZIP: members compressed at once
};

// Builds the codec for a Firehose `CompressionFormat` value (exact, case-sensitive spelling,
// e.g. "GZIP", "Snappy"). Unknown names are kInvalidArgument.
Result<std::unique_ptr<Codec>> MakeCodec(std::string_view firehose_name, const CodecSettings& levels = {});

}  // namespace sluice::codecs
