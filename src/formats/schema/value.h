#pragma once
// One converted primitive value, in a form every columnar writer can store (see json_value.h for
// which Hive type gives which alternative):
//   bool                        boolean
//   int64_t                     tinyint..bigint; date (days since 1970-01-01); timestamp
//                               (nanoseconds since 1970-01-01T00:00:00Z)
//   double                      double; float (already rounded to float precision)
//   std::string_view, OwnedText string, varchar, char, binary (UTF-8 / raw bytes)
//   Decimal                     decimal(p,s): the unscaled value, at the column's scale
//   std::monostate              null

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace sluice::formats {

__extension__ typedef __int128 Int128;

// A text value the converter had to build (a number or object stored in a string column).
struct OwnedText {
  std::string text;
};

struct Decimal {
  Int128 unscaled;
};

// string_view points into the JSON document and lives as long as it does.
using Value = std::variant<std::monostate, bool, int64_t, double, std::string_view, OwnedText,
                           Decimal>;

inline bool IsNull(const Value& value) { return std::holds_alternative<std::monostate>(value); }

// The bytes of a text value (string_view or OwnedText).
inline std::string_view TextOf(const Value& value) {
  if (const auto* owned = std::get_if<OwnedText>(&value)) return owned->text;
  return std::get<std::string_view>(value);
}

}  // namespace sluice::formats
