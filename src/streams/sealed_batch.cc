#include "streams/sealed_batch.h"

#include <cstdint>

#include "streams/field_codec.h"

namespace sluice::streams {
namespace {

constexpr char kVersion = 2;
constexpr char kVersionWithBackupCopy = 1;

bool ReadField(std::string_view& in, std::string& field) {
  std::string_view view;
  if (!TakeField(in, view)) return false;
  field.assign(view);
  return true;
}

}  // namespace

std::string SealedBatch::ErrorKey(std::string_view error_output_type) const {
  std::string filled;
  std::string_view rest = error_key;
  for (size_t slot; (slot = rest.find(kErrorOutputTypeSlot)) != std::string_view::npos;) {
    filled += rest.substr(0, slot);
    filled += error_output_type;
    rest.remove_prefix(slot + kErrorOutputTypeSlot.size());
  }
  filled += rest;
  return filled;
}

std::string SealedBatch::Encode() const {
  std::string out(1, kVersion);
  out += static_cast<char>(kind);
  AppendField(out, bucket);
  AppendField(out, key);
  AppendField(out, compression);
  AppendField(out, error_bucket);
  AppendField(out, error_key);
  return out;
}

std::optional<SealedBatch> SealedBatch::Decode(std::string_view bytes) {
  if (bytes.size() < 2 || (bytes[0] != kVersion && bytes[0] != kVersionWithBackupCopy)) return std::nullopt;
  const bool legacy = bytes[0] == kVersionWithBackupCopy;
  bytes.remove_prefix(1);
  SealedBatch batch;
  if (!legacy) {
    if (bytes[0] != static_cast<char>(Kind::kData) && bytes[0] != static_cast<char>(Kind::kBackup)) return std::nullopt;
    batch.kind = static_cast<Kind>(bytes[0]);
    bytes.remove_prefix(1);
  }
  if (!ReadField(bytes, batch.bucket) || !ReadField(bytes, batch.key) || !ReadField(bytes, batch.compression) ||
      !ReadField(bytes, batch.error_bucket) || !ReadField(bytes, batch.error_key)) {
    return std::nullopt;
  }
  std::string ignored;
  for (int field = 0; legacy && field < 3; ++field) {
    if (!ReadField(bytes, ignored)) return std::nullopt;
  }
  if (!bytes.empty()) return std::nullopt;
  return batch;
}

}  // namespace sluice::streams
