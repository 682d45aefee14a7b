#include "processors/jq_number.h"

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string_view>

namespace sluice::processors {

std::string JqNumberText(double value) {
  if (std::isnan(value)) return "null";
  value = std::clamp(value, -DBL_MAX, DBL_MAX);
  // Shortest round-trip digits, as "d.ddde+XX".
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string_view text(buffer, static_cast<size_t>(result.ptr - buffer));
  std::string out;
  if (text.front() == '-') {
    out.push_back('-');
    text.remove_prefix(1);
  }
  const size_t e = text.find('e');
  std::string digits(text.substr(0, e));
  if (digits.size() > 1) digits.erase(1, 1);  // the '.'
  // Position of the decimal point relative to the first digit, as dtoa's `decpt`.
  const int point = std::atoi(std::string(text.substr(e + 1)).c_str()) + 1;
  const int count = static_cast<int>(digits.size());
  if (point <= -4 || point > count + 15) {
    out += digits.front();
    if (count > 1) out += "." + digits.substr(1);
    const int exponent = point - 1;
    out += exponent < 0 ? "e-" : "e+";
    const std::string magnitude = std::to_string(std::abs(exponent));
    if (magnitude.size() < 2) out.push_back('0');
    out += magnitude;
  } else if (point <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-point), '0');
    out += digits;
  } else if (point >= count) {
    out += digits;
    out.append(static_cast<size_t>(point - count), '0');
  } else {
    out += digits.substr(0, static_cast<size_t>(point));
    out += '.';
    out += digits.substr(static_cast<size_t>(point));
  }
  return out;
}

}  // namespace sluice::processors
