#include "formats/parquet/json_value.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <algorithm>
#include <string>

namespace sluice::formats::parquet {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr int64_t kNanosPerMilli = 1'000'000;
constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr size_t kMaxQuotedValue = 64;

std::string Quote(element value) {
  std::string text = simdjson::to_string(value);
  if (text.size() > kMaxQuotedValue) text = text.substr(0, kMaxQuotedValue) + "...";
  return text;
}

std::unexpected<Error> Mismatch(std::string_view column, const HiveType& type, element value,
                                std::string_view rule) {
  return InvalidArgument("column \"" + std::string(column) + "\" (" + HiveTypeName(type) +
                         "): value " + Quote(value) + " " + std::string(rule));
}

bool ParseInt64(std::string_view text, int64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

bool ParseDouble(std::string_view text, double& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

// The element as an integer: a JSON integer, or a string holding one.
bool AsInt64(element value, int64_t& out) {
  if (value.type() == element_type::INT64) {
    out = value.get_int64().value_unsafe();
    return true;
  }
  if (value.type() == element_type::STRING) return ParseInt64(value.get_string().value_unsafe(), out);
  return false;
}

bool AsDouble(element value, double& out) {
  switch (value.type()) {
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      out = value.get_double().value_unsafe();
      return true;
    case element_type::STRING:
      return ParseDouble(value.get_string().value_unsafe(), out);
    default:
      return false;
  }
}

Result<Cell> ConvertInteger(std::string_view column, const HiveType& type, element value) {
  int64_t low = std::numeric_limits<int32_t>::min();
  int64_t high = std::numeric_limits<int32_t>::max();
  if (type.kind == HiveKind::kTinyint) {
    low = -128;
    high = 127;
  } else if (type.kind == HiveKind::kSmallint) {
    low = -32768;
    high = 32767;
  } else if (type.kind == HiveKind::kBigint) {
    low = std::numeric_limits<int64_t>::min();
    high = std::numeric_limits<int64_t>::max();
  }
  const auto out_of_range = [&] {
    return Mismatch(column, type, value,
                    "is out of range (" + std::to_string(low) + ".." + std::to_string(high) + ")");
  };
  if (value.type() == element_type::UINT64) return out_of_range();  // above INT64_MAX
  int64_t number = 0;
  if (!AsInt64(value, number)) return Mismatch(column, type, value, "is not an integer");
  if (number < low || number > high) return out_of_range();
  if (type.kind == HiveKind::kBigint) return Cell(number);
  return Cell(static_cast<int32_t>(number));
}

Result<Cell> ConvertText(std::string_view column, const HiveType& type, element value) {
  std::string_view text;
  OwnedText owned;
  switch (value.type()) {
    case element_type::STRING:
      text = value.get_string().value_unsafe();
      break;
    case element_type::BOOL:
      text = value.get_bool().value_unsafe() ? "true" : "false";
      break;
    default:
      owned.text = simdjson::minify(value);
      text = owned.text;
      break;
  }
  if (type.kind == HiveKind::kVarchar || type.kind == HiveKind::kChar) {
    size_t code_points = 0;
    for (char c : text) code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (code_points > static_cast<size_t>(type.length)) {
      return Mismatch(column, type, value,
                      "has " + std::to_string(code_points) + " characters, more than the " +
                          std::to_string(type.length) + " the type allows");
    }
  }
  if (!owned.text.empty()) return Cell(std::move(owned));
  return Cell(text);
}

bool ParseDigits(std::string_view text, size_t pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

Result<int32_t> ParseDate(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseDigits(text, 0, 4, year) ||
      !ParseDigits(text, 5, 2, month) || !ParseDigits(text, 8, 2, day)) {
    return InvalidArgument("\"" + std::string(text) + "\" is not a date of the form YYYY-MM-DD");
  }
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) {
    return InvalidArgument("\"" + std::string(text) + "\" is not a calendar date");
  }
  return static_cast<int32_t>(std::chrono::sys_days(date).time_since_epoch().count());
}

Result<int64_t> ParseTimestamp(std::string_view text) {
  const auto bad = [&] {
    return InvalidArgument("\"" + std::string(text) +
                           "\" is not a timestamp of the form YYYY-MM-DD HH:MM:SS[.fffffffff]");
  };
  if (text.size() < 19 || (text[10] != ' ' && text[10] != 'T')) return bad();
  auto days = ParseDate(text.substr(0, 10));
  int hour = 0, minute = 0, second = 0;
  if (!days || text[13] != ':' || text[16] != ':' || !ParseDigits(text, 11, 2, hour) ||
      !ParseDigits(text, 14, 2, minute) || !ParseDigits(text, 17, 2, second) || hour > 23 ||
      minute > 59 || second > 59) {
    return bad();
  }
  std::string_view rest = text.substr(19);
  int64_t fraction_nanos = 0;
  if (!rest.empty() && rest.front() == '.') {
    size_t digits = 1;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    --digits;
    if (digits == 0 || digits > 9) return bad();
    int64_t scale = kNanosPerSecond;
    for (size_t i = 1; i <= digits; ++i) {
      scale /= 10;
      fraction_nanos += (rest[i] - '0') * scale;
    }
    rest.remove_prefix(digits + 1);
  }
  if (rest == "Z") rest.remove_prefix(1);
  if (!rest.empty()) return bad();
  // int64 nanoseconds reach years 1677..2262.
  constexpr int64_t kMaxDays = std::numeric_limits<int64_t>::max() / kNanosPerSecond / 86400 - 1;
  if (*days > kMaxDays || *days < -kMaxDays) {
    return InvalidArgument("\"" + std::string(text) + "\" is outside the years 1677..2262");
  }
  const int64_t seconds = int64_t{*days} * 86400 + hour * 3600 + minute * 60 + second;
  return seconds * kNanosPerSecond + fraction_nanos;
}

Result<Int128> ParseDecimal(std::string_view text, int precision, int scale) {
  const auto bad = [](std::string why) { return InvalidArgument(std::move(why)); };
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) negative = text[pos++] == '-';
  std::string digits;  // significant digits, leading zeros dropped
  int exponent = 0;    // value = digits * 10^exponent
  bool any_digit = false;
  bool seen_point = false;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '.' && !seen_point) {
      seen_point = true;
    } else if (c >= '0' && c <= '9') {
      any_digit = true;
      if (!digits.empty() || c != '0') digits.push_back(c);
      if (seen_point) --exponent;
    } else {
      break;
    }
  }
  if (!any_digit) return bad("is not a decimal number");
  if (pos < text.size()) {
    int written_exponent = 0;
    if ((text[pos] != 'e' && text[pos] != 'E') || pos + 1 == text.size()) {
      return bad("is not a decimal number");
    }
    std::string_view exp_text = text.substr(pos + 1);
    if (exp_text.front() == '+') exp_text.remove_prefix(1);
    auto [end, ec] = std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(),
                                     written_exponent);
    if (ec != std::errc() || end != exp_text.data() + exp_text.size() ||
        written_exponent > 1000 || written_exponent < -1000) {
      return bad("is not a decimal number");
    }
    exponent += written_exponent;
  }
  const int shift = exponent + scale;  // unscaled = digits * 10^shift
  bool round_up = false;
  if (shift < 0) {
    const size_t dropped = static_cast<size_t>(-shift);
    if (dropped > digits.size()) {
      digits.clear();
    } else {
      round_up = digits[digits.size() - dropped] >= '5';
      digits.resize(digits.size() - dropped);
    }
  } else if (!digits.empty()) {
    digits.append(std::min<size_t>(static_cast<size_t>(shift), 39), '0');
  }
  const auto too_long = [&] {
    return bad("needs more than " + std::to_string(precision) + " digits at scale " +
               std::to_string(scale));
  };
  if (digits.size() > 38) return too_long();
  Int128 unscaled = 0;
  for (char c : digits) unscaled = unscaled * 10 + (c - '0');
  if (round_up) unscaled += 1;
  Int128 limit = 1;
  for (int i = 0; i < precision; ++i) limit *= 10;
  if (unscaled >= limit) return too_long();
  return negative ? -unscaled : unscaled;
}

