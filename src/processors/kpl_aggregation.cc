#include "processors/kpl_aggregation.h"

#include <openssl/evp.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

namespace sluice::processors {
namespace {

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

// Reads protobuf wire data from a view; every read reports whether the bytes were well formed.
class ProtoReader {
 public:
  explicit ProtoReader(std::string_view bytes) : bytes_(bytes) {}

  bool AtEnd() const { return pos_ == bytes_.size(); }
  size_t position() const { return pos_; }

  bool ReadVarint(uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ == bytes_.size()) return false;
      const auto byte = static_cast<unsigned char>(bytes_[pos_++]);
      value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }

  bool ReadTag(uint32_t& field, uint32_t& wire_type) {
    uint64_t tag = 0;
    if (!ReadVarint(tag) || (tag >> 3) == 0 || (tag >> 3) > UINT32_MAX) return false;
    field = static_cast<uint32_t>(tag >> 3);
    wire_type = static_cast<uint32_t>(tag & 7);
    return true;
  }

  bool ReadLengthDelimited(std::string_view& value) {
    uint64_t length = 0;
    if (!ReadVarint(length) || length > bytes_.size() - pos_) return false;
    value = bytes_.substr(pos_, length);
    pos_ += length;
    return true;
  }

  bool Skip(uint32_t wire_type) {
    uint64_t ignored = 0;
    std::string_view ignored_bytes;
    switch (wire_type) {
      case kVarint:
        return ReadVarint(ignored);
      case kLengthDelimited:
        return ReadLengthDelimited(ignored_bytes);
      case kFixed64:
        return Advance(8);
      case kFixed32:
        return Advance(4);
      default:
        return false;  // groups (3, 4) are not used by the format
    }
  }

 private:
  bool Advance(size_t n) {
    if (n > bytes_.size() - pos_) return false;
    pos_ += n;
    return true;
  }

  std::string_view bytes_;
  size_t pos_ = 0;
};

std::unexpected<Error> Corrupt(std::string message) {
  return Fail(ErrorCode::kCorruption, "KPL aggregated record: " + std::move(message));
}

struct SubRecord {
  uint64_t partition_key_index = 0;
  bool has_partition_key_index = false;
  std::string_view data;
  bool has_data = false;
};

bool ParseSubRecord(std::string_view bytes, SubRecord& out) {
  ProtoReader reader(bytes);
  while (!reader.AtEnd()) {
    uint32_t field = 0;
    uint32_t wire_type = 0;
    if (!reader.ReadTag(field, wire_type)) return false;
    if (field == 1 && wire_type == kVarint) {
      if (!reader.ReadVarint(out.partition_key_index)) return false;
      out.has_partition_key_index = true;
    } else if (field == 3 && wire_type == kLengthDelimited) {
      if (!reader.ReadLengthDelimited(out.data)) return false;
      out.has_data = true;
    } else if (!reader.Skip(wire_type)) {
      return false;
    }
  }
  return true;
}

bool Md5(std::string_view bytes, unsigned char (&digest)[kKplMd5Bytes]) {
  unsigned int size = 0;
  return EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_md5(), nullptr) == 1 &&
         size == kKplMd5Bytes;
}

}  // namespace

bool HasKplMagic(std::string_view data) {
  return data.size() >= kKplMagic.size() &&
         std::memcmp(data.data(), kKplMagic.data(), kKplMagic.size()) == 0;
}

Result<std::vector<std::string>> DeaggregateKpl(std::string_view data) {
  if (!HasKplMagic(data)) return Corrupt("does not start with the magic bytes F3 89 9A C2");
  if (data.size() < kKplMagic.size() + kKplMd5Bytes) {
    return Corrupt("is " + std::to_string(data.size()) + " bytes, shorter than the " +
                   std::to_string(kKplMagic.size() + kKplMd5Bytes) + "-byte magic and MD5 trailer");
  }
  const std::string_view message =
      data.substr(kKplMagic.size(), data.size() - kKplMagic.size() - kKplMd5Bytes);
  const std::string_view trailer = data.substr(data.size() - kKplMd5Bytes);
  unsigned char digest[kKplMd5Bytes];
  if (!Md5(message, digest)) return Fail(ErrorCode::kInternal, "MD5 digest failed");
  if (std::memcmp(digest, trailer.data(), kKplMd5Bytes) != 0) {
    return Corrupt("MD5 trailer does not match the protobuf message");
  }

  size_t partition_keys = 0;
  std::vector<std::string> records;
  std::vector<SubRecord> sub_records;
  ProtoReader reader(message);
  while (!reader.AtEnd()) {
    const size_t offset = reader.position();
    uint32_t field = 0;
    uint32_t wire_type = 0;
    if (!reader.ReadTag(field, wire_type)) {
      return Corrupt("malformed protobuf field tag at offset " + std::to_string(offset));
    }
    std::string_view bytes;
    if ((field == 1 || field == 3) && wire_type == kLengthDelimited) {
      if (!reader.ReadLengthDelimited(bytes)) {
        return Corrupt("protobuf field " + std::to_string(field) + " at offset " +
                       std::to_string(offset) + " runs past the end of the message");
      }
      if (field == 1) {
        ++partition_keys;
        continue;
      }
      SubRecord sub;
      if (!ParseSubRecord(bytes, sub)) {
        return Corrupt("records[" + std::to_string(sub_records.size()) + "] is malformed protobuf");
      }
      sub_records.push_back(sub);
    } else if (!reader.Skip(wire_type)) {
      return Corrupt("malformed protobuf field " + std::to_string(field) + " at offset " +
                     std::to_string(offset));
    }
  }
  // Checked after the whole message is read: the key table may follow the records on the wire.
  records.reserve(sub_records.size());
  for (size_t i = 0; i < sub_records.size(); ++i) {
    const SubRecord& sub = sub_records[i];
    if (!sub.has_data) return Corrupt("records[" + std::to_string(i) + "] has no data field");
    if (!sub.has_partition_key_index) {
      return Corrupt("records[" + std::to_string(i) + "] has no partition_key_index field");
    }
    if (sub.partition_key_index >= partition_keys) {
      return Corrupt("records[" + std::to_string(i) + "] partition_key_index " +
                     std::to_string(sub.partition_key_index) + " is outside the table of " +
                     std::to_string(partition_keys) + " keys");
    }
    records.emplace_back(sub.data);
  }
  return records;
}

}  // namespace sluice::processors
