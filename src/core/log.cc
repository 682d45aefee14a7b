#include "core/log.h"

#include <atomic>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

#include "core/clock.h"

namespace sluice {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::mutex g_output_mutex;  // keeps lines from interleaving

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kWarn: return "WARN";
    case LogLevel::kError: return "ERROR";
  }
  return "?";
}

}  // namespace

void SetLogLevel(LogLevel level) { g_level.store(level); }

void Log(LogLevel level, std::string_view component, std::string_view message) {
  if (level < g_level.load()) return;
  const int64_t now_ms = SystemClock::Instance().NowMs();
  const std::time_t seconds = now_ms / 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[96];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(now_ms % 1000));
  std::lock_guard lock(g_output_mutex);
  std::fprintf(stderr, "%s %.*s %.*s: %.*s\n", stamp, static_cast<int>(LevelName(level).size()),
               LevelName(level).data(), static_cast<int>(component.size()), component.data(),
               static_cast<int>(message.size()), message.data());
}

}  // namespace sluice
