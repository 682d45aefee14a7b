#include "config/time_pattern.h"

#include <algorithm>
#include <array>
#include <chrono>

namespace sluice::config {
namespace {

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

void AppendPadded(int64_t value, int width, std::string& out) {
  std::string digits = std::to_string(value);
  if (digits.size() < static_cast<size_t>(width)) out.append(width - digits.size(), '0');
  out += digits;
}

}  // namespace

Result<TimePattern> TimePattern::Compile(std::string_view pattern) {
  struct Letters {
    std::string_view run;
    Field field;
  };
  static constexpr std::array<Letters, 8> kSupported = {{
      {"yyyy", Field::kYear4}, {"yy", Field::kYear2}, {"MM", Field::kMonth},
      {"dd", Field::kDay}, {"HH", Field::kHour}, {"mm", Field::kMinute},
      {"ss", Field::kSecond}, {"SSS", Field::kMilli},
  }};
  if (pattern.empty()) return InvalidArgument("the timestamp pattern is empty");
  TimePattern out;
  auto literal = [&out](std::string_view text) {
    if (out.parts_.empty() || out.parts_.back().field != Field::kLiteral) {
      out.parts_.push_back({Field::kLiteral, {}});
    }
    out.parts_.back().literal += text;
  };
  size_t i = 0;
  while (i < pattern.size()) {
    const char c = pattern[i];
    if (c == '\'') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
        literal("'");
        i += 2;
        continue;
      }
      std::string text;
      size_t j = i + 1;
      for (;; ++j) {
        if (j == pattern.size()) {
          return InvalidArgument("the timestamp pattern \"" + std::string(pattern) +
                                 "\" has an unterminated 'quoted literal'");
        }
        if (pattern[j] != '\'') {
          text += pattern[j];
        } else if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
          text += '\'';
          ++j;
        } else {
          break;
        }
      }
      literal(text);
      i = j + 1;
    } else if (IsLetter(c)) {
      size_t j = i;
      while (j < pattern.size() && pattern[j] == c) ++j;
      const std::string_view run = pattern.substr(i, j - i);
      const auto* match = std::find_if(kSupported.begin(), kSupported.end(),
                                       [run](const Letters& l) { return l.run == run; });
      if (match == kSupported.end()) {
        return InvalidArgument("the timestamp pattern \"" + std::string(pattern) +
                               "\" uses \"" + std::string(run) +
                               "\", which Sluice does not support (supported: yyyy yy MM dd HH "
                               "mm ss SSS, 'quoted text' and non-letter characters)");
      }
      out.parts_.push_back({match->field, {}});
      i = j;
    } else {
      literal(pattern.substr(i, 1));
      ++i;
    }
  }
  return out;
}

void TimePattern::AppendUtc(int64_t time_ms, std::string& out) const {
  using namespace std::chrono;
  const sys_time<milliseconds> instant{milliseconds(time_ms)};
  const auto day = floor<days>(instant);
  const year_month_day date{day};
  const hh_mm_ss<milliseconds> time{instant - day};
  for (const Part& part : parts_) {
    switch (part.field) {
      case Field::kLiteral: out += part.literal; break;
      case Field::kYear4: AppendPadded(static_cast<int>(date.year()), 4, out); break;
      case Field::kYear2: AppendPadded(static_cast<int>(date.year()) % 100, 2, out); break;
      case Field::kMonth: AppendPadded(static_cast<unsigned>(date.month()), 2, out); break;
      case Field::kDay: AppendPadded(static_cast<unsigned>(date.day()), 2, out); break;
      case Field::kHour: AppendPadded(time.hours().count(), 2, out); break;
      case Field::kMinute: AppendPadded(time.minutes().count(), 2, out); break;
      case Field::kSecond: AppendPadded(time.seconds().count(), 2, out); break;
      case Field::kMilli: AppendPadded(time.subseconds().count(), 3, out); break;
    }
  }
}

std::string FormatUtc(int64_t time_ms, std::string_view java_pattern) {
  std::string out;
  if (auto pattern = TimePattern::Compile(java_pattern)) pattern->AppendUtc(time_ms, out);
  return out;
}

}  // namespace sluice::config
