#pragma once
// Calendar arithmetic shared by the date and timestamp parsers (proleptic Gregorian, UTC).

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>

namespace sluice::formats {

inline constexpr int64_t kNanosPerSecond = 1'000'000'000;
inline constexpr int64_t kNanosPerMilli = 1'000'000;

// Days since 1970-01-01, or nullopt if the date does not exist.
inline std::optional<int64_t> DaysFromCivil(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date).time_since_epoch().count();
}

// Nanoseconds since the epoch of a day, a time of day (seconds) and a fraction, or nullopt
// outside what int64 nanoseconds reach (the years 1677..2262).
inline std::optional<int64_t> EpochNanos(int64_t days, int64_t seconds_of_day, int64_t nanos) {
  constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max() / kNanosPerSecond - 1;
  const int64_t seconds = days * 86400 + seconds_of_day;
  if (days > kMaxSeconds / 86400 || days < -kMaxSeconds / 86400 || seconds > kMaxSeconds ||
      seconds < -kMaxSeconds) {
    return std::nullopt;
  }
  return seconds * kNanosPerSecond + nanos;
}

}  // namespace sluice::formats
