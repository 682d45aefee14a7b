#include "wal/format.h"

#include "core/crc32c.h"

namespace sluice::wal {

void PutU32(std::string& out, uint32_t value) {
  char bytes[4];
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>(value >> (8 * i));
  out.append(bytes, sizeof bytes);
}

void PutU64(std::string& out, uint64_t value) {
  char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(value >> (8 * i));
  out.append(bytes, sizeof bytes);
}

uint32_t GetU32(const char* p) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= uint32_t{static_cast<unsigned char>(p[i])} << (8 * i);
  return value;
}

uint64_t GetU64(const char* p) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  return value;
}

void AppendFrame(std::string& out, FrameKind kind, uint64_t seq, int64_t arrival_ms,
                 std::string_view payload_head, std::string_view payload_tail) {
  const size_t start = out.size();
  const uint64_t length = kFrameBodyHeaderBytes + payload_head.size() + payload_tail.size();
  PutU32(out, static_cast<uint32_t>(length));
  PutU32(out, 0);  // crc, filled in below once the body is in place
  PutU64(out, seq);
  PutU64(out, static_cast<uint64_t>(arrival_ms));
  out.push_back(static_cast<char>(kind));
  out.append(payload_head);
  out.append(payload_tail);
  const uint32_t crc =
      Crc32c(std::string_view(out).substr(start + kFramePrefixBytes, length));
  for (int i = 0; i < 4; ++i) {
    out[start + kLengthFieldBytes + i] = static_cast<char>(crc >> (8 * i));
  }
}

void AppendSealFrame(std::string& out, uint64_t first_seq, uint64_t last_seq, int64_t arrival_ms,
                     std::string_view descriptor) {
  char bytes[kSealLastSeqBytes];
  for (size_t i = 0; i < kSealLastSeqBytes; ++i) bytes[i] = static_cast<char>(last_seq >> (8 * i));
  AppendFrame(out, FrameKind::kSeal, first_seq, arrival_ms,
              std::string_view(bytes, sizeof bytes), descriptor);
}

ParseStatus ParseFrame(std::string_view bytes, FrameView& frame, size_t& needed) {
  if (bytes.size() < kFramePrefixBytes) {
    needed = kFramePrefixBytes;
    return ParseStatus::kIncomplete;
  }
  const uint32_t length = GetU32(bytes.data());
  if (length < kFrameBodyHeaderBytes || length > kMaxFrameLength) return ParseStatus::kBad;
  const size_t total = kFramePrefixBytes + length;
  if (bytes.size() < total) {
    needed = total;
    return ParseStatus::kIncomplete;
  }
  const std::string_view body = bytes.substr(kFramePrefixBytes, length);
  if (Crc32c(body) != GetU32(bytes.data() + kLengthFieldBytes)) return ParseStatus::kBad;
  const auto kind = static_cast<uint8_t>(body[16]);
  if (kind != static_cast<uint8_t>(FrameKind::kRecord) &&
      kind != static_cast<uint8_t>(FrameKind::kSeal)) {
    return ParseStatus::kBad;
  }
  frame.kind = static_cast<FrameKind>(kind);
  frame.seq = GetU64(body.data());
  frame.arrival_ms = static_cast<int64_t>(GetU64(body.data() + 8));
  frame.payload = body.substr(kFrameBodyHeaderBytes);
  frame.size = total;
  return ParseStatus::kOk;
}

bool ParseSealPayload(std::string_view payload, SealPayload& seal) {
  if (payload.size() < kSealLastSeqBytes) return false;
  seal.last_seq = GetU64(payload.data());
  seal.descriptor = payload.substr(kSealLastSeqBytes);
  return true;
}

}  // namespace sluice::wal
