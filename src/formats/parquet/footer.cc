#include "formats/parquet/footer.h"

#include "formats/parquet/thrift_compact.h"

namespace sluice::formats::parquet {
namespace {

void WriteColumnMetaData(const ColumnWriter& column, const ColumnChunkInfo& info,
                         const WriterOptions& options, CompactWriter& writer) {
  writer.FieldI32(1, static_cast<int32_t>(column.physical_type()));
  writer.FieldListBegin(2, CompactType::kI32, static_cast<uint32_t>(info.encodings.size()));
  for (Encoding encoding : info.encodings) writer.ElementI32(static_cast<int32_t>(encoding));
  const std::vector<std::string>& path = column.leaf().path;
  writer.FieldListBegin(3, CompactType::kBinary, static_cast<uint32_t>(path.size()));
  for (const std::string& name : path) writer.ElementBinary(name);
  writer.FieldI32(4, static_cast<int32_t>(options.compression));
  writer.FieldI64(5, info.num_values);
  writer.FieldI64(6, info.uncompressed_bytes);
  writer.FieldI64(7, info.compressed_bytes);
  writer.FieldI64(9, info.data_page_offset);
  if (info.dictionary_page_offset) writer.FieldI64(11, *info.dictionary_page_offset);
  writer.FieldStructBegin(12);  // Statistics
  writer.FieldI64(3, info.null_count);
  if (info.max_value) writer.FieldBinary(5, *info.max_value);
  if (info.min_value) writer.FieldBinary(6, *info.min_value);
  writer.EndStruct();
}

}  // namespace

std::string SerializeFileMetaData(const ParquetSchema& schema,
                                  const std::vector<std::unique_ptr<ColumnWriter>>& columns,
                                  const std::vector<RowGroupInfo>& row_groups,
                                  const WriterOptions& options) {
  std::string out;
  CompactWriter writer(out);
  const auto column_count = static_cast<uint32_t>(columns.size());
  int64_t num_rows = 0;
  for (const RowGroupInfo& group : row_groups) num_rows += group.num_rows;

  writer.BeginStruct();
  writer.FieldI32(1, options.page_version == PageVersion::kV1 ? 1 : 2);
  schema.WriteSchema(writer);
  writer.FieldI64(3, num_rows);

  writer.FieldListBegin(4, CompactType::kStruct, static_cast<uint32_t>(row_groups.size()));
  for (const RowGroupInfo& group : row_groups) {
    writer.BeginStruct();
    writer.FieldListBegin(1, CompactType::kStruct, column_count);
    int64_t uncompressed = 0;
    int64_t compressed = 0;
    for (size_t i = 0; i < columns.size(); ++i) {
      const ColumnChunkInfo& info = group.columns[i];
      uncompressed += info.uncompressed_bytes;
      compressed += info.compressed_bytes;
      writer.BeginStruct();  // ColumnChunk
      writer.FieldI64(2, info.dictionary_page_offset.value_or(info.data_page_offset));
      writer.FieldStructBegin(3);
      WriteColumnMetaData(*columns[i], info, options, writer);
      writer.EndStruct();
      writer.EndStruct();
    }
    writer.FieldI64(2, uncompressed);
    writer.FieldI64(3, group.num_rows);
    writer.FieldI64(5, group.file_offset);
    writer.FieldI64(6, compressed);
    writer.EndStruct();
  }
  writer.FieldBinary(6, kCreatedBy);
  // Every leaf is ordered by its type's order (TypeDefinedOrder), which gives min/max meaning.
  writer.FieldListBegin(7, CompactType::kStruct, column_count);
  for (uint32_t i = 0; i < column_count; ++i) {
    writer.BeginStruct();
    writer.FieldStructBegin(1);
    writer.EndStruct();
    writer.EndStruct();
  }
  writer.EndStruct();
  return out;
}

}  // namespace sluice::formats::parquet
