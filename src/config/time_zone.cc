#include "config/time_zone.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <limits>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "config/field_rules.h"

namespace sluice::config {
namespace {

namespace chrono = std::chrono;

constexpr size_t kMaxNameLength = 50;
constexpr size_t kMaxFileSize = 1 << 20;  // real zone files are a few KiB
constexpr size_t kHeaderSize = 44;
constexpr int32_t kSecondsPerHour = 3600;
constexpr int32_t kDefaultRuleTime = 2 * kSecondsPerHour;

// A day of the year in a POSIX TZ rule: Jn (1-365, February 29 never counted), n (0-365,
// counted) or Mm.w.d (weekday d of week w of month m; week 5 is the last).
struct RuleDate {
  enum class Kind { kJulianNoLeap, kZeroBased, kMonthWeekDay };
  Kind kind = Kind::kMonthWeekDay;
  int day = 0;  // kJulianNoLeap and kZeroBased
  int month = 0, week = 0, weekday = 0;
  int32_t time_s = kDefaultRuleTime;  // local time of day of the transition; may leave [0, 24h)
};

struct DstRule {
  int32_t utoff_s = 0;
  RuleDate start;  // in local standard time
  RuleDate end;    // in local daylight time
};

// The POSIX TZ footer, with offsets east of UTC (the string writes them west of UTC).
struct Footer {
  int32_t std_utoff_s = 0;
  std::optional<DstRule> dst;
};

}  // namespace

struct TimeZoneData {
  std::string name;
  std::vector<int64_t> transitions;  // Unix seconds, strictly ascending
  std::vector<int32_t> utoffs_s;     // utoffs_s[i] is in effect from transitions[i] on
  int32_t initial_utoff_s = 0;       // before the first transition (local time type 0)
  std::optional<Footer> footer;      // from the last transition on; nullopt: the last type stays
};

namespace {

// ---- POSIX TZ footer -------------------------------------------------------------------------

class FooterParser {
 public:
  explicit FooterParser(std::string_view text) : text_(text) {}

  // On error the message says what is wrong, without naming the file.
  Result<Footer> Parse() {
    Footer footer;
    if (!Name()) return Malformed("the standard time name must be 3+ letters or <quoted>");
    auto std_offset = Hms(24);
    if (!std_offset) return Malformed("the standard time offset must be [+-]hh[:mm[:ss]], hh <= 24");
    footer.std_utoff_s = -*std_offset;
    if (AtEnd()) return footer;
    if (!Name()) return Malformed("the daylight time name must be 3+ letters or <quoted>");
    DstRule dst;
    dst.utoff_s = footer.std_utoff_s + kSecondsPerHour;
    if (!AtEnd() && Peek() != ',') {
      auto dst_offset = Hms(24);
      if (!dst_offset) {
        return Malformed("the daylight time offset must be [+-]hh[:mm[:ss]], hh <= 24");
      }
      dst.utoff_s = -*dst_offset;
    }
    if (AtEnd()) {
      return Malformed("a daylight time zone without a ,start,end rule is not supported");
    }
    if (!Consume(',') || !Date(dst.start) || !Consume(',') || !Date(dst.end) || !AtEnd()) {
      return Malformed("the rule must be ,start[/time],end[/time] with dates Jn, n or Mm.w.d");
    }
    footer.dst = dst;
    return footer;
  }

 private:
  static std::unexpected<Error> Malformed(std::string message) {
    return Fail(ErrorCode::kCorruption, std::move(message));
  }

  bool AtEnd() const { return pos_ == text_.size(); }
  char Peek() const { return text_[pos_]; }
  bool Consume(char c) {
    if (AtEnd() || Peek() != c) return false;
    ++pos_;
    return true;
  }
  static bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  bool Name() {
    const size_t begin = pos_;
    if (Consume('<')) {
      while (!AtEnd() && (IsAlpha(Peek()) || IsDigit(Peek()) || Peek() == '+' || Peek() == '-')) {
        ++pos_;
      }
      const size_t length = pos_ - begin - 1;
      return Consume('>') && length >= 3;
    }
    while (!AtEnd() && IsAlpha(Peek())) ++pos_;
    return pos_ - begin >= 3;
  }

