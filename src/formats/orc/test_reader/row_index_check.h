#pragma once
// Test-only: checks a stripe's row index and bloom filters. For every column with a ROW_INDEX
// stream and every row group, each stream's positions (chunk start and offset in the chunk, or
// the byte offset without compression; then the values to skip in the run, and the bit for
// booleans) must lead exactly to the value where the row group starts, as a reader seeking
// there would find it. For every column with a BLOOM_FILTER_UTF8 stream of a type whose hash
// is known (not timestamp or decimal), every value of a row group must be in the group's filter
// (the older BLOOM_FILTER streams of pre-ORC-101 writers are not checked).

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "formats/orc/test_reader/column_reader.h"

namespace sluice::formats::orc::test_reader {

struct IndexCheck {
  uint64_t row_index_entries = 0;  // checked
  uint64_t bloom_filters = 0;      // found to hold their group's values
  // Every value missing from its group's filter: "column C, group G: entry E".
  std::vector<std::string> bloom_misses;
};

// kCorruption names the first wrong row index entry.
Result<IndexCheck> CheckRowIndex(const StripeData& stripe, uint64_t rows, uint64_t row_index_stride);

}  // namespace sluice::formats::orc::test_reader
