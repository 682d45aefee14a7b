#pragma once
// The subset of Java DateTimeFormatter patterns that Firehose prefixes use: the fields yyyy yy
// MM dd HH mm ss SSS, 'quoted literal' text ('' is a quote), and any other non-letter character
// taken literally. Rendering is in UTC.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sluice::config {

class TimePattern {
 public:
  // On error the message describes the problem without naming a field; callers prefix it.
  static Result<TimePattern> Compile(std::string_view java_pattern);

  void AppendUtc(int64_t time_ms, std::string& out) const;

 private:
  enum class Field { kLiteral, kYear4, kYear2, kMonth, kDay, kHour, kMinute, kSecond, kMilli };
  struct Part {
    Field field;
    std::string literal;  // only for kLiteral
  };

  std::vector<Part> parts_;
};

// Formats `time_ms` (Unix epoch milliseconds) in UTC. `java_pattern` must compile; callers pass
// fixed patterns such as "yyyy-MM-dd-HH-mm-ss" (an invalid one yields an empty string).
std::string FormatUtc(int64_t time_ms, std::string_view java_pattern);

}  // namespace sluice::config
