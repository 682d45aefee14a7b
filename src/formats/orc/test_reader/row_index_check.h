#pragma once
// Test-only: checks a stripe's row index. For every column with a ROW_INDEX stream and every
// row group, each stream's positions (chunk start and offset in the chunk, or the byte offset
// without compression; then the values to skip in the run, and the bit for booleans) must lead
// exactly to the value where the row group starts, as a reader seeking there would find it.

#include <cstdint>

#include "core/result.h"
#include "formats/orc/test_reader/column_reader.h"

namespace sluice::formats::orc::test_reader {

// Returns how many row index entries were checked; kCorruption names the first wrong one.
Result<uint64_t> CheckRowIndex(const StripeData& stripe, uint64_t rows, uint64_t row_index_stride);

}  // namespace sluice::formats::orc::test_reader
