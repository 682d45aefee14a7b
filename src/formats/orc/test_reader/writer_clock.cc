#include "formats/orc/test_reader/writer_clock.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <optional>

namespace sluice::formats::orc::test_reader {
namespace {

constexpr int64_t kOrcEpochUtc = 1420070400;  // 2015-01-01 00:00:00 UTC

// Sets TZ for its lifetime and restores the previous value afterwards.
class ScopedTimeZone {
 public:
  explicit ScopedTimeZone(const std::string& zone) {
    if (const char* old = std::getenv("TZ"); old != nullptr) previous_ = old;
    setenv("TZ", zone.c_str(), 1);
    tzset();
  }
  ~ScopedTimeZone() {
    if (previous_) {
      setenv("TZ", previous_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  ScopedTimeZone(const ScopedTimeZone&) = delete;
  ScopedTimeZone& operator=(const ScopedTimeZone&) = delete;

 private:
  std::optional<std::string> previous_;
};

}  // namespace

Result<WriterClock> WriterClock::Create(const std::string& zone) {
  if (zone.empty() || zone == "UTC" || zone == "GMT") {
    WriterClock clock(zone, true);
    clock.base_utc_ = kOrcEpochUtc;
    return clock;
  }
  if (!std::filesystem::exists("/usr/share/zoneinfo/" + zone)) {
    return InvalidArgument("ORC stripe: unknown writer time zone '" + zone + "'");
  }
  WriterClock clock(zone, false);
  ScopedTimeZone scoped(zone);
  // The 2015 base in the zone: the UTC second whose local time is 2015-01-01 00:00:00.
  clock.base_utc_ = kOrcEpochUtc - OffsetAt(kOrcEpochUtc);
  return clock;
}

int64_t WriterClock::OffsetAt(int64_t utc_seconds) {
  const auto t = static_cast<time_t>(utc_seconds);
  tm local{};
  localtime_r(&t, &local);
  return local.tm_gmtoff;
}

void WriterClock::ToWallSeconds(std::vector<int64_t>& seconds) const {
  if (utc_) {
    for (auto& s : seconds) s += base_utc_;
    return;
  }
  ScopedTimeZone scoped(zone_);
  for (auto& s : seconds) {
    const int64_t utc = s + base_utc_;
    s = utc + OffsetAt(utc);
  }
}

}  // namespace sluice::formats::orc::test_reader
