#include "formats/parquet/parquet_writer.h"

#include <cstring>

namespace sluice::formats::parquet {
namespace {

constexpr char kMagic[] = "PAR1";
constexpr size_t kMagicSize = 4;
// Buffered string values are addressed with 32-bit offsets.
constexpr size_t kMaxRowGroupBytes = size_t{2} << 30;

}  // namespace

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Create(const std::vector<ColumnSpec>& columns,
                                                             const WriterOptions& options,
                                                             const JsonInputOptions& input) {
  if (options.row_group_bytes > kMaxRowGroupBytes) {
    return InvalidArgument("Parquet row group size " + std::to_string(options.row_group_bytes) +
                           " bytes is over the writer's limit of " +
                           std::to_string(kMaxRowGroupBytes) + " bytes");
  }
  auto schema = ParquetSchema::Create(columns, options);
  if (!schema) return std::unexpected(schema.error());
  auto writer = std::unique_ptr<ParquetWriter>(new ParquetWriter(std::move(*schema), options));
  // The shredder points into the writer's own schema, which no longer moves.
  auto shredder = RecordShredder::Create(writer->schema_, input);
  if (!shredder) {
    return InvalidArgument("Parquet schema: " + shredder.error().message);
  }
  writer->shredder_.emplace(std::move(*shredder));
  return writer;
}

ParquetWriter::ParquetWriter(ParquetSchema schema, const WriterOptions& options)
    : schema_(std::move(schema)),
      options_(options),
      scratch_(options.compression),
      pending_{std::string(kMagic, kMagicSize)},
      written_bytes_(kMagicSize) {
  for (const SchemaNode* leaf : schema_.leaves()) {
    columns_.push_back(std::make_unique<ColumnWriter>(*leaf, options_, scratch_));
  }
}

Status ParquetWriter::Append(simdjson::dom::element record) {
  if (finished_) return Fail(ErrorCode::kInternal, "Parquet writer: Append after Finish");
  if (auto shredded = shredder_->Shred(record); !shredded) return shredded;
  const auto& entries = shredder_->entries();
  size_t buffered = 0;
  for (size_t i = 0; i < columns_.size(); ++i) {
    for (const RecordShredder::Entry& entry : entries[i]) {
      if (auto appended = columns_[i]->Append(entry.def, entry.rep, entry.value); !appended) {
        return appended;
      }
    }
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
  group.file_offset = written_bytes_;
  for (auto& column : columns_) {
    auto info = column->Flush(written_bytes_, pending_);
    if (!info) return std::unexpected(info.error());
    written_bytes_ += info->compressed_bytes;
    group.columns.push_back(std::move(*info));
  }
  row_groups_.push_back(std::move(group));
  group_rows_ = 0;
  return {};
}

std::string ParquetWriter::TakeBytes() {
  if (pending_.empty()) return {};
  std::string piece = std::move(pending_.front());
  pending_.pop_front();
  return piece;
}

Status ParquetWriter::Finish() {
  if (finished_) return Fail(ErrorCode::kInternal, "Parquet writer: Finish called twice");
  if (auto flushed = FlushRowGroup(); !flushed) return flushed;
  finished_ = true;
  std::string tail = SerializeFileMetaData(schema_, columns_, row_groups_, options_);
  const auto footer_size = static_cast<uint32_t>(tail.size());
  char size_bytes[4];
  std::memcpy(size_bytes, &footer_size, sizeof size_bytes);  // little-endian, as the spec asks
  tail.append(size_bytes, sizeof size_bytes);
  tail.append(kMagic, kMagicSize);
  pending_.push_back(std::move(tail));
  return {};
}

}  // namespace sluice::formats::parquet
