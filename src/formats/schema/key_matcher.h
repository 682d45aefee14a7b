#pragma once
// Matches the keys of a JSON object to the fields of a table or struct, following the JSON SerDe:
// - OpenXJsonSerDe: keys have dots replaced by underscores if ConvertDotsInJsonKeysToUnderscores,
//   then are compared ignoring ASCII case if CaseInsensitive (the default). At the top level,
//   ColumnToJsonKeyMappings makes a column read the given JSON key instead of its own name.
// - HiveJsonSerDe: keys are compared ignoring ASCII case (as Hive's lower-case column names); column names must not contain dots.
// Keys that match no field are ignored. Not thread-safe (reuses a scratch buffer).

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "formats/record_writer.h"

namespace sluice::formats {

class KeyMatcher {
 public:
  static constexpr int kNoField = -1;

  // `fields` are the field names in schema order. `top_level` applies ColumnToJsonKeyMappings
  // (which must then name existing columns) and HiveJsonSerDe's rule against dots. Fails
  // (kInvalidArgument) for an empty name or two fields that read the same key.
  static Result<KeyMatcher> Create(const std::vector<std::string>& fields,
                                   const JsonInputOptions& options, bool top_level);

  // The index of the field `key` names, or kNoField.
  int Find(std::string_view key);

  // How a map's key is stored: OpenXJsonSerDe converts every JSON key (lower case, dots), map
  // keys included; HiveJsonSerDe keeps map keys as they are. The view is valid until the next call.
  std::string_view MapKey(std::string_view key) { return hive_ ? key : Normalize(key); }

 private:
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };

  KeyMatcher(bool hive, bool lower, bool dots) : hive_(hive), lower_(lower), dots_(dots) {}
  std::string_view Normalize(std::string_view key);

  bool hive_;
  bool lower_;
  bool dots_;
  std::unordered_map<std::string, int, KeyHash, std::equal_to<>> field_by_key_;
  std::string scratch_;
};

}  // namespace sluice::formats
