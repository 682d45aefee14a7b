#pragma once
// The on-disk frame of the write-ahead log (docs/wal-format.md is the normative description;
// keep the two in step). All integers are little-endian.
//
//   [u32 length][u32 crc32c][u64 seq][i64 arrival_ms][u8 kind][payload]
//
// `length` counts the bytes after the crc field (seq .. end of payload); `crc32c` covers exactly
// those bytes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::wal {

inline constexpr size_t kLengthFieldBytes = 4;
inline constexpr size_t kCrcFieldBytes = 4;
inline constexpr size_t kFramePrefixBytes = kLengthFieldBytes + kCrcFieldBytes;
// seq (8) + arrival_ms (8) + kind (1): the part of `length` that is not payload.
inline constexpr size_t kFrameBodyHeaderBytes = 8 + 8 + 1;
inline constexpr size_t kFrameHeaderBytes = kFramePrefixBytes + kFrameBodyHeaderBytes;
// Largest payload a frame may carry. Bounds what a corrupt length field can make recovery read.
inline constexpr size_t kMaxPayloadBytes = 16u << 20;
inline constexpr uint32_t kMaxFrameLength = kFrameBodyHeaderBytes + kMaxPayloadBytes;
// A seal payload starts with the batch's last seq; the opaque descriptor follows.
inline constexpr size_t kSealLastSeqBytes = 8;
inline constexpr size_t kMaxSealDescriptorBytes = kMaxPayloadBytes - kSealLastSeqBytes;

enum class FrameKind : uint8_t { kRecord = 1, kSeal = 2 };

// The size a frame with `payload_bytes` of payload occupies on disk.
constexpr uint64_t FrameSize(uint64_t payload_bytes) { return kFrameHeaderBytes + payload_bytes; }

// Appends one complete frame whose payload is `payload_head` followed by `payload_tail`
// (split so a seal can be encoded without a temporary).
void AppendFrame(std::string& out, FrameKind kind, uint64_t seq, int64_t arrival_ms,
                 std::string_view payload_head, std::string_view payload_tail = {});
void AppendSealFrame(std::string& out, uint64_t first_seq, uint64_t last_seq, int64_t arrival_ms,
                     std::string_view descriptor);

struct FrameView {
  FrameKind kind;
  uint64_t seq;
  int64_t arrival_ms;
  std::string_view payload;  // points into the parsed bytes
  uint64_t size;             // whole frame, prefix included
};

enum class ParseStatus {
  kOk,
  kIncomplete,  // `bytes` ends inside the frame; `needed` says how many bytes the frame spans
  kBad,         // length out of range, crc mismatch, or unknown kind
};

// Parses the frame at the start of `bytes`. On kIncomplete, `needed` is the byte count to
// retry with (at least the prefix; the whole frame once the length is known).
ParseStatus ParseFrame(std::string_view bytes, FrameView& frame, size_t& needed);

struct SealPayload {
  uint64_t last_seq;
  std::string_view descriptor;
};
// False if the payload is too short to hold last_seq.
bool ParseSealPayload(std::string_view payload, SealPayload& seal);

void PutU32(std::string& out, uint32_t value);
void PutU64(std::string& out, uint64_t value);
uint32_t GetU32(const char* p);
uint64_t GetU64(const char* p);

}  // namespace sluice::wal
