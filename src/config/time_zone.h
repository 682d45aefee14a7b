#pragma once
// An IANA time zone read from a TZif file (RFC 8536) of the system's zoneinfo directory, for
// rendering S3 key timestamps in a stream's CustomTimeZone.
//
// Our own reader: the v1 header and data, or for version 2 and later the 64-bit data block and
// the POSIX TZ footer, which gives the offset after the last transition. Footers of the forms
// `JST-9`, `EST5EDT,M3.2.0,M11.1.0`, `CET-1CEST,M3.5.0,M10.5.0/3`, `<+0330>-3:30`, the Jn and n
// day forms and the version 3 extended rule times (-167..167 h) are handled. Not handled, and
// rejected by Load with a message saying so: files with leap-second records (the `right/`
// zones), and footers that name a DST zone without a rule (POSIX leaves its dates to the
// implementation; tzdata never writes one). A rule whose transitions cross a year boundary in
// local standard time is evaluated per local standard year.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace sluice::config {

struct TimeZoneData;  // the parsed zone; defined in time_zone.cc

inline constexpr std::string_view kSystemZoneinfoDir = "/usr/share/zoneinfo";

// Thread-safe: every method is const over immutable data shared between copies, so copying is
// cheap (one reference count) and copies may be used from any thread.
class TimeZone {
 public:
  // `name` must match Firehose's CustomTimeZone model (1-50 characters of [a-zA-Z/_]) with no
  // empty path component; "" and "UTC" return Utc() without reading a file. Errors:
  // kInvalidArgument for a bad name, kNotFound for no such file, kCorruption for a file that is
  // not a readable TZif file, kIo when it cannot be read. Messages name the name or the file.
  static Result<TimeZone> Load(std::string_view name,
                               const std::filesystem::path& zoneinfo_dir = kSystemZoneinfoDir);
  // Named "UTC"; the offset is 0 at every instant.
  static TimeZone Utc();

  const std::string& name() const;

  // The offset of local time from UTC, in milliseconds, at the instant `utc_ms` (Unix epoch
  // milliseconds), daylight saving included: local time = utc_ms + OffsetMs(utc_ms).
  int64_t OffsetMs(int64_t utc_ms) const;

 private:
  explicit TimeZone(std::shared_ptr<const TimeZoneData> data) : data_(std::move(data)) {}

  std::shared_ptr<const TimeZoneData> data_;
};

}  // namespace sluice::config
