#pragma once
// Test-only: the wall clock of an ORC stripe's writer time zone. ORC stores a timestamp as
// seconds since 2015-01-01 00:00:00 in the writer's zone (StripeFooter.writerTimezone); its
// value is the wall-clock time in that zone. Uses the system's zoneinfo through TZ and
// localtime_r, so it is not thread-safe: test use only.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace sluice::formats::orc::test_reader {

class WriterClock {
 public:
  // An empty name or "UTC"/"GMT" is UTC. An unknown zone name is kInvalidArgument.
  static Result<WriterClock> Create(const std::string& zone);

  // Converts ORC's stored seconds (relative to the 2015 base in the writer's zone), in place, to
  // wall-clock seconds since 1970-01-01 00:00:00 in that zone.
  void ToWallSeconds(std::vector<int64_t>& seconds) const;

 private:
  WriterClock(std::string zone, bool utc) : zone_(std::move(zone)), utc_(utc) {}
  // The zone's UTC offset at that instant; TZ must name the zone.
  static int64_t OffsetAt(int64_t utc_seconds);

  std::string zone_;
  bool utc_;
  int64_t base_utc_ = 0;  // 2015-01-01 00:00:00 in the zone, as a UTC epoch second
};

}  // namespace sluice::formats::orc::test_reader
