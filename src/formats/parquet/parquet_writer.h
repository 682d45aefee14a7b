#pragma once
// Converts JSON records to one Parquet file, row group by row group (formats::RecordWriter).
//
// The schema is the table's columns with Hive types, nested ones included (schema_tree.h has the
// Parquet layout). A record is matched to the columns by its keys following the JSON SerDe
// (key_matcher.h): missing keys and JSON null become nulls, keys with no column are ignored, and
// a value its column's type cannot hold fails that record alone (json_value.h has the rules).
// Memory: PLAIN columns encode and compress their pages as they fill, dictionary-encoded ones keep
// their indices (column_writer.h), so a row group is held mostly compressed; once it reaches
// WriterOptions::row_group_bytes (counted on its PLAIN-encoded values) its pages are handed out,
// one piece each, through TakeBytes() as the caller drains them. Not thread-safe.

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <simdjson.h>

#include "core/result.h"
#include "formats/parquet/column_writer.h"
#include "formats/parquet/footer.h"
#include "formats/parquet/record_shredder.h"
#include "formats/parquet/schema_tree.h"
#include "formats/parquet/writer_options.h"
#include "formats/record_writer.h"

namespace sluice::formats::parquet {

class ParquetWriter final : public RecordWriter {
 public:
  // Fails (kInvalidArgument) for an empty schema, an empty or repeated column name (compared
  // ignoring case unless OpenXJsonSerDe's CaseInsensitive is off), a type ParseHiveType refuses,
  // SerDe options the SerDe refuses, or options.row_group_bytes over 2 GiB.
  static Result<std::unique_ptr<ParquetWriter>> Create(const std::vector<ColumnSpec>& columns,
                                                       const WriterOptions& options,
                                                       const JsonInputOptions& input = {});

  // RecordWriter. Append after Finish and Finish twice are kInternal.
  Status Append(simdjson::dom::element record) override;
  std::string TakeBytes() override;
  Status Finish() override;
  int64_t rows() const override { return rows_; }

 private:
  ParquetWriter(ParquetSchema schema, const WriterOptions& options);
  Status FlushRowGroup();

  ParquetSchema schema_;
  WriterOptions options_;
  std::optional<RecordShredder> shredder_;
  PageScratch scratch_;  // shared by the columns
  std::vector<std::unique_ptr<ColumnWriter>> columns_;  // one per leaf

  std::deque<std::string> pending_;  // pieces of the file not yet taken, in order
  int64_t written_bytes_ = 0;        // the size of the file before the next row group
  int64_t rows_ = 0;
  int64_t group_rows_ = 0;
  std::vector<RowGroupInfo> row_groups_;
  bool finished_ = false;
};

}  // namespace sluice::formats::parquet
