#pragma once
// Converts one JSON value to a primitive column's Value, following the JSON SerDe's rules.
//   boolean            <- true/false, "true"/"false"                              -> bool
//   tinyint..bigint    <- integer in the type's range                            -> int64_t
//   date               <- "YYYY-MM-DD", or an integer (days since 1970-01-01)     -> int64_t days
//   timestamp          <- see below                                   -> int64_t nanoseconds, UTC
//   float / double     <- number (float: in float's range, rounded to it)        -> double
//   decimal(p,s)       <- number, rounded half-up to s digits, at most p digits   -> Decimal
//   string, varchar(n), char(n), binary <- string (its UTF-8 bytes); a number or boolean is
//                         stored as its JSON text; varchar/char: at most n characters
// JSON null is null. Anything else is kInvalidArgument naming the column, the value and the rule.
//
// OpenXJsonSerDe (the default) also takes numeric strings ("42") in numeric columns, stores
// objects and arrays in string columns as minified JSON, and reads timestamps as
//   "yyyy-M-d HH:mm:ss[.f]" or "yyyy-M-dTHH:mm:ss[.f][Z]" (up to 9 fraction digits, UTC),
//   an integer: epoch seconds when its magnitude is below 10^11, else epoch milliseconds,
//   a fraction: epoch seconds, to the microsecond; numeric strings count as numbers.
// HiveJsonSerDe refuses strings in numeric columns and objects/arrays in string columns, and reads
// timestamps with TimestampFormats (Joda-Time patterns, or "millis" for epoch milliseconds, tried
// in order), or by default as "yyyy-M-d HH:mm:ss[.f]" (java.sql.Timestamp's form).

#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/result.h"
#include "formats/record_writer.h"
#include "formats/schema/hive_type.h"
#include "formats/schema/timestamp_format.h"
#include "formats/schema/value.h"

namespace sluice::formats {

class JsonValueConverter {
 public:
  // Fails (kInvalidArgument) for a TimestampFormats pattern that cannot be parsed.
  static Result<JsonValueConverter> Create(const JsonInputOptions& options);

  struct Input;  // the value being converted (defined in json_value.cc)

  // `type` must be primitive; `column` names it in errors (a path such as "geo.lat" for nested
  // fields).
  Result<Value> Convert(std::string_view column, const HiveType& type,
                        simdjson::dom::element value) const;

  // A map key (a JSON object key, so always text) converted to the map's primitive key type; a
  // numeric key type parses the text with either SerDe, as Hive does.
  Result<Value> ConvertKey(std::string_view column, const HiveType& type,
                           std::string_view key) const;

 private:
  JsonValueConverter(bool hive, std::vector<TimestampFormat> formats)
      : hive_(hive), timestamp_formats_(std::move(formats)) {}
  Result<Value> ConvertInput(std::string_view column, const HiveType& type, const Input& in) const;
  Result<Value> ConvertTimestamp(std::string_view column, const HiveType& type,
                                 const Input& in) const;

  bool hive_;
  std::vector<TimestampFormat> timestamp_formats_;
};

// Exposed for tests: "YYYY-MM-DD" to days since 1970-01-01.
Result<int32_t> ParseDate(std::string_view text);
// Exposed for tests: "yyyy-M-d[ T]HH:mm:ss[.fffffffff][Z]" to nanoseconds since the epoch, UTC.
Result<int64_t> ParseTimestamp(std::string_view text);
// Exposed for tests: decimal text ("-12.345", "1e3") to an unscaled value at `scale`, rounded
// half-up; fails if it needs more than `precision` digits.
Result<Int128> ParseDecimal(std::string_view text, int precision, int scale);

}  // namespace sluice::formats
