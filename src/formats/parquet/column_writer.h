#pragma once
// Buffers one optional (nullable) flat column of a row group and writes it as a column chunk:
// an optional dictionary page, then data pages (v1 or v2) with RLE definition levels.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "formats/parquet/cell.h"
#include "formats/parquet/hive_type.h"
#include "formats/parquet/page_compressor.h"
#include "formats/parquet/parquet_enums.h"
#include "formats/parquet/thrift_compact.h"
#include "formats/parquet/writer_options.h"

namespace sluice::formats::parquet {

// What the footer records about one written column chunk.
struct ColumnChunkInfo {
  std::vector<Encoding> encodings;
  int64_t num_values = 0;
  int64_t null_count = 0;
  int64_t uncompressed_bytes = 0;  // page headers included, as the spec asks
  int64_t compressed_bytes = 0;
  int64_t data_page_offset = 0;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<std::string> min_value;  // PLAIN encoding of the value, without length prefix
  std::optional<std::string> max_value;
};

class ColumnWriter {
 public:
  ColumnWriter(std::string name, HiveType type, const WriterOptions& options);

  const std::string& name() const { return name_; }
  const HiveType& type() const { return type_; }
  PhysicalType physical_type() const { return physical_; }

  // `cell` comes from ConvertJsonValue for this column's type.
  void Append(const Cell& cell);
  size_t buffered_bytes() const { return buffered_bytes_; }

  // Writes the buffered rows as a column chunk at `file_offset` (the size of the file so far),
  // appending to `out`, and empties the buffers for the next row group.
  Result<ColumnChunkInfo> Flush(PageCompressor& compressor, int64_t file_offset, std::string& out);

  // The column's SchemaElement (a struct value inside the schema list).
  void WriteSchemaElement(CompactWriter& writer) const;

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  void AppendBytes(std::string_view bytes);
  void AppendFixed(const void* data, size_t size);
  void UpdateStats(const Cell& cell);
  size_t PlainSize(size_t value) const;
  void AppendPlainValues(size_t begin, size_t end, std::string& out) const;
  std::string MinMaxPlain(bool max) const;
  bool UsesDictionary() const;
  Status WritePage(PageCompressor& compressor, PageType type, std::string_view levels,
                   std::string_view values, int32_t num_values, int32_t num_nulls,
                   Encoding encoding, std::string& out, ColumnChunkInfo& info);
  void Reset();

  std::string name_;
  HiveType type_;
  WriterOptions options_;
  PhysicalType physical_;
  int fixed_width_ = 0;  // bytes per value for fixed-width physical types

  std::vector<uint8_t> defined_;  // definition level per row: 1 = value, 0 = null
  std::string fixed_;             // fixed-width values, PLAIN encoded
  std::vector<uint8_t> booleans_;
  std::string bytes_;             // BYTE_ARRAY values, concatenated
  std::vector<uint32_t> ends_;    // end offset of each BYTE_ARRAY value in bytes_
  size_t buffered_bytes_ = 0;

  // Dictionary of BYTE_ARRAY values, in first-seen order, while it stays under the limit.
  bool dictionary_active_ = false;
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> dictionary_;
  std::vector<std::string_view> dictionary_order_;
  size_t dictionary_bytes_ = 0;
  std::vector<uint32_t> indices_;

  // Statistics over non-null values; which pair is used depends on the physical type.
  bool has_min_max_ = false;
  int64_t int_min_ = 0, int_max_ = 0;
  double real_min_ = 0, real_max_ = 0;
  Int128 decimal_min_ = 0, decimal_max_ = 0;
  std::string bytes_min_, bytes_max_;
};

}  // namespace sluice::formats::parquet
