#include "processors/query_keys.h"

#include <utility>

namespace sluice::processors {

std::string_view JsonKindName(JsonKind kind) {
  switch (kind) {
    case JsonKind::kNull:
      return "null";
    case JsonKind::kBoolean:
      return "a boolean";
    case JsonKind::kNumber:
      return "a number";
    case JsonKind::kString:
      return "a string";
    case JsonKind::kArray:
      return "an array";
    case JsonKind::kObject:
      return "an object";
  }
  return "unknown";
}

Result<PartitionKeys> PartitionKeysOf(std::map<std::string, QueryValue> members) {
  PartitionKeys keys;
  for (auto& [key, value] : members) {
    if (value.kind == JsonKind::kNull) {
      return InvalidArgument("MetadataExtractionQuery gave null for partition key '" + key +
                             "' (the field is missing from the record or null)");
    }
    if (value.kind == JsonKind::kArray || value.kind == JsonKind::kObject) {
      return InvalidArgument("MetadataExtractionQuery gave " + std::string(JsonKindName(value.kind)) +
                             " for partition key '" + key +
                             "'; partition keys must be strings, numbers or booleans");
    }
    keys.emplace(key, std::move(value.text));
  }
  return keys;
}

Error NotAnObjectError(JsonKind kind) {
  return Error{ErrorCode::kInvalidArgument,
               "record is " + std::string(JsonKindName(kind)) +
                   ", not a JSON object; MetadataExtraction needs one JSON object per record"};
}

}  // namespace sluice::processors
