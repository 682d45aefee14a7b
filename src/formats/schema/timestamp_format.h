#pragma once
// HiveJsonSerDe TimestampFormats: Joda-Time DateTimeFormat patterns, or "millis".
// Supported pattern letters: yyyy/yy (year), M/MM (month), MMM/MMMM (English month name),
// d/dd, H/HH, h/hh with a (AM/PM), m/mm, s/ss, S... (fraction, up to 9 digits), Z (+0100),
// ZZ (+01:00, or Z for UTC), 'quoted text' ('' is a quote); other non-letters match themselves.
// Values without an offset are UTC.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sluice::formats {

class TimestampFormat {
 public:
  // Fails (kInvalidArgument) naming the pattern and the unsupported letter.
  static Result<TimestampFormat> Parse(std::string_view pattern);

  // Nanoseconds since 1970-01-01T00:00:00Z, or kInvalidArgument if `text` does not match.
  Result<int64_t> Apply(std::string_view text) const;

  const std::string& pattern() const { return pattern_; }
  bool is_millis() const { return millis_; }

 private:
  enum class Field : uint8_t {
    kLiteral, kYear, kYear2, kMonth, kMonthName, kDay, kHour24, kHour12, kAmPm, kMinute, kSecond,
    kFraction, kOffset, kOffsetColon,
  };
  struct Token {
    Field field;
    int width;            // letters in the pattern (fixed digits when the next token is a number)
    std::string literal;  // kLiteral
  };

  std::string pattern_;
  bool millis_ = false;
  std::vector<Token> tokens_;
};

}  // namespace sluice::formats
