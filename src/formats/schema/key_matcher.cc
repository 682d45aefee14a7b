#include "formats/schema/key_matcher.h"

namespace sluice::formats {
namespace {

// ASCII only, as the SerDes compare keys; no locale lookup on this per-key path.
char LowerChar(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

}  // namespace

Result<KeyMatcher> KeyMatcher::Create(const std::vector<std::string>& fields,
                                      const JsonInputOptions& options, bool top_level) {
  const bool hive = options.serde == JsonInputOptions::SerDe::kHive;
  if (hive && (options.convert_dots_to_underscores || !options.column_to_json_key.empty())) {
    return InvalidArgument(
        "ConvertDotsInJsonKeysToUnderscores and ColumnToJsonKeyMappings belong to "
        "OpenXJsonSerDe, not HiveJsonSerDe");
  }
  KeyMatcher matcher(hive, hive || options.case_insensitive, !hive && options.convert_dots_to_underscores);
  const auto same_name = [&](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (matcher.lower_ ? LowerChar(a[i]) != LowerChar(b[i]) : a[i] != b[i]) return false;
    }
    return true;
  };
  std::vector<std::string> keys(fields.begin(), fields.end());
  if (top_level) {
    for (const auto& [column, json_key] : options.column_to_json_key) {
      size_t found = fields.size();
      for (size_t i = 0; i < fields.size() && found == fields.size(); ++i) {
        if (same_name(fields[i], column)) found = i;
      }
      if (found == fields.size()) {
        return InvalidArgument("ColumnToJsonKeyMappings names column \"" + column +
                               "\", which the table does not have");
      }
      keys[found] = json_key;
    }
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].empty()) return InvalidArgument("schema: a column or field has an empty name");
    if (hive && top_level && fields[i].find('.') != std::string::npos) {
      return InvalidArgument("column \"" + fields[i] +
                             "\": HiveJsonSerDe does not accept dots in column names");
    }
    const std::string key(matcher.Normalize(keys[i]));
    if (!matcher.field_by_key_.emplace(key, static_cast<int>(i)).second) {
      return InvalidArgument("column \"" + fields[i] + "\" reads JSON key \"" + key +
                             "\", which another column reads too" +
                             (matcher.lower_ ? " (keys compare ignoring case)" : ""));
    }
  }
  return matcher;
}

std::string_view KeyMatcher::Normalize(std::string_view key) {
  if (!lower_ && !dots_) return key;
  scratch_.resize(key.size());
  for (size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    if (dots_ && c == '.') c = '_';
    scratch_[i] = lower_ ? LowerChar(c) : c;
  }
  return scratch_;
}

int KeyMatcher::Find(std::string_view key) {
  const auto found = field_by_key_.find(Normalize(key));
  return found == field_by_key_.end() ? kNoField : found->second;
}

}  // namespace sluice::formats
