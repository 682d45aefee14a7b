#pragma once
// printf-style formatting into a std::string (g++ 12 has no <format>).

#include <string>

namespace sluice::bench {

std::string Printf(const char* format, ...) __attribute__((format(printf, 1, 2)));

}  // namespace sluice::bench
