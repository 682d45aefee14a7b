#pragma once
// Rows of a Parquet file, for counting delivered records in converted objects (their records
// cannot be traced by tag: values are column-encoded and compressed).

#include <cstdint>
#include <optional>
#include <string_view>

namespace sluice::bench {

// FileMetaData.num_rows from the footer, read with a minimal Thrift compact-protocol reader that
// skips every other field. nullopt if `file` is not a complete Parquet file.
std::optional<uint64_t> ParquetRowCount(std::string_view file);

}  // namespace sluice::bench
