#include "formats/parquet/parquet_writer.h"

#include <cctype>
#include <cstring>

#include "formats/parquet/json_value.h"

namespace sluice::formats::parquet {
namespace {

constexpr char kMagic[] = "PAR1";
constexpr size_t kMagicSize = 4;
// Buffered string values are addressed with 32-bit offsets.
constexpr size_t kMaxRowGroupBytes = size_t{2} << 30;

void LowerInto(std::string_view text, std::string& out) {
  out.clear();
  for (char c : text) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
}

}  // namespace

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Create(const std::vector<ColumnSpec>& schema,
                                                             const WriterOptions& options,
                                                             bool case_insensitive_keys) {
  if (schema.empty()) return InvalidArgument("Parquet schema: the table has no columns");
  if (options.row_group_bytes > kMaxRowGroupBytes) {
    return InvalidArgument("Parquet row group size " + std::to_string(options.row_group_bytes) +
                           " bytes is over the writer's limit of " +
                           std::to_string(kMaxRowGroupBytes) + " bytes");
  }
  std::vector<std::unique_ptr<ColumnWriter>> columns;
  for (const ColumnSpec& spec : schema) {
    if (spec.name.empty()) return InvalidArgument("Parquet schema: a column has an empty name");
    auto type = ParseHiveType(spec.type);
    if (!type) {
      return InvalidArgument("Parquet schema: column \"" + spec.name + "\": " + type.error().message);
    }
    columns.push_back(std::make_unique<ColumnWriter>(spec.name, *type, options));
  }
  auto writer = std::unique_ptr<ParquetWriter>(
      new ParquetWriter(std::move(columns), options, case_insensitive_keys));
  for (size_t i = 0; i < schema.size(); ++i) {
    std::string key = schema[i].name;
    if (case_insensitive_keys) LowerInto(schema[i].name, key);
    if (!writer->column_by_key_.emplace(key, i).second) {
      return InvalidArgument("Parquet schema: column \"" + schema[i].name + "\" appears twice" +
                             (case_insensitive_keys ? " (names compare ignoring case)" : ""));
    }
  }
  return writer;
}

ParquetWriter::ParquetWriter(std::vector<std::unique_ptr<ColumnWriter>> columns,
                             const WriterOptions& options, bool case_insensitive_keys)
    : columns_(std::move(columns)),
      options_(options),
      case_insensitive_keys_(case_insensitive_keys),
      compressor_(options.compression),
      cells_(columns_.size()),
      pending_(kMagic, kMagicSize) {}

Status ParquetWriter::Append(simdjson::dom::element record) {
  if (finished_) return Fail(ErrorCode::kInternal, "Parquet writer: Append after Finish");
  simdjson::dom::object object;
  if (record.get_object().get(object) != simdjson::SUCCESS) {
    return InvalidArgument("record is not a JSON object, so it has no fields to match the columns");
  }
  for (Cell& cell : cells_) cell = std::monostate();
  for (const auto field : object) {
    std::string_view key = field.key;
    if (case_insensitive_keys_) {
      LowerInto(key, key_scratch_);
      key = key_scratch_;
    }
    const auto column = column_by_key_.find(key);
    if (column == column_by_key_.end()) continue;
    auto cell = ConvertJsonValue(columns_[column->second]->name(),
                                 columns_[column->second]->type(), field.value);
    if (!cell) return std::unexpected(cell.error());
    cells_[column->second] = std::move(*cell);
  }
  size_t buffered = 0;
  for (size_t i = 0; i < columns_.size(); ++i) {
    columns_[i]->Append(cells_[i]);
    buffered += columns_[i]->buffered_bytes();
  }
  ++rows_;
  ++group_rows_;
  if (buffered >= options_.row_group_bytes) return FlushRowGroup();
  return {};
}

Status ParquetWriter::FlushRowGroup() {
  if (group_rows_ == 0) return {};
  RowGroupInfo group;
  group.num_rows = group_rows_;
  group.file_offset = taken_bytes_ + static_cast<int64_t>(pending_.size());
  for (auto& column : columns_) {
    auto info = column->Flush(compressor_, taken_bytes_ + static_cast<int64_t>(pending_.size()),
                              pending_);
    if (!info) return std::unexpected(info.error());
    group.columns.push_back(std::move(*info));
  }
  row_groups_.push_back(std::move(group));
  group_rows_ = 0;
  return {};
}

std::string ParquetWriter::TakeBytes() {
  std::string out = std::move(pending_);
  pending_.clear();
  taken_bytes_ += static_cast<int64_t>(out.size());
  return out;
}

Result<std::string> ParquetWriter::Finish() {
  if (finished_) return Fail(ErrorCode::kInternal, "Parquet writer: Finish called twice");
  if (auto flushed = FlushRowGroup(); !flushed) return std::unexpected(flushed.error());
  finished_ = true;
  const std::string footer = SerializeFileMetaData(columns_, row_groups_, options_);
  pending_.append(footer);
  const auto footer_size = static_cast<uint32_t>(footer.size());
  char size_bytes[4];
  std::memcpy(size_bytes, &footer_size, sizeof size_bytes);  // little-endian, as the spec asks
  pending_.append(size_bytes, sizeof size_bytes);
  pending_.append(kMagic, kMagicSize);
  return TakeBytes();
}

}  // namespace sluice::formats::parquet
