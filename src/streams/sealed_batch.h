#pragma once
// What a sealed batch becomes, decided once when the batch is sealed and written into the
// log's seal frame, so that a batch redelivered after a crash produces the very same objects
// (same bucket, same key, same compression) instead of duplicates under new names.

#include <optional>
#include <string>
#include <string_view>

namespace sluice::streams {

// Stands for the error output type in SealedBatch::error_key. An evaluated prefix never holds
// "!{" (it may only start an expression), so the slot cannot clash with key text.
inline constexpr std::string_view kErrorOutputTypeSlot = "!{firehose:error-output-type}";

struct SealedBatch {
  std::string bucket;
  std::string key;
  std::string compression;  // Firehose CompressionFormat name
  // Where the batch's records go, as failed-record documents, if they fail for good. The key
  // holds kErrorOutputTypeSlot wherever the error output type goes (ErrorKey fills it in).
  std::string error_bucket;
  std::string error_key;
  // With S3BackupMode Enabled, a copy of the source records; all empty otherwise.
  std::string backup_bucket = {};
  std::string backup_key = {};
  std::string backup_compression = {};

  // Encoding: a one-byte format version (kVersion), then for each field in declaration order
  // a u16 little-endian length and the bytes.
  // The error object's key for one error output type ("s3-failed", "processing-failed").
  std::string ErrorKey(std::string_view error_output_type) const;

  std::string Encode() const;
  static std::optional<SealedBatch> Decode(std::string_view bytes);

  friend bool operator==(const SealedBatch&, const SealedBatch&) = default;
};

}  // namespace sluice::streams
