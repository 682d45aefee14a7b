#pragma once
// Test-only: compares Values read from ORC files with the expected rows of Apache ORC's
// example files (gzip-compressed JSON lines; conventions in the fixtures' README.md).

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "formats/orc/test_reader/orc_value.h"

namespace sluice::formats::orc::test_reader {

// The lines of a gzip file (one JSON document each).
Result<std::vector<std::string>> ReadGzipLines(const std::string& path);

// Empty when `actual` equals the JSON document `expected`; otherwise where and how they differ.
// Values are compared as parsed JSON, except decimals (compared as exact text, scale included)
// and floating-point numbers (compared at the 7 (float) or 14 (double) significant digits the
// expected files were printed with).
std::string Mismatch(const Value& actual, std::string_view expected);

}  // namespace sluice::formats::orc::test_reader
