#include "processors/decompression.h"

#include <zlib.h>

#include <utility>

namespace sluice::processors {
namespace {

// Owns a zlib inflate stream.
class Inflater {
 public:
  Inflater() = default;
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  ~Inflater() {
    if (initialised_) inflateEnd(&stream_);
  }

  bool Init() {
    initialised_ = inflateInit2(&stream_, 16 + MAX_WBITS) == Z_OK;  // 16: gzip wrapper only
    return initialised_;
  }
  z_stream& stream() { return stream_; }

 private:
  z_stream stream_{};
  bool initialised_ = false;
};

std::string ZlibReason(const z_stream& stream, int code) {
  if (stream.msg != nullptr) return stream.msg;
  return "zlib error " + std::to_string(code);
}

}  // namespace

Result<std::string> Gunzip(std::string_view compressed, size_t max_output) {
  if (compressed.size() < 2 || static_cast<unsigned char>(compressed[0]) != 0x1f ||
      static_cast<unsigned char>(compressed[1]) != 0x8b) {
    return Fail(ErrorCode::kCorruption,
                "not gzip data: it does not start with the gzip magic bytes 1f 8b");
  }
  Inflater inflater;
  if (!inflater.Init()) return Fail(ErrorCode::kInternal, "zlib inflateInit2 failed");
  z_stream& stream = inflater.stream();
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());

  std::string out;
  char chunk[16384];
  while (true) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof(chunk);
    const int code = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof(chunk) - stream.avail_out);
    if (out.size() > max_output) {
      return Fail(ErrorCode::kCorruption, "decompressed size exceeds the limit of " +
                                              std::to_string(max_output) + " bytes");
    }
    if (code == Z_STREAM_END) {
      if (stream.avail_in == 0) return out;
      // Another gzip member follows (concatenated gzip files decompress to their concatenation).
      if (inflateReset(&stream) != Z_OK)
        return Fail(ErrorCode::kInternal, "zlib inflateReset failed");
      continue;
    }
    if (code == Z_BUF_ERROR && stream.avail_in == 0) {
      return Fail(ErrorCode::kCorruption,
                  "gzip data is truncated after " + std::to_string(compressed.size()) + " bytes");
    }
    if (code != Z_OK && code != Z_BUF_ERROR) {
      return Fail(ErrorCode::kCorruption, "invalid gzip data: " + ZlibReason(stream, code));
    }
  }
}

Result<std::vector<ProcessedRecord>> DecompressionProcessor::Process(std::vector<Record> batch) {
  std::vector<ProcessedRecord> out;
  out.reserve(batch.size());
  for (Record& record : batch) {
    auto plain = Gunzip(record.data);
    if (plain) {
      out.push_back(OkRecord(record, std::move(*plain)));
    } else {
      out.push_back(FailedRecord(record, "Decompression.Failed",
                                 "GZIP decompression failed: " + plain.error().message,
                                 kDecompressionFailedOutput));
    }
  }
  return out;
}

}  // namespace sluice::processors
