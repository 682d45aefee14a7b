#pragma once
// Converts JSON records to one Parquet file, row group by row group.
//
// Every column is an OPTIONAL flat field named as in the schema. A record is matched to the
// columns by its top-level keys: missing keys and JSON null become nulls, keys with no column are
// ignored, and a value the column's type cannot hold fails that record alone (json_value.h has
// the rules). Memory is bounded by WriterOptions::row_group_bytes: complete row groups are
// encoded into an output buffer that the caller drains with TakeBytes() as it goes.
// Not thread-safe.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <simdjson.h>

#include "core/result.h"
#include "formats/parquet/cell.h"
#include "formats/parquet/column_writer.h"
#include "formats/parquet/footer.h"
#include "formats/parquet/hive_type.h"
#include "formats/parquet/page_compressor.h"
#include "formats/parquet/writer_options.h"

namespace sluice::formats::parquet {

struct ColumnSpec {
  std::string name;
  std::string type;  // a Hive type name, see hive_type.h
};

class ParquetWriter {
 public:
  // Fails (kInvalidArgument) for an empty schema, an empty or repeated column name (compared
  // case-insensitively when `case_insensitive_keys`), a type ParseHiveType refuses, or
  // options.row_group_bytes over 2 GiB.
  // `case_insensitive_keys` matches JSON keys to column names ignoring ASCII case, as
  // OpenXJsonSerDe's CaseInsensitive (its default) does.
  static Result<std::unique_ptr<ParquetWriter>> Create(const std::vector<ColumnSpec>& schema,
                                                       const WriterOptions& options,
                                                       bool case_insensitive_keys = true);

  // Adds one record (a JSON object). On kInvalidArgument the record is not written and the writer
  // stays usable: the caller reports the record as format-conversion-failed. Other errors
  // (compression failures) leave the file unusable.
  Status Append(simdjson::dom::element record);

  // The file's bytes produced so far (magic and complete row groups); later calls return what
  // came after. Concatenating every TakeBytes() and Finish() gives the file.
  std::string TakeBytes();

  // Writes the last row group and the footer and returns the remaining bytes. A writer with no
  // rows gives a valid file with zero row groups. Append after Finish is kInternal.
  Result<std::string> Finish();

  int64_t rows() const { return rows_; }

 private:
  ParquetWriter(std::vector<std::unique_ptr<ColumnWriter>> columns, const WriterOptions& options,
                bool case_insensitive_keys);
  Status FlushRowGroup();

  std::vector<std::unique_ptr<ColumnWriter>> columns_;
  WriterOptions options_;
  bool case_insensitive_keys_;
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  std::unordered_map<std::string, size_t, KeyHash, std::equal_to<>> column_by_key_;
  PageCompressor compressor_;

  std::vector<Cell> cells_;   // the record being converted, one per column
  std::string key_scratch_;   // lower-cased key when matching case-insensitively
  std::string pending_;       // bytes not yet taken
  int64_t taken_bytes_ = 0;   // bytes handed out by TakeBytes
  int64_t rows_ = 0;
  int64_t group_rows_ = 0;
  std::vector<RowGroupInfo> row_groups_;
  bool finished_ = false;
};

}  // namespace sluice::formats::parquet
