#include "formats/schema/json_value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "formats/schema/civil_time.h"

namespace sluice::formats {

using simdjson::dom::element;
using simdjson::dom::element_type;

// The value being converted: a JSON element, or a map key (text that is not part of a JSON value).
struct JsonValueConverter::Input {
  element_type type;
  element json{};           // valid unless is_key
  std::string_view text{};  // the string, for STRING
  bool is_key = false;

  int64_t int64() const { return json.get_int64().value_unsafe(); }
  double real() const { return json.get_double().value_unsafe(); }
};

namespace {

constexpr size_t kMaxQuotedValue = 64;
// Integer timestamps below this magnitude are epoch seconds, above it epoch milliseconds.
constexpr int64_t kEpochSecondsLimit = 100'000'000'000;

std::string Quote(const JsonValueConverter::Input& in);

std::unexpected<Error> Mismatch(std::string_view column, const HiveType& type,
                                const JsonValueConverter::Input& in, std::string_view rule) {
  return InvalidArgument("column \"" + std::string(column) + "\" (" + HiveTypeName(type) +
                         "): value " + Quote(in) + " " + std::string(rule));
}

std::string Quote(const JsonValueConverter::Input& in) {
  std::string text = in.is_key ? "\"" + std::string(in.text) + "\"" : simdjson::to_string(in.json);
  if (text.size() > kMaxQuotedValue) text = text.substr(0, kMaxQuotedValue) + "...";
  return text;
}

bool ParseInt64(std::string_view text, int64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

bool ParseDouble(std::string_view text, double& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
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

// Reads 1 or 2 digits at `pos`, advancing it.
bool ParseShortNumber(std::string_view text, size_t& pos, int& out) {
  size_t count = 0;
  while (count < 2 && pos + count < text.size() && text[pos + count] >= '0' &&
         text[pos + count] <= '9') {
    ++count;
  }
  if (count == 0) return false;
  ParseDigits(text, pos, count, out);
  pos += count;
  return true;
}

}  // namespace

Result<int32_t> ParseDate(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseDigits(text, 0, 4, year) ||
      !ParseDigits(text, 5, 2, month) || !ParseDigits(text, 8, 2, day)) {
    return InvalidArgument("\"" + std::string(text) + "\" is not a date of the form YYYY-MM-DD");
  }
  const auto days = DaysFromCivil(year, month, day);
  if (!days) return InvalidArgument("\"" + std::string(text) + "\" is not a calendar date");
  return static_cast<int32_t>(*days);
}

Result<int64_t> ParseTimestamp(std::string_view text) {
  const auto bad = [&] {
    return InvalidArgument("\"" + std::string(text) +
                           "\" is not a timestamp of the form yyyy-MM-dd HH:mm:ss[.fffffffff]");
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  size_t pos = 4;
  if (!ParseDigits(text, 0, 4, year) || pos >= text.size() || text[pos++] != '-' ||
      !ParseShortNumber(text, pos, month) || pos >= text.size() || text[pos++] != '-' ||
      !ParseShortNumber(text, pos, day) || pos >= text.size() ||
      (text[pos] != ' ' && text[pos] != 'T') || !ParseDigits(text, pos + 1, 2, hour) ||
      pos + 3 >= text.size() || text[pos + 3] != ':' || !ParseDigits(text, pos + 4, 2, minute) ||
      pos + 6 >= text.size() || text[pos + 6] != ':' || !ParseDigits(text, pos + 7, 2, second) ||
      hour > 23 || minute > 59 || second > 59) {
    return bad();
  }
  std::string_view rest = text.substr(pos + 9);
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
  const auto days = DaysFromCivil(year, month, day);
  if (!days) return InvalidArgument("\"" + std::string(text) + "\" is not a calendar date");
  const auto nanos = EpochNanos(*days, hour * 3600 + minute * 60 + second, fraction_nanos);
  if (!nanos) {
    return InvalidArgument("\"" + std::string(text) + "\" is outside the years 1677..2262");
  }
  return *nanos;
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


Result<JsonValueConverter> JsonValueConverter::Create(const JsonInputOptions& options) {
  const bool hive = options.serde == JsonInputOptions::SerDe::kHive;
  std::vector<TimestampFormat> formats;
  if (!hive && !options.timestamp_formats.empty()) {
    return InvalidArgument("TimestampFormats belongs to HiveJsonSerDe, not OpenXJsonSerDe");
  }
  for (const std::string& pattern : options.timestamp_formats) {
    auto format = TimestampFormat::Parse(pattern);
    if (!format) return std::unexpected(format.error());
    formats.push_back(std::move(*format));
  }
  return JsonValueConverter(hive, std::move(formats));
}

Result<Value> JsonValueConverter::Convert(std::string_view column, const HiveType& type,
                                          element value) const {
  const element_type json_type = value.type();
  if (json_type == element_type::NULL_VALUE) return Value();
  Input in{.type = json_type, .json = value};
  if (json_type == element_type::STRING) in.text = value.get_string().value_unsafe();
  return ConvertInput(column, type, in);
}

Result<Value> JsonValueConverter::ConvertKey(std::string_view column, const HiveType& type,
                                             std::string_view key) const {
  return ConvertInput(column, type, Input{.type = element_type::STRING, .text = key, .is_key = true});
}

Result<Value> JsonValueConverter::ConvertInput(std::string_view column, const HiveType& type,
                                               const Input& in) const {
  const bool is_string = in.type == element_type::STRING;
  // HiveJsonSerDe reads numeric columns only from JSON numbers; map keys are always text.
  const bool numeric_text_ok = is_string && (!hive_ || in.is_key);
  switch (type.kind) {
    case HiveKind::kBoolean:
      if (in.type == element_type::BOOL) return Value(in.json.get_bool().value_unsafe());
      if (is_string && in.text == "true") return Value(true);
      if (is_string && in.text == "false") return Value(false);
      return Mismatch(column, type, in, "is not a boolean (true or false)");
    case HiveKind::kTinyint:
    case HiveKind::kSmallint:
    case HiveKind::kInt:
    case HiveKind::kBigint: {
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
        return Mismatch(column, type, in,
                        "is out of range (" + std::to_string(low) + ".." + std::to_string(high) + ")");
      };
      if (in.type == element_type::UINT64) return out_of_range();  // above INT64_MAX
      int64_t number = 0;
      if (in.type == element_type::INT64) {
        number = in.int64();
      } else if (is_string && hive_ && !in.is_key) {
        return Mismatch(column, type, in, "is a string; HiveJsonSerDe needs a JSON number");
      } else if (!numeric_text_ok || !ParseInt64(in.text, number)) {
        return Mismatch(column, type, in, "is not an integer");
      }
      if (number < low || number > high) return out_of_range();
      return Value(number);
    }
    case HiveKind::kFloat:
    case HiveKind::kDouble: {
      double number = 0;
      if (in.type == element_type::INT64 || in.type == element_type::UINT64 ||
          in.type == element_type::DOUBLE) {
        number = in.real();
      } else if (is_string && hive_ && !in.is_key) {
        return Mismatch(column, type, in, "is a string; HiveJsonSerDe needs a JSON number");
      } else if (!numeric_text_ok || !ParseDouble(in.text, number)) {
        return Mismatch(column, type, in, "is not a number");
      }
      if (type.kind == HiveKind::kDouble) return Value(number);
      if (std::isfinite(number) && std::abs(number) > std::numeric_limits<float>::max()) {
        return Mismatch(column, type, in, "is out of the range of a float");
      }
      return Value(static_cast<double>(static_cast<float>(number)));
    }
    case HiveKind::kDecimal: {
      char buffer[64];
      std::string_view text;
      if (in.type == element_type::INT64 || in.type == element_type::UINT64 ||
          in.type == element_type::DOUBLE) {
        std::to_chars_result written{};
        if (in.type == element_type::INT64) {
          written = std::to_chars(buffer, buffer + sizeof buffer, in.int64());
        } else if (in.type == element_type::UINT64) {
          written = std::to_chars(buffer, buffer + sizeof buffer, in.json.get_uint64().value_unsafe());
        } else {
          written = std::to_chars(buffer, buffer + sizeof buffer, in.real());
        }
        text = std::string_view(buffer, written.ptr);
      } else if (is_string && hive_ && !in.is_key) {
        return Mismatch(column, type, in, "is a string; HiveJsonSerDe needs a JSON number");
      } else if (numeric_text_ok) {
        text = in.text;
      } else {
        return Mismatch(column, type, in, "is not a decimal number");
      }
      auto unscaled = ParseDecimal(text, type.precision, type.scale);
      if (!unscaled) return Mismatch(column, type, in, unscaled.error().message);
      return Value(Decimal{*unscaled});
    }
    case HiveKind::kString:
    case HiveKind::kVarchar:
    case HiveKind::kChar:
    case HiveKind::kBinary: {
      std::string_view text;
      OwnedText owned;
      if (is_string) {
        text = in.text;
      } else if (in.type == element_type::BOOL) {
        text = in.json.get_bool().value_unsafe() ? "true" : "false";
      } else if (hive_ && (in.type == element_type::OBJECT || in.type == element_type::ARRAY)) {
        return Mismatch(column, type, in,
                        "is a JSON object or array; HiveJsonSerDe does not store them as text");
      } else {
        owned.text = simdjson::minify(in.json);
        text = owned.text;
      }
      if (type.kind == HiveKind::kVarchar || type.kind == HiveKind::kChar) {
        size_t code_points = 0;
        for (char c : text) code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        if (code_points > static_cast<size_t>(type.length)) {
          return Mismatch(column, type, in,
                          "has " + std::to_string(code_points) + " characters, more than the " +
                              std::to_string(type.length) + " the type allows");
        }
      }
      if (!owned.text.empty()) return Value(std::move(owned));
      return Value(text);
    }
    case HiveKind::kDate: {
      if (in.type == element_type::INT64) {
        const int64_t days = in.int64();
        if (days < std::numeric_limits<int32_t>::min() || days > std::numeric_limits<int32_t>::max()) {
          return Mismatch(column, type, in, "is out of the range of days since 1970-01-01");
        }
        return Value(days);
      }
      if (!is_string) {
        return Mismatch(column, type, in, "is not a date (\"YYYY-MM-DD\" or days since 1970)");
      }
      auto parsed = ParseDate(in.text);
      if (!parsed) return Mismatch(column, type, in, "is not a date of the form YYYY-MM-DD");
      return Value(int64_t{*parsed});
    }
    case HiveKind::kTimestamp:
      return ConvertTimestamp(column, type, in);
    case HiveKind::kArray:
    case HiveKind::kMap:
    case HiveKind::kStruct:
      break;
  }
  return Fail(ErrorCode::kInternal, "column \"" + std::string(column) +
                                        "\": nested type given to the primitive converter");
}

Result<Value> JsonValueConverter::ConvertTimestamp(std::string_view column, const HiveType& type,
                                                   const Input& in) const {
  const bool is_string = in.type == element_type::STRING;
  const auto from_millis = [&](int64_t millis) -> Result<Value> {
    constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / kNanosPerMilli;
    if (millis > kLimit || millis < -kLimit) {
      return Mismatch(column, type, in, "is outside the years 1677..2262");
    }
    return Value(millis * kNanosPerMilli);
  };
  if (hive_) {
    // java.sql.Timestamp's form unless TimestampFormats are given; numbers as their text.
    const std::string number_text =
        is_string || in.is_key ? std::string() : simdjson::to_string(in.json);
    const std::string_view text = is_string ? in.text : std::string_view(number_text);
    if (timestamp_formats_.empty()) {
      if (!is_string) return Mismatch(column, type, in, "is not a timestamp string");
      auto parsed = ParseTimestamp(text);
      if (!parsed) {
        return Mismatch(column, type, in,
                        "is not a timestamp of the form yyyy-MM-dd HH:mm:ss[.fffffffff] within "
                        "the years 1677..2262");
      }
      return Value(*parsed);
    }
    for (const TimestampFormat& format : timestamp_formats_) {
      if (format.is_millis()) {
        int64_t millis = 0;
        if (ParseInt64(text, millis)) return from_millis(millis);
        continue;
      }
      if (auto parsed = format.Apply(text)) return Value(*parsed);
    }
    std::string patterns;
    for (const TimestampFormat& format : timestamp_formats_) {
      patterns += (patterns.empty() ? "" : ", ") + format.pattern();
    }
    return Mismatch(column, type, in, "matches none of the TimestampFormats (" + patterns + ")");
  }

  // OpenXJsonSerDe: epoch seconds or milliseconds, fractional epoch seconds, or text.
  int64_t integer = 0;
  double real = 0;
  const bool is_integer =
      in.type == element_type::INT64 ? (integer = in.int64(), true) : is_string && ParseInt64(in.text, integer);
  if (is_integer) {
    if (integer > -kEpochSecondsLimit && integer < kEpochSecondsLimit) {
      constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / kNanosPerSecond;
      if (integer > kLimit || integer < -kLimit) {
        return Mismatch(column, type, in, "is outside the years 1677..2262");
      }
      return Value(integer * kNanosPerSecond);
    }
    return from_millis(integer);
  }
  const bool is_real = in.type == element_type::DOUBLE ? (real = in.real(), true)
                                                        : is_string && ParseDouble(in.text, real);
  if (is_real) {
    // A double holds epoch seconds to about a microsecond, so the value is read to the microsecond.
    const double micros = std::round(real * 1e6);
    if (!(std::abs(micros) < 9.2e15)) {
      return Mismatch(column, type, in, "is outside the years 1677..2262");
    }
    return Value(static_cast<int64_t>(micros) * 1000);
  }
  if (!is_string) {
    return Mismatch(column, type, in,
                    "is not a timestamp (epoch seconds or milliseconds, or \"yyyy-MM-dd HH:mm:ss\")");
  }
  auto parsed = ParseTimestamp(in.text);
  if (!parsed) {
    return Mismatch(column, type, in,
                    "is not a timestamp of the form yyyy-MM-dd HH:mm:ss[.fffffffff] or "
                    "yyyy-MM-ddTHH:mm:ss[.fffffffff]Z within the years 1677..2262");
  }
  return Value(*parsed);
}

}  // namespace sluice::formats
