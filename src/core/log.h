#pragma once
// Structured-enough server logging: one line per event on stderr,
// "<UTC time> <LEVEL> <component>: <message>". Thread-safe.

#include <string_view>

namespace sluice {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

void SetLogLevel(LogLevel level);
void Log(LogLevel level, std::string_view component, std::string_view message);

}  // namespace sluice