  // A decimal number of 1 to `max_digits` digits, at most `max`.
  std::optional<int> Number(int max_digits, int max) {
    int value = 0;
    int digits = 0;
    while (!AtEnd() && IsDigit(Peek()) && digits < max_digits) {
      value = value * 10 + (Peek() - '0');
      ++pos_;
      ++digits;
    }
    if (digits == 0 || value > max) return std::nullopt;
    return value;
  }

  // [+-]h[hh][:mm[:ss]] in seconds, with hours at most `max_hours`.
  std::optional<int32_t> Hms(int max_hours) {
    int sign = 1;
    if (Consume('-')) {
      sign = -1;
    } else {
      Consume('+');
    }
    auto hours = Number(3, max_hours);
    if (!hours) return std::nullopt;
    int32_t seconds = *hours * kSecondsPerHour;
    if (Consume(':')) {
      auto minutes = Number(2, 59);
      if (!minutes) return std::nullopt;
      seconds += *minutes * 60;
      if (Consume(':')) {
        auto secs = Number(2, 59);
        if (!secs) return std::nullopt;
        seconds += *secs;
      }
    }
    return sign * seconds;
  }

  bool Date(RuleDate& date) {
    if (Consume('J')) {
      date.kind = RuleDate::Kind::kJulianNoLeap;
      auto day = Number(3, 365);
      if (!day || *day < 1) return false;
      date.day = *day;
    } else if (Consume('M')) {
      date.kind = RuleDate::Kind::kMonthWeekDay;
      auto month = Number(2, 12);
      if (!month || *month < 1 || !Consume('.')) return false;
      auto week = Number(1, 5);
      if (!week || *week < 1 || !Consume('.')) return false;
      auto weekday = Number(1, 6);
      if (!weekday) return false;
      date.month = *month;
      date.week = *week;
      date.weekday = *weekday;
    } else {
      date.kind = RuleDate::Kind::kZeroBased;
      auto day = Number(3, 365);
      if (!day) return false;
      date.day = *day;
    }
    if (Consume('/')) {
      auto time = Hms(167);  // RFC 8536 version 3 extends rule times to -167..167 hours
      if (!time) return false;
      date.time_s = *time;
    }
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// Unix seconds of 00:00 on `date` of `year`, as if local time were UTC.
int64_t LocalMidnight(chrono::year year, const RuleDate& date) {
  const chrono::sys_days january_first = year / chrono::January / 1;
  chrono::sys_days day;
  switch (date.kind) {
    case RuleDate::Kind::kJulianNoLeap:
      day = january_first + chrono::days(date.day - 1 + (year.is_leap() && date.day >= 60));
      break;
    case RuleDate::Kind::kZeroBased:
      day = january_first + chrono::days(date.day);
      break;
    case RuleDate::Kind::kMonthWeekDay: {
      const chrono::month month(static_cast<unsigned>(date.month));
      const chrono::weekday weekday(static_cast<unsigned>(date.weekday));
      day = date.week == 5 ? chrono::sys_days(year / month / weekday[chrono::last])
                           : chrono::sys_days(year / month /
                                              weekday[static_cast<unsigned>(date.week)]);
      break;
    }
  }
  return chrono::duration_cast<chrono::seconds>(day.time_since_epoch()).count();
}

// Instants outside roughly years 1..9999 are clamped so calendar arithmetic stays in range.
constexpr int64_t kMinFooterSeconds = -62135596800;  // 0001-01-01T00:00:00Z
constexpr int64_t kMaxFooterSeconds = 253402300799;  // 9999-12-31T23:59:59Z

int32_t FooterUtoff(const Footer& footer, int64_t utc_s) {
  if (!footer.dst) return footer.std_utoff_s;
  const DstRule& dst = *footer.dst;
  const int64_t t = std::clamp(utc_s, kMinFooterSeconds, kMaxFooterSeconds);
  const chrono::sys_seconds local_standard{chrono::seconds(t + footer.std_utoff_s)};
  const chrono::year year =
      chrono::year_month_day(chrono::floor<chrono::days>(local_standard)).year();
  const int64_t start = LocalMidnight(year, dst.start) + dst.start.time_s - footer.std_utoff_s;
  const int64_t end = LocalMidnight(year, dst.end) + dst.end.time_s - dst.utoff_s;
  // Northern rules have start < end; southern ones are in daylight time across the new year.
  const bool in_dst = start < end ? (t >= start && t < end) : (t < end || t >= start);
  return in_dst ? dst.utoff_s : footer.std_utoff_s;
}

// ---- TZif ------------------------------------------------------------------------------------

struct Header {
  char version = 0;
  uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;

  // The size of the data block that follows, with `time_size`-byte transition times.
  uint64_t DataSize(uint64_t time_size) const {
    return uint64_t{timecnt} * time_size + timecnt + uint64_t{typecnt} * 6 + charcnt +
           uint64_t{leapcnt} * (time_size + 4) + isstdcnt + isutcnt;
  }
};

class TzifParser {
 public:
  TzifParser(std::string_view bytes, std::string file) : bytes_(bytes), file_(std::move(file)) {}

  Result<TimeZoneData> Parse() {
    auto first = ReadHeader("header");
    if (!first) return std::unexpected(first.error());
    if (first->version == 0) return ReadData(*first, 4, "v1 data block");
    // Version 2+: skip the v1 block; the 64-bit block after the second header supersedes it.
    if (auto ok = Need(first->DataSize(4), "v1 data block"); !ok) {
      return std::unexpected(ok.error());
    }
    pos_ += first->DataSize(4);
    auto second = ReadHeader("second header");
    if (!second) return std::unexpected(second.error());
    auto data = ReadData(*second, 8, "64-bit data block");
    if (!data) return data;
    auto footer = ReadFooter();
    if (!footer) return std::unexpected(footer.error());
    data->footer = std::move(*footer);
    return data;
  }

 private:
  std::unexpected<Error> Corrupt(const std::string& problem) const {
    return Fail(ErrorCode::kCorruption, file_ + " " + problem);
  }

  Status Need(uint64_t size, std::string_view what) const {
    if (size <= bytes_.size() - pos_) return {};
    return Corrupt("is truncated: the " + std::string(what) + " needs " + std::to_string(size) +
                   " bytes at offset " + std::to_string(pos_) + " but the file has " +
                   std::to_string(bytes_.size()) + " bytes");
  }

  uint64_t Unsigned(size_t size) {
    uint64_t value = 0;
    for (size_t i = 0; i < size; ++i) value = (value << 8) | static_cast<uint8_t>(bytes_[pos_++]);
    return value;
  }
  int32_t Int32() { return static_cast<int32_t>(static_cast<uint32_t>(Unsigned(4))); }
  int64_t Time(size_t size) { return size == 4 ? Int32() : static_cast<int64_t>(Unsigned(8)); }

  Result<Header> ReadHeader(std::string_view what) {
    if (pos_ == 0 && (bytes_.size() < 4 || bytes_.substr(0, 4) != "TZif")) {
      return Corrupt("is not a TZif file: it does not start with the magic \"TZif\"");
    }
    if (auto ok = Need(kHeaderSize, what); !ok) return std::unexpected(ok.error());
    if (bytes_.substr(pos_, 4) != "TZif") {
      return Corrupt("is not a valid TZif file: the " + std::string(what) +
                     " at offset " + std::to_string(pos_) + " does not start with \"TZif\"");
    }
    Header header;
    header.version = bytes_[pos_ + 4];
    if (header.version != 0 && (header.version < '2' || header.version > '9')) {
      return Corrupt("has TZif version byte " +
                     std::to_string(static_cast<uint8_t>(header.version)) +
                     "; RFC 8536 defines 0 (version 1) and '2' and later");
    }
    pos_ += 20;  // magic, version, reserved
    header.isutcnt = static_cast<uint32_t>(Unsigned(4));
    header.isstdcnt = static_cast<uint32_t>(Unsigned(4));
    header.leapcnt = static_cast<uint32_t>(Unsigned(4));
    header.timecnt = static_cast<uint32_t>(Unsigned(4));
    header.typecnt = static_cast<uint32_t>(Unsigned(4));
    header.charcnt = static_cast<uint32_t>(Unsigned(4));
    if (header.typecnt == 0) return Corrupt("has no local time types (typecnt is 0)");
    if (header.isutcnt != 0 && header.isutcnt != header.typecnt) {
      return Corrupt("has isutcnt " + std::to_string(header.isutcnt) +
                     "; it must be 0 or typecnt " + std::to_string(header.typecnt));
    }
    if (header.isstdcnt != 0 && header.isstdcnt != header.typecnt) {
      return Corrupt("has isstdcnt " + std::to_string(header.isstdcnt) +
                     "; it must be 0 or typecnt " + std::to_string(header.typecnt));
    }
    if (header.leapcnt != 0) {
      return Corrupt("has leap-second records, which Sluice does not support (zones under "
                     "right/ count leap seconds; use the zone of the same name outside right/)");
    }
    return header;
  }

  Result<TimeZoneData> ReadData(const Header& header, size_t time_size, std::string_view what) {
    if (auto ok = Need(header.DataSize(time_size), what); !ok) return std::unexpected(ok.error());
    TimeZoneData data;
    data.transitions.reserve(header.timecnt);
    for (uint32_t i = 0; i < header.timecnt; ++i) {
      data.transitions.push_back(Time(time_size));
      if (i > 0 && data.transitions[i] <= data.transitions[i - 1]) {
        return Corrupt("has transition times out of order: transition " + std::to_string(i) +
                       " is not later than transition " + std::to_string(i - 1));
      }
    }
    std::vector<uint8_t> type_indexes(header.timecnt);
    for (uint32_t i = 0; i < header.timecnt; ++i) {
      type_indexes[i] = static_cast<uint8_t>(Unsigned(1));
      if (type_indexes[i] >= header.typecnt) {
        return Corrupt("has transition " + std::to_string(i) + " to local time type " +
                       std::to_string(type_indexes[i]) + " but only " +
                       std::to_string(header.typecnt) + " types");
      }
    }
    std::vector<int32_t> type_utoffs(header.typecnt);
    for (uint32_t i = 0; i < header.typecnt; ++i) {
      type_utoffs[i] = Int32();
      if (type_utoffs[i] == std::numeric_limits<int32_t>::min()) {
        return Corrupt("has local time type " + std::to_string(i) +
                       " with UT offset -2^31, which RFC 8536 forbids");
      }
      pos_ += 2;  // isdst, abbreviation index: unused, offsets alone place the local time
    }
    pos_ += uint64_t{header.charcnt} + header.isstdcnt + header.isutcnt;
    data.initial_utoff_s = type_utoffs[0];
    data.utoffs_s.reserve(header.timecnt);
    for (const uint8_t index : type_indexes) data.utoffs_s.push_back(type_utoffs[index]);
    return data;
  }

  Result<std::optional<Footer>> ReadFooter() {
    const size_t end = bytes_.find('\n', pos_ + 1);
    if (pos_ == bytes_.size() || bytes_[pos_] != '\n' || end == std::string_view::npos) {
      return Corrupt("is truncated: the TZ string footer at offset " + std::to_string(pos_) +
                     " is not enclosed in newlines");
    }
    const std::string_view text = bytes_.substr(pos_ + 1, end - pos_ - 1);
    if (text.empty()) return std::nullopt;
    auto footer = FooterParser(text).Parse();
    if (!footer) {
      return Corrupt("has a TZ string footer " + Quote(text) +
                     " that Sluice cannot read: " + footer.error().message);
    }
    return *footer;
  }

  std::string_view bytes_;
  std::string file_;
  size_t pos_ = 0;
};

Status CheckName(std::string_view name) {
  const std::string quoted = Quote(name);
  if (name.size() > kMaxNameLength) {
    return InvalidArgument("time zone name " + quoted + " is longer than " +
                           std::to_string(kMaxNameLength) + " characters");
  }
  // Without '.', a name cannot climb out of the zoneinfo directory with "..".
  if (name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ/_") !=
      std::string_view::npos) {
    return InvalidArgument("time zone name " + quoted +
                           " must match [a-zA-Z/_]+ (letters, '/' and '_')");
  }
  if (name.front() == '/') {
    return InvalidArgument("time zone name " + quoted + " must not start with '/'");
  }
  if (name.back() == '/' || name.find("//") != std::string_view::npos) {
    return InvalidArgument("time zone name " + quoted +
                           " must not have an empty component ('//' or a trailing '/')");
  }
  return {};
}

Result<std::string> ReadZoneFile(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found) {
    return Fail(ErrorCode::kNotFound, file + " does not exist");
  }
  if (error) return IoError("cannot read " + file, error.value());
  if (status.type() != std::filesystem::file_type::regular) {
    return Fail(ErrorCode::kNotFound, file + " is not a regular file (a directory of zones?)");
  }
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open " + file, errno);
  std::string bytes;
  char buffer[8192];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int read_errno = errno;
      ::close(fd);
      return IoError("cannot read " + file, read_errno);
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
    if (bytes.size() > kMaxFileSize) {
      ::close(fd);
      return Fail(ErrorCode::kCorruption, file + " is larger than " +
                                              std::to_string(kMaxFileSize) +
                                              " bytes; zone files are a few KiB");
    }
  }
  ::close(fd);
  return bytes;
}

}  // namespace

Result<TimeZone> TimeZone::Load(std::string_view name,
                                const std::filesystem::path& zoneinfo_dir) {
  if (name.empty() || name == "UTC") return Utc();
  if (auto ok = CheckName(name); !ok) return std::unexpected(ok.error());
  const std::filesystem::path path = zoneinfo_dir / std::string(name);
  auto bytes = ReadZoneFile(path);
  if (!bytes) return std::unexpected(bytes.error());
  auto data = TzifParser(*bytes, path.string()).Parse();
  if (!data) return std::unexpected(data.error());
  data->name = std::string(name);
  return TimeZone(std::make_shared<const TimeZoneData>(std::move(*data)));
}

TimeZone TimeZone::Utc() {
  static const auto* const kUtc = new std::shared_ptr<const TimeZoneData>([] {
    auto data = std::make_shared<TimeZoneData>();
    data->name = "UTC";
    return data;
  }());
  return TimeZone(*kUtc);
}

const std::string& TimeZone::name() const { return data_->name; }

int64_t TimeZone::OffsetMs(int64_t utc_ms) const {
  const int64_t utc_s = utc_ms / 1000 - (utc_ms % 1000 < 0);  // floor: instants before 1970
  const TimeZoneData& data = *data_;
  const auto next = std::upper_bound(data.transitions.begin(), data.transitions.end(), utc_s);
  int32_t utoff_s;
  if (next == data.transitions.end() && data.footer) {
    utoff_s = FooterUtoff(*data.footer, utc_s);
  } else if (next == data.transitions.begin()) {
    utoff_s = data.initial_utoff_s;
  } else {
    utoff_s = data.utoffs_s[next - data.transitions.begin() - 1];
  }
  return int64_t{utoff_s} * 1000;
}

}  // namespace sluice::config
