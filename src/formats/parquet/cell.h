#pragma once
// One converted value, ready for its column's physical type (see json_value.h for the mapping).

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace sluice::formats::parquet {

__extension__ typedef __int128 Int128;

// A text value the converter had to build (a number or object stored in a string column).
struct OwnedText {
  std::string text;
};

// A decimal's unscaled value (the column's scale applies).
struct Unscaled {
  Int128 value;
};

// monostate is null. string_view points into the JSON document and lives as long as it does.
using Cell = std::variant<std::monostate, bool, int32_t, int64_t, float, double, std::string_view,
                          OwnedText, Unscaled>;

}  // namespace sluice::formats::parquet
