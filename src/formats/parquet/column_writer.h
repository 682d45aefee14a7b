#pragma once
// Buffers one leaf column of a row group and writes it as a column chunk: an optional dictionary
// page, then data pages (v1 or v2) with RLE repetition levels (nested in lists and maps) and
// definition levels. Pages start at row boundaries.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "formats/parquet/byte_dictionary.h"
#include "formats/parquet/page_compressor.h"
#include "formats/parquet/parquet_enums.h"
#include "formats/parquet/schema_tree.h"
#include "formats/parquet/writer_options.h"
#include "formats/schema/value.h"

namespace sluice::formats::parquet {

// What the footer records about one written column chunk.
struct ColumnChunkInfo {
  std::vector<Encoding> encodings;
  int64_t num_values = 0;  // level entries, nulls included
  int64_t null_count = 0;  // entries below the leaf's full definition level
  int64_t uncompressed_bytes = 0;  // page headers included, as the spec asks
  int64_t compressed_bytes = 0;
  int64_t data_page_offset = 0;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<std::string> min_value;  // PLAIN encoding of the value, without length prefix
  std::optional<std::string> max_value;
};

class ColumnWriter {
 public:
  // `leaf` is a primitive node of the schema, which outlives the writer.
  ColumnWriter(const SchemaNode& leaf, const WriterOptions& options);

  const SchemaNode& leaf() const { return leaf_; }
  PhysicalType physical_type() const { return physical_; }

  // One level entry: `value` is stored when `def` is the leaf's full level (it then comes from
  // JsonValueConverter for the leaf's type), else it is a null or empty at level `def`. `rep` is
  // 0 at the start of each row.
  void Append(int def, int rep, const Value& value);
  size_t buffered_bytes() const { return buffered_bytes_; }

  // Writes the buffered rows as a column chunk at `file_offset` (the size of the file so far),
  // appending to `out`, and empties the buffers for the next row group.
  Result<ColumnChunkInfo> Flush(PageCompressor& compressor, int64_t file_offset, std::string& out);

 private:
  void AppendBytes(std::string_view bytes);
  void AppendFixed(const void* data, size_t size);
  void AppendValue(const Value& value);
  void UpdateStats(const Value& value);
  size_t PlainSize(size_t value) const;
  void AppendPlainValues(size_t begin, size_t end, std::string& out) const;
  std::string MinMaxPlain(bool max) const;
  bool UsesDictionary() const;
  // `page` holds the levels (`levels_size` bytes, of which `rep_levels_size` are repetition
  // levels) and then the values.
  Status WritePage(PageCompressor& compressor, PageType type, std::string_view page,
                   size_t levels_size, size_t rep_levels_size, int32_t num_values,
                   int32_t num_nulls, int32_t num_rows, Encoding encoding, std::string& out,
                   ColumnChunkInfo& info);
  void AppendLevels(std::span<const uint32_t> levels, int max_level, bool v1,
                    std::string& out) const;
  void Reset();

  const SchemaNode& leaf_;
  WriterOptions options_;
  PhysicalType physical_;
  int fixed_width_ = 0;  // bytes per value for fixed-width physical types

  std::vector<uint32_t> def_levels_;  // one per entry
  std::vector<uint32_t> rep_levels_;  // one per entry, for leaves under a list or map
  std::string fixed_;             // fixed-width values, PLAIN encoded
  std::vector<uint8_t> booleans_;
  std::string bytes_;             // BYTE_ARRAY values, concatenated, once the dictionary is off
  std::vector<uint32_t> ends_;    // end offset of each BYTE_ARRAY value in bytes_
  size_t buffered_bytes_ = 0;

  // Dictionary of BYTE_ARRAY values while it pays off (see AppendBytes) and stays under the limit.
  bool dictionary_active_ = false;
  ByteDictionary dictionary_;
  std::vector<uint32_t> indices_;

  // Statistics over non-null values; which pair is used depends on the physical type.
  bool has_min_max_ = false;
  int64_t int_min_ = 0, int_max_ = 0;
  double real_min_ = 0, real_max_ = 0;
  Int128 decimal_min_ = 0, decimal_max_ = 0;
  std::string bytes_min_, bytes_max_;

  // Buffers reused from page to page.
  std::string page_, page_header_;
};

}  // namespace sluice::formats::parquet
