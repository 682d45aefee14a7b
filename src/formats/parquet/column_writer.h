#pragma once
// Writes one leaf column of a row group as a column chunk: an optional dictionary page, then data
// pages (v1 or v2) with RLE repetition levels (nested in lists and maps) and definition levels.
// Pages start at row boundaries.
//
// Memory: a PLAIN chunk's pages are encoded and compressed as soon as they fill, so only one
// page of raw values is buffered and the chunk is held compressed until the row group is
// written (its pages must follow the previous column's). A dictionary-encoded chunk keeps its
// pages' levels (RLE-encoded) and indices until then, since the indices' bit width is the final
// dictionary's; if it gives up the dictionary, the pages cut so far are written PLAIN at once.
// The buffers a page is assembled and compressed in are shared by the columns of a file.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "formats/parquet/byte_dictionary.h"
#include "formats/parquet/page_compressor.h"
#include "formats/parquet/parquet_enums.h"
#include "formats/parquet/rle.h"
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

// What the columns of one file share, since they encode one page at a time: the compressor and
// the buffers a page is assembled in.
struct PageScratch {
  explicit PageScratch(Compression compression) : compressor(compression) {}
  PageCompressor compressor;
  std::string page;  // levels, then values
  std::string header;
};

class ColumnWriter {
 public:
  // `leaf` is a primitive node of the schema; `scratch` compresses with options.compression.
  // Both outlive the writer.
  ColumnWriter(const SchemaNode& leaf, const WriterOptions& options, PageScratch& scratch);

  const SchemaNode& leaf() const { return leaf_; }
  PhysicalType physical_type() const { return physical_; }

  // One level entry: `value` is stored when `def` is the leaf's full level (it then comes from
  // JsonValueConverter for the leaf's type), else it is a null or empty at level `def`. `rep` is
  // 0 at the start of each row. Fails only if a page that filled up cannot be compressed.
  Status Append(int def, int rep, const Value& value);
  // The chunk's size as the row group size counts it: its levels and values PLAIN-encoded
  // (dictionary-encoded values count their dictionary entries too), whether or not they were
  // written to pages yet.
  size_t buffered_bytes() const { return buffered_bytes_; }
  // Bytes held for pages not written yet: encoded levels, values and dictionary indices (what
  // the chunk holds beyond its written pages and its dictionary).
  size_t unwritten_bytes() const;

  // Ends the column chunk at `file_offset` (the size of the file so far): appends its pages to
  // `out`, one string each, in file order, and empties the writer for the next row group.
  Result<ColumnChunkInfo> Flush(int64_t file_offset, std::deque<std::string>& out);

 private:
  // A page that was cut but not written yet (only while the dictionary is used): its levels,
  // encoded, and where its values end in the buffers.
  struct CutPage {
    std::string levels;
    size_t rep_levels_size = 0;  // the repetition levels' share of `levels`
    int32_t entries = 0;
    int32_t rows = 0;
    size_t values_end = 0;
  };

  Status AppendBytes(std::string_view bytes);
  void AppendFixed(const void* data, size_t size);
  Status AppendValue(const Value& value);
  void UpdateStats(const Value& value);
  size_t PlainSize(const Value& value) const;
  size_t BufferedValues() const;
  void AppendPlainValues(size_t begin, size_t end, std::string& out) const;
  std::string MinMaxPlain(bool max) const;
  bool UsesDictionary() const;
  // Ends the open page: its levels are encoded, and it is written unless the dictionary is used.
  Status EndPage();
  Status GiveUpDictionary();
  // Writes the cut pages to pages_ (dictionary indices of `index_width` bits, or PLAIN values
  // when `index_width` is negative).
  Status WriteCutPages(int index_width);
  // `page` holds the levels (`levels_size` bytes, of which `rep_levels_size` are repetition
  // levels) and then the values; the page, with its header, goes to `out`.
  Status WritePage(PageType type, std::string_view page, size_t levels_size,
                   size_t rep_levels_size, int32_t num_values, int32_t num_nulls,
                   int32_t num_rows, Encoding encoding, std::string& out);
  void Reset();

  const SchemaNode& leaf_;
  WriterOptions options_;
  PageScratch& scratch_;
  PhysicalType physical_;
  int fixed_width_ = 0;  // bytes per value for fixed-width physical types

  // The open page's levels, encoded as they come, and the values not written yet: those of the
  // cut pages (only while the dictionary is used), then the open page's.
  RleHybridEncoder def_levels_;
  RleHybridEncoder rep_levels_;  // for leaves under a list or map
  int32_t open_page_entries_ = 0;
  std::string fixed_;             // fixed-width values, PLAIN encoded
  std::vector<uint8_t> booleans_;
  std::string bytes_;             // BYTE_ARRAY values, concatenated, once the dictionary is off
  std::vector<uint32_t> ends_;    // end offset of each BYTE_ARRAY value in bytes_
  std::vector<CutPage> cut_pages_;
  size_t open_page_bytes_ = 0;  // PLAIN size of the open page's values, which decides its cut
  int32_t open_page_rows_ = 0;
  size_t buffered_bytes_ = 0;

  // The chunk's pages written so far (header and contents each), and what the footer will say.
  std::deque<std::string> pages_;
  ColumnChunkInfo info_;

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
};

}  // namespace sluice::formats::parquet
