#include "formats/schema/timestamp_format.h"

#include <array>
#include <cctype>

#include "formats/schema/civil_time.h"

namespace sluice::formats {
namespace {

constexpr std::array<std::string_view, 12> kMonthNames{
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

}  // namespace

Result<TimestampFormat> TimestampFormat::Parse(std::string_view pattern) {
  TimestampFormat format;
  format.pattern_ = pattern;
  if (pattern == "millis") {
    format.millis_ = true;
    return format;
  }
  const auto fail = [&](const std::string& why) {
    return InvalidArgument("TimestampFormats pattern \"" + std::string(pattern) + "\": " + why);
  };
  const auto add_literal = [&](char c) {
    if (format.tokens_.empty() || format.tokens_.back().field != Field::kLiteral) {
      format.tokens_.push_back({Field::kLiteral, 0, {}});
    }
    format.tokens_.back().literal.push_back(c);
  };
  for (size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '\'') {
      // Quoted text; '' is a quote, inside quoted text or out of it.
      if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
        add_literal('\'');
        i += 2;
        continue;
      }
      size_t j = i + 1;
      while (true) {
        if (j >= pattern.size()) return fail("unterminated quote");
        if (pattern[j] == '\'') {
          if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
            add_literal('\'');
            j += 2;
            continue;
          }
          break;
        }
        add_literal(pattern[j++]);
      }
      i = j + 1;
      continue;
    }
    if (!std::isalpha(static_cast<unsigned char>(c))) {
      add_literal(c);
      ++i;
      continue;
    }
    size_t width = 1;
    while (i + width < pattern.size() && pattern[i + width] == c) ++width;
    const int count = static_cast<int>(width);
    Field field;
    switch (c) {
      case 'y':
      case 'Y':
        field = count == 2 ? Field::kYear2 : Field::kYear;
        break;
      case 'M':
        field = count >= 3 ? Field::kMonthName : Field::kMonth;
        break;
      case 'd': field = Field::kDay; break;
      case 'H': field = Field::kHour24; break;
      case 'h': field = Field::kHour12; break;
      case 'a': field = Field::kAmPm; break;
      case 'm': field = Field::kMinute; break;
      case 's': field = Field::kSecond; break;
      case 'S':
        if (count > 9) return fail("at most 9 fraction digits (S)");
        field = Field::kFraction;
        break;
      case 'Z':
        field = count == 1 ? Field::kOffset : Field::kOffsetColon;
        break;
      default:
        return fail("pattern letter '" + std::string(1, c) +
                    "' is not supported (supported: y M d H h a m s S Z and quoted text)");
    }
    format.tokens_.push_back({field, count, {}});
    i += width;
  }
  return format;
}

