#include "delivery/object_key.h"

#include <chrono>
#include <cinttypes>
#include <cstdio>

namespace sluice::delivery {
namespace {

size_t Utf8CodePoints(std::string_view text) {
  size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace

std::string ObjectNameSuffix(const ObjectName& name) {
  using namespace std::chrono;
  const sys_time<milliseconds> time{milliseconds{name.time_ms}};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock_time{floor<seconds>(time - day)};

  // "-<version>-yyyy-MM-dd-HH-mm-ss-": at most 20 + 25 digits and separators.
  char middle[64];
  std::snprintf(middle, sizeof(middle), "-%" PRId64 "-%04d-%02u-%02u-%02d-%02d-%02d-",
                name.stream_version, static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock_time.hours().count()),
                static_cast<int>(clock_time.minutes().count()),
                static_cast<int>(clock_time.seconds().count()));
  std::string out;
  out.reserve(name.stream_name.size() + sizeof(middle) + name.uuid.size() + name.extension.size());
  out += name.stream_name;
  out += middle;
  out += name.uuid;
  out += name.extension;
  return out;
}

Result<std::string> MakeObjectKey(std::string_view rendered_prefix, const ObjectName& name) {
  const size_t chars = Utf8CodePoints(rendered_prefix);
  if (chars > kMaxEvaluatedPrefixChars) {
    return InvalidArgument("evaluated S3 prefix is " + std::to_string(chars) +
                           " characters long; Firehose allows at most 512 (prefix starts with '" +
                           std::string(rendered_prefix.substr(0, 64)) + "')");
  }
  std::string key(rendered_prefix);
  key += ObjectNameSuffix(name);
  return key;
}

}  // namespace sluice::delivery
