#pragma once
// Converts one JSON value to a column's Cell, following Hive's type rules. Mapping:
//   boolean            <- true/false, "true"/"false"                        -> bool
//   tinyint..int, date <- integer (date: days since 1970-01-01, or "YYYY-MM-DD") -> int32_t
//   bigint             <- integer                                           -> int64_t
//   timestamp          <- integer epoch milliseconds, or "YYYY-MM-DD[ T]HH:MM:SS[.fffffffff][Z]"
//                         (UTC)                                             -> int64_t nanoseconds
//   float / double     <- number                                            -> float / double
//   decimal(p,s)       <- number or numeric string, rounded half-up to s digits -> Unscaled
//   string, varchar(n), char(n), binary <- string (its UTF-8 bytes); a number or boolean is
//                         stored as its JSON text; objects and arrays as minified JSON
// Numeric columns also take numeric strings ("42"), as Hive's JSON SerDes do. JSON null is null.
// Anything else is kInvalidArgument naming the column, the value and the rule.

#include <string_view>

#include <simdjson.h>

#include "core/result.h"
#include "formats/parquet/cell.h"
#include "formats/parquet/hive_type.h"

namespace sluice::formats::parquet {

Result<Cell> ConvertJsonValue(std::string_view column, const HiveType& type,
                              simdjson::dom::element value);

// Exposed for tests: "YYYY-MM-DD" to days since 1970-01-01.
Result<int32_t> ParseDate(std::string_view text);
// Exposed for tests: the timestamp text forms above to nanoseconds since 1970-01-01T00:00:00Z.
Result<int64_t> ParseTimestamp(std::string_view text);
// Exposed for tests: decimal text ("-12.345", "1e3") to an unscaled value at `scale`, rounded
// half-up; fails if it needs more than `precision` digits.
Result<Int128> ParseDecimal(std::string_view text, int precision, int scale);

}  // namespace sluice::formats::parquet
