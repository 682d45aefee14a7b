#pragma once
// Converts JSON records to one Parquet file, row group by row group (formats::RecordWriter).
//
// The schema is the table's columns with Hive types, nested ones included (schema_tree.h has the
// Parquet layout). A record is matched to the columns by its keys following the JSON SerDe
// (key_matcher.h): missing keys and JSON null become nulls, keys with no column are ignored, and
// a value its column's type cannot hold fails that record alone (json_value.h has the rules).
// Memory is bounded by WriterOptions::row_group_bytes: complete row groups are encoded into an
// output buffer that the caller drains with TakeBytes() as it goes. Not thread-safe.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <simdjson.h>

#include "core/result.h"
#include "formats/parquet/column_writer.h"
#include "formats/parquet/footer.h"
#include "formats/parquet/page_compressor.h"
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
  Result<std::string> Finish() override;
  int64_t rows() const override { return rows_; }

 private:
  ParquetWriter(ParquetSchema schema, const WriterOptions& options);
  Status FlushRowGroup();

  ParquetSchema schema_;
  WriterOptions options_;
  std::optional<RecordShredder> shredder_;
  std::vector<std::unique_ptr<ColumnWriter>> columns_;  // one per leaf
  PageCompressor compressor_;

  std::string pending_;       // bytes not yet taken
  int64_t taken_bytes_ = 0;   // bytes handed out by TakeBytes
  int64_t rows_ = 0;
  int64_t group_rows_ = 0;
  std::vector<RowGroupInfo> row_groups_;
  bool finished_ = false;
};

}  // namespace sluice::formats::parquet
