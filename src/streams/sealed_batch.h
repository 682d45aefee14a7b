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
  // A batch for the destination, or (S3BackupMode Enabled) a batch of source records for the
  // backup destination, cut by the backup's own BufferingHints.
  enum class Kind : uint8_t { kData = 0, kBackup = 1 };
  Kind kind = Kind::kData;
  std::string bucket;
  std::string key;
  std::string compression;  // Firehose CompressionFormat name
  // kData: where the batch's records go, as failed-record documents, if they fail for good.
  // The key holds kErrorOutputTypeSlot wherever the error output type goes (ErrorKey fills it
  // in). Empty for kBackup, which is retried until stored.
  std::string error_bucket = {};
  std::string error_key = {};

  // Encoding: a one-byte format version (2), the kind byte, then for each string field in
  // declaration order a u16 little-endian length and the bytes. Version 1 (no kind; three more
  // fields for a backup copy made with each data batch) is still read: those copies are now
  // the backup's own batches, which start at the cursor and so cover the records again.
  // The error object's key for one error output type ("s3-failed", "processing-failed").
  std::string ErrorKey(std::string_view error_output_type) const;

  std::string Encode() const;
  static std::optional<SealedBatch> Decode(std::string_view bytes);

  friend bool operator==(const SealedBatch&, const SealedBatch&) = default;
};

}  // namespace sluice::streams
