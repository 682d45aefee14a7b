#pragma once
// What a sealed batch becomes, decided once when the batch is sealed and written into the
// log's seal frame, so that a batch redelivered after a crash produces the very same objects
// (same bucket, same key, same compression) instead of duplicates under new names.

#include <optional>
#include <string>
#include <string_view>

namespace sluice::streams {

struct SealedBatch {
  std::string bucket;
  std::string key;
  std::string compression;  // Firehose CompressionFormat name
  // Where the batch's records go, as failed-record documents, if delivery fails for good.
  std::string error_bucket;
  std::string error_key;
  // With S3BackupMode Enabled, a copy of the source records; all empty otherwise.
  std::string backup_bucket = {};
  std::string backup_key = {};
  std::string backup_compression = {};

  // Encoding: a one-byte format version (kVersion), then for each field in declaration order
  // a u16 little-endian length and the bytes.
  std::string Encode() const;
  static std::optional<SealedBatch> Decode(std::string_view bytes);

  friend bool operator==(const SealedBatch&, const SealedBatch&) = default;
};

}  // namespace sluice::streams
