#include "streams/format_converter.h"

#include <algorithm>

#include "formats/orc/orc_writer.h"
#include "formats/parquet/parquet_writer.h"

namespace sluice::streams {
namespace {

formats::parquet::WriterOptions ParquetOptions(const config::ParquetSerDe& serde) {
  formats::parquet::WriterOptions options;
  using formats::parquet::Compression;
  options.compression = serde.compression == "UNCOMPRESSED" ? Compression::kUncompressed
                        : serde.compression == "GZIP"       ? Compression::kGzip
                        : serde.compression == "ZSTD"       ? Compression::kZstd
                                                            : Compression::kSnappy;
  options.page_version = serde.writer_version == "V2" ? formats::parquet::PageVersion::kV2
                                                      : formats::parquet::PageVersion::kV1;
  options.row_group_bytes = static_cast<size_t>(serde.block_size_bytes);
  options.page_bytes = static_cast<size_t>(serde.page_size_bytes);
  options.dictionary = serde.enable_dictionary_compression;
  return options;
}

formats::orc::OrcWriterOptions OrcOptions(const config::OrcSerDe& serde) {
  formats::orc::OrcWriterOptions options;
  using formats::orc::Compression;
  options.compression = serde.compression == "NONE"   ? Compression::kNone
                        : serde.compression == "ZLIB" ? Compression::kZlib
                                                      : Compression::kSnappy;
  options.stripe_size_bytes = serde.stripe_size_bytes;
  options.block_size_bytes = serde.block_size_bytes;
  options.row_index_stride = serde.row_index_stride;
  options.enable_padding = serde.enable_padding;
  options.padding_tolerance = serde.padding_tolerance;
  options.bloom_filter_columns = serde.bloom_filter_columns;
  options.bloom_filter_false_positive_probability = serde.bloom_filter_false_positive_probability;
  options.dictionary_key_threshold = serde.dictionary_key_threshold;
  options.format_version =
      serde.format_version == "V0_11" ? formats::orc::FormatVersion::kV0_11 : formats::orc::FormatVersion::kV0_12;
  return options;
}

}  // namespace

Result<std::unique_ptr<formats::RecordWriter>> MakeRecordWriter(const config::DataFormatConversion& conversion,
                                                                const config::CatalogTable& table) {
  if (const auto* parquet = std::get_if<config::ParquetSerDe>(&*conversion.output)) {
    auto writer = formats::parquet::ParquetWriter::Create(table.columns, ParquetOptions(*parquet), *conversion.input);
    if (!writer) return std::unexpected(writer.error());
    return std::unique_ptr<formats::RecordWriter>(std::move(*writer));
  }
  auto writer = formats::orc::OrcWriter::Create(table.columns, OrcOptions(std::get<config::OrcSerDe>(*conversion.output)),
                                                *conversion.input);
  if (!writer) return std::unexpected(writer.error());
  return std::unique_ptr<formats::RecordWriter>(std::move(*writer));
}

Result<ConvertedObject> FormatConverter::Convert(const config::DataFormatConversion& conversion,
                                                 const config::CatalogTable& table,
                                                 std::span<const std::string_view> records,
                                                 const EmitBytes& emit) {
  if (auto begun = Begin(conversion, table, emit); !begun) return std::unexpected(begun.error());
  if (auto added = Add(records); !added) return std::unexpected(added.error());
  return Finish();
}

Status FormatConverter::Begin(const config::DataFormatConversion& conversion, const config::CatalogTable& table,
                              EmitBytes emit) {
  writer_.reset();
  out_ = {};
  next_record_ = 0;
  auto writer = MakeRecordWriter(conversion, table);
  if (!writer) return std::unexpected(writer.error());
  writer_ = std::move(*writer);
  emit_ = std::move(emit);
  return {};
}

Status FormatConverter::Add(std::span<const std::string_view> records) {
  for (const std::string_view record : records) {
    if (auto added = AddRecord(next_record_++, record); !added) return added;
    if (auto drained = DrainWriter(); !drained) return drained;
  }
  return {};
}

Result<ConvertedObject> FormatConverter::Finish() {
  if (auto finished = writer_->Finish(); !finished) return std::unexpected(finished.error());
  if (auto drained = DrainWriter(); !drained) return std::unexpected(drained.error());
  out_.rows = static_cast<uint64_t>(writer_->rows());
  writer_.reset();
  return std::move(out_);
}

Status FormatConverter::AddRecord(uint32_t index, std::string_view record) {
  padded_.assign(record);
  padded_.append(simdjson::SIMDJSON_PADDING, '\0');
  simdjson::dom::document_stream stream;
  // A batch as large as the record, so that one object of any size parses.
  if (auto error = parser_.parse_many(reinterpret_cast<const uint8_t*>(padded_.data()), record.size(),
                                      std::max<size_t>(record.size(), simdjson::dom::DEFAULT_BATCH_SIZE))
                       .get(stream);
      error) {
    out_.failed.push_back({index, "DataFormatConversion.MalformedData",
                           std::string("the record is not JSON: ") + simdjson::error_message(error)});
    return {};
  }
  bool any = false;
  for (auto document : stream) {
    simdjson::dom::element row;
    if (auto error = document.get(row); error) {
      out_.failed.push_back({index, "DataFormatConversion.MalformedData",
                             std::string("the record is not JSON: ") + simdjson::error_message(error)});
      return {};
    }
    any = true;
    if (auto appended = writer_->Append(row); !appended) {
      if (appended.error().code != ErrorCode::kInvalidArgument) return appended;
      out_.failed.push_back({index, "DataFormatConversion.InvalidSchema", appended.error().message});
      return {};
    }
  }
  if (!any) out_.failed.push_back({index, "DataFormatConversion.MalformedData", "the record holds no JSON object"});
  return {};
}

Status FormatConverter::DrainWriter() {
  const bool drained = writer_->Drain([this](std::string_view bytes) {
    out_.bytes += bytes.size();
    return emit_(bytes);
  });
  if (!drained) return Fail(ErrorCode::kUnavailable, "the destination stopped taking the file");
  return {};
}

}  // namespace sluice::streams
