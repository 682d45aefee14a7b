#pragma once
// DataFormatConversionConfiguration of an Extended S3 destination (firehose.md §3.4): JSON records
// converted to Parquet or ORC with the schema of a catalog table. Parsing checks the members and
// their ranges; that the table exists in the server's catalog is the registry's check.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "config/json_object.h"
#include "core/json_writer.h"
#include "core/result.h"
#include "formats/record_writer.h"

namespace sluice::config {

// SchemaConfiguration: Firehose names a Glue table; Sluice looks DatabaseName.TableName up in
// the `catalog:` of its server config. The other members are kept and reported back.
struct SchemaConfiguration {
  std::string role_arn;
  std::string catalog_id;
  std::string database_name;
  std::string table_name;
  std::string region;
  std::string version_id = "LATEST";
  bool operator==(const SchemaConfiguration&) const = default;
};

struct ParquetSerDe {
  std::string compression = "SNAPPY";  // UNCOMPRESSED | GZIP | SNAPPY, and Sluice's ZSTD
  int64_t block_size_bytes = 256ll << 20;
  int64_t page_size_bytes = 1ll << 20;
  bool enable_dictionary_compression = true;
  int64_t max_padding_bytes = 0;
  std::string writer_version = "V1";  // V1 | V2
  bool operator==(const ParquetSerDe&) const = default;
};

struct OrcSerDe {
  int64_t stripe_size_bytes = 64ll << 20;
  int64_t block_size_bytes = 256ll << 20;
  int64_t row_index_stride = 10000;
  bool enable_padding = false;
  double padding_tolerance = 0.05;
  std::string compression = "SNAPPY";  // NONE | ZLIB | SNAPPY
  std::vector<std::string> bloom_filter_columns;
  double bloom_filter_false_positive_probability = 0.05;
  double dictionary_key_threshold = 0.8;
  std::string format_version = "V0_12";  // V0_11 | V0_12
  bool operator==(const OrcSerDe&) const = default;
};

using Serializer = std::variant<ParquetSerDe, OrcSerDe>;

// The three parts are optional only while Enabled is false (a configuration kept for later).
struct DataFormatConversion {
  bool enabled = true;
  std::optional<SchemaConfiguration> schema;
  std::optional<formats::JsonInputOptions> input;
  std::optional<Serializer> output;

  bool active() const { return enabled && schema && input && output; }
  bool parquet() const { return output && std::holds_alternative<ParquetSerDe>(*output); }
  // ".parquet" or ".orc", the default object extension.
  std::string_view Extension() const { return parquet() ? ".parquet" : ".orc"; }
  bool operator==(const DataFormatConversion&) const = default;
};

// The member "DataFormatConversionConfiguration" of `parent`; nullopt when absent. When enabled,
// SchemaConfiguration (with RoleARN, DatabaseName, TableName), exactly one deserializer and
// exactly one serializer are required.
Result<std::optional<DataFormatConversion>> ParseDataFormatConversion(const JsonObject& parent);

void WriteDataFormatConversion(JsonWriter& writer, const DataFormatConversion& conversion);

}  // namespace sluice::config