Result<Cell> ConvertJsonValue(std::string_view column, const HiveType& type, element value) {
  if (value.is_null()) return Cell();
  switch (type.kind) {
    case HiveKind::kBoolean:
      if (value.type() == element_type::BOOL) return Cell(value.get_bool().value_unsafe());
      if (value.type() == element_type::STRING) {
        const std::string_view text = value.get_string().value_unsafe();
        if (text == "true") return Cell(true);
        if (text == "false") return Cell(false);
      }
      return Mismatch(column, type, value, "is not a boolean (true or false)");
    case HiveKind::kTinyint:
    case HiveKind::kSmallint:
    case HiveKind::kInt:
    case HiveKind::kBigint:
      return ConvertInteger(column, type, value);
    case HiveKind::kFloat:
    case HiveKind::kDouble: {
      double number = 0;
      if (!AsDouble(value, number)) return Mismatch(column, type, value, "is not a number");
      if (type.kind == HiveKind::kDouble) return Cell(number);
      if (std::isfinite(number) && std::abs(number) > std::numeric_limits<float>::max()) {
        return Mismatch(column, type, value, "is out of the range of a float");
      }
      return Cell(static_cast<float>(number));
    }
    case HiveKind::kDecimal: {
      char buffer[64];
      std::string_view text;
      if (value.type() == element_type::STRING) {
        text = value.get_string().value_unsafe();
      } else if (value.type() == element_type::INT64 || value.type() == element_type::UINT64 ||
                 value.type() == element_type::DOUBLE) {
        std::to_chars_result written{};
        if (value.type() == element_type::INT64) {
          written = std::to_chars(buffer, buffer + sizeof buffer, value.get_int64().value_unsafe());
        } else if (value.type() == element_type::UINT64) {
          written = std::to_chars(buffer, buffer + sizeof buffer, value.get_uint64().value_unsafe());
        } else {
          written = std::to_chars(buffer, buffer + sizeof buffer, value.get_double().value_unsafe());
        }
        text = std::string_view(buffer, written.ptr);
      } else {
        return Mismatch(column, type, value, "is not a decimal number");
      }
      auto unscaled = ParseDecimal(text, type.precision, type.scale);
      if (!unscaled) return Mismatch(column, type, value, unscaled.error().message);
      return Cell(Unscaled{*unscaled});
    }
    case HiveKind::kString:
    case HiveKind::kVarchar:
    case HiveKind::kChar:
    case HiveKind::kBinary:
      return ConvertText(column, type, value);
    case HiveKind::kDate: {
      int64_t days = 0;
      if (value.type() == element_type::INT64 && AsInt64(value, days)) {
        if (days < std::numeric_limits<int32_t>::min() || days > std::numeric_limits<int32_t>::max()) {
          return Mismatch(column, type, value, "is out of the range of days since 1970-01-01");
        }
        return Cell(static_cast<int32_t>(days));
      }
      if (value.type() != element_type::STRING) {
        return Mismatch(column, type, value, "is not a date (\"YYYY-MM-DD\" or days since 1970)");
      }
      auto parsed = ParseDate(value.get_string().value_unsafe());
      if (!parsed) return Mismatch(column, type, value, "is not a date of the form YYYY-MM-DD");
      return Cell(*parsed);
    }
    case HiveKind::kTimestamp: {
      if (value.type() == element_type::INT64) {
        const int64_t millis = value.get_int64().value_unsafe();
        constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / kNanosPerMilli;
        if (millis > kLimit || millis < -kLimit) {
          return Mismatch(column, type, value, "is outside the years 1677..2262");
        }
        return Cell(millis * kNanosPerMilli);
      }
      if (value.type() != element_type::STRING) {
        return Mismatch(column, type, value,
                        "is not a timestamp (epoch milliseconds or \"YYYY-MM-DD HH:MM:SS\")");
      }
      auto parsed = ParseTimestamp(value.get_string().value_unsafe());
      if (!parsed) {
        return Mismatch(column, type, value,
                        "is not a timestamp of the form YYYY-MM-DD HH:MM:SS[.fffffffff] within "
                        "the years 1677..2262");
      }
      return Cell(*parsed);
    }
  }
  return Fail(ErrorCode::kInternal, "unhandled Hive type");
}

}  // namespace sluice::formats::parquet
