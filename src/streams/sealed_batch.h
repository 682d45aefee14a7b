#pragma once
// What a sealed batch becomes, decided once when the batch is sealed and written into the
// log's seal frame, so that a batch redelivered after a crash produces the very same object
// (same bucket, same key, same compression) instead of a duplicate under a new name.

#include <optional>
#include <string>
#include <string_view>

namespace sluice::streams {

struct SealedBatch {
  std::string bucket;
  std::string key;
  std::string compression;  // Firehose CompressionFormat name

  // Encoding: for each field, a u16 little-endian length then the bytes, after a one-byte
  // format version (kVersion).
  std::string Encode() const;
  static std::optional<SealedBatch> Decode(std::string_view bytes);

  friend bool operator==(const SealedBatch&, const SealedBatch&) = default;
};

}  // namespace sluice::streams