Result<int64_t> TimestampFormat::Apply(std::string_view text) const {
  const auto mismatch = [&] {
    return InvalidArgument("\"" + std::string(text) + "\" does not match \"" + pattern_ + "\"");
  };
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int64_t fraction = 0, offset_seconds = 0;
  bool pm = false, has_am_pm = false;
  size_t pos = 0;
  for (size_t t = 0; t < tokens_.size(); ++t) {
    const Token& token = tokens_[t];
    // A number directly followed by another number has exactly its pattern width.
    const bool fixed = t + 1 < tokens_.size() && tokens_[t + 1].field != Field::kLiteral &&
                       tokens_[t + 1].field != Field::kAmPm;
    const auto number = [&](int min_digits, int max_digits, int& out) {
      if (pos < text.size() && text[pos] == '-' && token.field == Field::kYear) return false;
      size_t digits = 0;
      const size_t limit = fixed ? static_cast<size_t>(token.width) : static_cast<size_t>(max_digits);
      out = 0;
      while (digits < limit && pos + digits < text.size() && IsDigit(text[pos + digits])) {
        out = out * 10 + (text[pos + digits] - '0');
        ++digits;
      }
      pos += digits;
      return digits >= static_cast<size_t>(fixed ? token.width : min_digits);
    };
    switch (token.field) {
      case Field::kLiteral:
        if (text.substr(pos, token.literal.size()) != token.literal) return mismatch();
        pos += token.literal.size();
        break;
      case Field::kYear:
        if (!number(1, 9, year)) return mismatch();
        break;
      case Field::kYear2:
        if (!number(2, 2, year)) return mismatch();
        year += 2000;  // Joda's two-digit years pivot near the current year; 2000..2099 here
        break;
      case Field::kMonth:
        if (!number(1, 2, month)) return mismatch();
        break;
      case Field::kMonthName: {
        bool found = false;
        for (size_t m = 0; m < kMonthNames.size() && !found; ++m) {
          const std::string_view name = kMonthNames[m];
          const size_t length = token.width == 3 ? 3 : name.size();
          if (EqualsIgnoringCase(text.substr(pos, length), name.substr(0, length))) {
            month = static_cast<int>(m) + 1;
            pos += length;
            found = true;
          }
        }
        if (!found) return mismatch();
        break;
      }
      case Field::kDay:
        if (!number(1, 2, day)) return mismatch();
        break;
      case Field::kHour24:
      case Field::kHour12:
        if (!number(1, 2, hour)) return mismatch();
        break;
      case Field::kAmPm:
        if (EqualsIgnoringCase(text.substr(pos, 2), "am") || EqualsIgnoringCase(text.substr(pos, 2), "pm")) {
          pm = std::tolower(static_cast<unsigned char>(text[pos])) == 'p';
          has_am_pm = true;
          pos += 2;
        } else {
          return mismatch();
        }
        break;
      case Field::kMinute:
        if (!number(1, 2, minute)) return mismatch();
        break;
      case Field::kSecond:
        if (!number(1, 2, second)) return mismatch();
        break;
      case Field::kFraction: {
        size_t digits = 0;
        fraction = 0;
        while (digits < 9 && pos + digits < text.size() && IsDigit(text[pos + digits])) {
          fraction = fraction * 10 + (text[pos + digits] - '0');
          ++digits;
        }
        if (digits == 0) return mismatch();
        for (size_t d = digits; d < 9; ++d) fraction *= 10;
        pos += digits;
        break;
      }
      case Field::kOffset:
      case Field::kOffsetColon: {
        if (pos < text.size() && text[pos] == 'Z') {
          ++pos;
          break;
        }
        if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return mismatch();
        const bool negative = text[pos++] == '-';
        int hours = 0, minutes = 0;
        if (pos + 2 > text.size() || !IsDigit(text[pos]) || !IsDigit(text[pos + 1])) return mismatch();
        hours = (text[pos] - '0') * 10 + (text[pos + 1] - '0');
        pos += 2;
        if (token.field == Field::kOffsetColon) {
          if (pos >= text.size() || text[pos] != ':') return mismatch();
          ++pos;
        }
        if (pos + 2 > text.size() || !IsDigit(text[pos]) || !IsDigit(text[pos + 1])) return mismatch();
        minutes = (text[pos] - '0') * 10 + (text[pos + 1] - '0');
        pos += 2;
        offset_seconds = (negative ? -1 : 1) * (hours * 3600 + minutes * 60);
        break;
      }
    }
  }
  if (pos != text.size()) return mismatch();
  if (has_am_pm) {
    if (hour < 1 || hour > 12) return mismatch();
    hour = hour % 12 + (pm ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) return mismatch();
  const auto days = DaysFromCivil(year, month, day);
  if (!days) return InvalidArgument("\"" + std::string(text) + "\" is not a calendar date");
  const auto nanos = EpochNanos(*days, hour * 3600 + minute * 60 + second - offset_seconds, fraction);
  if (!nanos) return InvalidArgument("\"" + std::string(text) + "\" is outside the years 1677..2262");
  return *nanos;
}

}  // namespace sluice::formats
