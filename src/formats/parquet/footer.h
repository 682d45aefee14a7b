#pragma once
// Serialises parquet.thrift's FileMetaData (the footer) with the Thrift compact protocol.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "formats/parquet/column_writer.h"
#include "formats/parquet/schema_tree.h"

namespace sluice::formats::parquet {

inline constexpr char kCreatedBy[] = "sluice";

struct RowGroupInfo {
  std::vector<ColumnChunkInfo> columns;  // one per leaf, in schema order
  int64_t num_rows = 0;
  int64_t file_offset = 0;
};

std::string SerializeFileMetaData(const ParquetSchema& schema,
                                  const std::vector<std::unique_ptr<ColumnWriter>>& columns,
                                  const std::vector<RowGroupInfo>& row_groups,
                                  const WriterOptions& options);

}  // namespace sluice::formats::parquet
