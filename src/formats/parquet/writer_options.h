#pragma once
// Settings of the Parquet writer, mirroring Firehose's ParquetSerDe.

#include <cstddef>

#include "formats/parquet/page_compressor.h"

namespace sluice::formats::parquet {

enum class PageVersion { kV1, kV2 };  // ParquetSerDe WriterVersion V1 / V2

// How a Hive timestamp is stored. kInt96 (nanoseconds of the day + Julian day) is what Hive, and
// so Firehose, write and what every Hive-compatible reader (Hive 2/3, Athena, Spark, DuckDB)
// reads; it has no defined sort order, so its columns carry no min/max. kInt64Millis is the
// modern form (TIMESTAMP(MILLIS, UTC)), with statistics, truncating below the millisecond.
enum class TimestampEncoding { kInt96, kInt64Millis };

struct WriterOptions {
  Compression compression = Compression::kSnappy;
  PageVersion page_version = PageVersion::kV1;
  TimestampEncoding timestamp_encoding = TimestampEncoding::kInt96;
  // A row group is cut once its values, counted uncompressed and PLAIN-encoded, reach this size.
  // The writer holds a row group compressed (plus a page per column), so its memory is about
  // the row group's compressed size. ParquetSerDe BlockSizeBytes.
  size_t row_group_bytes = 256u << 20;
  // Data pages are cut once their plain-encoded values reach this size. PageSizeBytes.
  size_t page_bytes = 1u << 20;
  // Dictionary-encode string and binary columns (EnableDictionaryCompression); a column chunk
  // whose distinct values exceed `dictionary_limit_bytes`, or whose first 2,000 values are more
  // than half distinct, is written plain instead.
  bool dictionary = true;
  size_t dictionary_limit_bytes = 1u << 20;
};

}  // namespace sluice::formats::parquet
