#include "config/format_conversion_config.h"

#include <array>
#include <limits>

#include "config/field_rules.h"

namespace sluice::config {
namespace {

constexpr int64_t kMiB = 1 << 20;
constexpr int64_t kMaxInt32 = std::numeric_limits<int32_t>::max();

// Reads an optional string member that must be one of `allowed`.
Status ReadChoice(const JsonObject& object, std::string_view member,
                  std::span<const std::string_view> allowed, std::string& out) {
  auto value = object.String(member);
  if (!value) return std::unexpected(value.error());
  if (!*value) return {};
  for (const std::string_view choice : allowed) {
    if (**value == choice) {
      out = std::string(choice);
      return {};
    }
  }
  std::string list;
  for (const std::string_view choice : allowed) list += (list.empty() ? "" : ", ") + std::string(choice);
  return InvalidArgument(object.PathOf(member) + " " + Quote(**value) + " must be one of " + list);
}

template <typename T>
Status ReadInt(const JsonObject& object, std::string_view member, int64_t min, int64_t max, T& out) {
  auto value = object.Int(member, min, max);
  if (!value) return std::unexpected(value.error());
  if (*value) out = static_cast<T>(**value);
  return {};
}

Status ReadNumber(const JsonObject& object, std::string_view member, double min, double max, double& out) {
  auto value = object.Number(member, min, max);
  if (!value) return std::unexpected(value.error());
  if (*value) out = **value;
  return {};
}

Status ReadBool(const JsonObject& object, std::string_view member, bool& out) {
  auto value = object.Bool(member);
  if (!value) return std::unexpected(value.error());
  if (*value) out = **value;
  return {};
}

// A string member of 1..1024 characters; required ones fail when absent.
Status ReadName(const JsonObject& object, std::string_view member, bool required, std::string& out) {
  auto value = object.String(member);
  if (!value) return std::unexpected(value.error());
  if (!*value) {
    if (required) return InvalidArgument(object.PathOf(member) + " is required");
    return {};
  }
  if (auto ok = CheckLength(**value, 1, 1024, object.PathOf(member)); !ok) return ok;
  out = std::string(**value);
  return {};
}

// Runs each step in turn and stops at the first error.
template <typename... Steps>
Status All(Steps&&... steps) {
  Status status;
  ((status ? (status = steps(), 0) : 0), ...);
  return status;
}

Result<SchemaConfiguration> ParseSchema(const JsonObject& object) {
  static constexpr std::array<std::string_view, 6> kMembers{"RoleARN", "CatalogId", "DatabaseName",
                                                            "TableName", "Region", "VersionId"};
  if (auto ok = object.CheckMembers(kMembers, {}); !ok) return std::unexpected(ok.error());
  SchemaConfiguration schema;
  auto ok = All([&] { return ReadName(object, "RoleARN", true, schema.role_arn); },
                [&] { return CheckRoleArn(schema.role_arn, object.PathOf("RoleARN")); },
                [&] { return ReadName(object, "CatalogId", false, schema.catalog_id); },
                [&] { return ReadName(object, "DatabaseName", true, schema.database_name); },
                [&] { return ReadName(object, "TableName", true, schema.table_name); },
                [&] { return ReadName(object, "Region", false, schema.region); },
                [&] { return ReadName(object, "VersionId", false, schema.version_id); });
  if (!ok) return std::unexpected(ok.error());
  return schema;
}

// Returns the single member of `object` among `choices` (e.g. the one Deserializer).
Result<std::string_view> OnlyOneOf(const JsonObject& object, std::span<const std::string_view> choices) {
  if (auto ok = object.CheckMembers(choices, {}); !ok) return std::unexpected(ok.error());
  std::string_view found;
  for (const std::string_view choice : choices) {
    if (!object.Has(choice)) continue;
    if (!found.empty()) {
      return InvalidArgument(object.path() + " must have only one of " + std::string(choices[0]) + " and " +
                             std::string(choices[1]));
    }
    found = choice;
  }
  if (found.empty()) {
    return InvalidArgument(object.path() + " needs one of " + std::string(choices[0]) + " and " +
                           std::string(choices[1]));
  }
  return found;
}

Result<JsonObject> ChildObject(const JsonObject& parent, std::string_view member) {
  auto child = parent.Object(member);
  if (!child) return std::unexpected(child.error());
  if (!*child) return InvalidArgument(parent.PathOf(member) + " is required");
  return std::move(**child);
}

Result<formats::JsonInputOptions> ParseInput(const JsonObject& input_format) {
  static constexpr std::array<std::string_view, 1> kMembers{"Deserializer"};
  if (auto ok = input_format.CheckMembers(kMembers, {}); !ok) return std::unexpected(ok.error());
  auto deserializer = ChildObject(input_format, "Deserializer");
  if (!deserializer) return std::unexpected(deserializer.error());
  static constexpr std::array<std::string_view, 2> kKinds{"OpenXJsonSerDe", "HiveJsonSerDe"};
  auto kind = OnlyOneOf(*deserializer, kKinds);
  if (!kind) return std::unexpected(kind.error());
  auto serde = ChildObject(*deserializer, *kind);
  if (!serde) return std::unexpected(serde.error());
  formats::JsonInputOptions options;
  if (*kind == "HiveJsonSerDe") {
    options.serde = formats::JsonInputOptions::SerDe::kHive;
    static constexpr std::array<std::string_view, 1> kHiveMembers{"TimestampFormats"};
    if (auto ok = serde->CheckMembers(kHiveMembers, {}); !ok) return std::unexpected(ok.error());
    auto formats_json = serde->Array("TimestampFormats");
    if (!formats_json) return std::unexpected(formats_json.error());
    if (*formats_json) {
      for (const simdjson::dom::element format : **formats_json) {
        const std::string path = serde->PathOf("TimestampFormats") + "[" +
                                 std::to_string(options.timestamp_formats.size()) + "]";
        std::string_view text;
        if (format.get_string().get(text) != simdjson::SUCCESS) {
          return InvalidArgument(path + " must be a string, got " + std::string(JsonTypeName(format)));
        }
        if (auto ok = CheckLength(text, 1, 1024, path); !ok) return std::unexpected(ok.error());
        options.timestamp_formats.emplace_back(text);
      }
    }
    return options;
  }
  static constexpr std::array<std::string_view, 3> kOpenXMembers{
      "ConvertDotsInJsonKeysToUnderscores", "CaseInsensitive", "ColumnToJsonKeyMappings"};
  if (auto ok = serde->CheckMembers(kOpenXMembers, {}); !ok) return std::unexpected(ok.error());
  auto ok = All([&] { return ReadBool(*serde, "ConvertDotsInJsonKeysToUnderscores", options.convert_dots_to_underscores); },
                [&] { return ReadBool(*serde, "CaseInsensitive", options.case_insensitive); });
  if (!ok) return std::unexpected(ok.error());
  auto mappings = serde->Object("ColumnToJsonKeyMappings");
  if (!mappings) return std::unexpected(mappings.error());
  if (*mappings) {
    for (const auto [column, key_json] : (*mappings)->members()) {
      const std::string path = (*mappings)->PathOf(column);
      std::string_view key;
      if (key_json.get_string().get(key) != simdjson::SUCCESS) {
        return InvalidArgument(path + " must be a string, got " + std::string(JsonTypeName(key_json)));
      }
      if (column.empty() || column.find_first_of(" \t\r\n") != std::string_view::npos) {
        return InvalidArgument(path + ": a column name must be non-empty without white space");
      }
      if (auto length = CheckLength(key, 1, 1024, path); !length) return std::unexpected(length.error());
      options.column_to_json_key.emplace(std::string(column), std::string(key));
    }
  }
  return options;
}

Result<ParquetSerDe> ParseParquet(const JsonObject& object) {
  static constexpr std::array<std::string_view, 6> kMembers{
      "BlockSizeBytes", "PageSizeBytes", "Compression", "EnableDictionaryCompression", "MaxPaddingBytes",
      "WriterVersion"};
  if (auto ok = object.CheckMembers(kMembers, {}); !ok) return std::unexpected(ok.error());
  static constexpr std::array<std::string_view, 4> kCompressions{"UNCOMPRESSED", "GZIP", "SNAPPY", "ZSTD"};
  static constexpr std::array<std::string_view, 2> kVersions{"V1", "V2"};
  ParquetSerDe parquet;
  auto ok = All([&] { return ReadInt(object, "BlockSizeBytes", 64 * kMiB, kMaxInt32, parquet.block_size_bytes); },
                [&] { return ReadInt(object, "PageSizeBytes", 64 * 1024, kMaxInt32, parquet.page_size_bytes); },
                [&] { return ReadChoice(object, "Compression", kCompressions, parquet.compression); },
                [&] { return ReadBool(object, "EnableDictionaryCompression", parquet.enable_dictionary_compression); },
                [&] { return ReadInt(object, "MaxPaddingBytes", 0, kMaxInt32, parquet.max_padding_bytes); },
                [&] { return ReadChoice(object, "WriterVersion", kVersions, parquet.writer_version); });
  if (!ok) return std::unexpected(ok.error());
  return parquet;
}

Result<OrcSerDe> ParseOrc(const JsonObject& object) {
  static constexpr std::array<std::string_view, 10> kMembers{
      "StripeSizeBytes", "BlockSizeBytes", "RowIndexStride", "EnablePadding", "PaddingTolerance", "Compression",
      "BloomFilterColumns", "BloomFilterFalsePositiveProbability", "DictionaryKeyThreshold", "FormatVersion"};
  if (auto ok = object.CheckMembers(kMembers, {}); !ok) return std::unexpected(ok.error());
  static constexpr std::array<std::string_view, 3> kCompressions{"NONE", "ZLIB", "SNAPPY"};
  static constexpr std::array<std::string_view, 2> kVersions{"V0_11", "V0_12"};
  OrcSerDe orc;
  auto ok = All(
      [&] { return ReadInt(object, "StripeSizeBytes", 8 * kMiB, kMaxInt32, orc.stripe_size_bytes); },
      [&] { return ReadInt(object, "BlockSizeBytes", 64 * kMiB, kMaxInt32, orc.block_size_bytes); },
      [&] { return ReadInt(object, "RowIndexStride", 1000, kMaxInt32, orc.row_index_stride); },
      [&] { return ReadBool(object, "EnablePadding", orc.enable_padding); },
      [&] { return ReadNumber(object, "PaddingTolerance", 0, 1, orc.padding_tolerance); },
      [&] { return ReadChoice(object, "Compression", kCompressions, orc.compression); },
      [&] { return ReadNumber(object, "BloomFilterFalsePositiveProbability", 0, 1,
                              orc.bloom_filter_false_positive_probability); },
      [&] { return ReadNumber(object, "DictionaryKeyThreshold", 0, 1, orc.dictionary_key_threshold); },
      [&] { return ReadChoice(object, "FormatVersion", kVersions, orc.format_version); });
  if (!ok) return std::unexpected(ok.error());
  auto columns = object.Array("BloomFilterColumns");
  if (!columns) return std::unexpected(columns.error());
  if (*columns) {
    for (const simdjson::dom::element column : **columns) {
      const std::string path =
          object.PathOf("BloomFilterColumns") + "[" + std::to_string(orc.bloom_filter_columns.size()) + "]";
      std::string_view name;
      if (column.get_string().get(name) != simdjson::SUCCESS) {
        return InvalidArgument(path + " must be a string, got " + std::string(JsonTypeName(column)));
      }
      if (auto length = CheckLength(name, 1, 1024, path); !length) return std::unexpected(length.error());
      orc.bloom_filter_columns.emplace_back(name);
    }
  }
  return orc;
}

Result<Serializer> ParseOutput(const JsonObject& output_format) {
  static constexpr std::array<std::string_view, 1> kMembers{"Serializer"};
  if (auto ok = output_format.CheckMembers(kMembers, {}); !ok) return std::unexpected(ok.error());
  auto serializer = ChildObject(output_format, "Serializer");
  if (!serializer) return std::unexpected(serializer.error());
  static constexpr std::array<std::string_view, 2> kKinds{"ParquetSerDe", "OrcSerDe"};
  auto kind = OnlyOneOf(*serializer, kKinds);
  if (!kind) return std::unexpected(kind.error());
  auto serde = ChildObject(*serializer, *kind);
  if (!serde) return std::unexpected(serde.error());
  if (*kind == "ParquetSerDe") {
    auto parquet = ParseParquet(*serde);
    if (!parquet) return std::unexpected(parquet.error());
    return Serializer(std::move(*parquet));
  }
  auto orc = ParseOrc(*serde);
  if (!orc) return std::unexpected(orc.error());
  return Serializer(std::move(*orc));
}

// Parses the optional member `member` of `parent` with `parse` into `out`.
template <typename T, typename Parse>
Status ParsePart(const JsonObject& parent, std::string_view member, Parse parse, std::optional<T>& out) {
  auto object = parent.Object(member);
  if (!object) return std::unexpected(object.error());
  if (!*object) return {};
  auto parsed = parse(**object);
  if (!parsed) return std::unexpected(parsed.error());
  out = std::move(*parsed);
  return {};
}

void WriteParquet(JsonWriter& w, const ParquetSerDe& parquet) {
  w.Key("ParquetSerDe").BeginObject();
  w.Key("BlockSizeBytes").Int(parquet.block_size_bytes);
  w.Key("PageSizeBytes").Int(parquet.page_size_bytes);
  w.Key("Compression").String(parquet.compression);
  w.Key("EnableDictionaryCompression").Bool(parquet.enable_dictionary_compression);
  w.Key("MaxPaddingBytes").Int(parquet.max_padding_bytes);
  w.Key("WriterVersion").String(parquet.writer_version);
  w.EndObject();
}

void WriteOrc(JsonWriter& w, const OrcSerDe& orc) {
  w.Key("OrcSerDe").BeginObject();
  w.Key("StripeSizeBytes").Int(orc.stripe_size_bytes);
  w.Key("BlockSizeBytes").Int(orc.block_size_bytes);
  w.Key("RowIndexStride").Int(orc.row_index_stride);
  w.Key("EnablePadding").Bool(orc.enable_padding);
  w.Key("PaddingTolerance").Double(orc.padding_tolerance);
  w.Key("Compression").String(orc.compression);
  w.Key("BloomFilterColumns").BeginArray();
  for (const std::string& column : orc.bloom_filter_columns) w.String(column);
  w.EndArray();
  w.Key("BloomFilterFalsePositiveProbability").Double(orc.bloom_filter_false_positive_probability);
  w.Key("DictionaryKeyThreshold").Double(orc.dictionary_key_threshold);
  w.Key("FormatVersion").String(orc.format_version);
  w.EndObject();
}

}  // namespace

Result<std::optional<DataFormatConversion>> ParseDataFormatConversion(const JsonObject& parent) {
  static constexpr std::string_view kMember = "DataFormatConversionConfiguration";
  auto object = parent.Object(kMember);
  if (!object) return std::unexpected(object.error());
  if (!*object) return std::nullopt;
  const JsonObject& conversion_json = **object;
  static constexpr std::array<std::string_view, 4> kMembers{"Enabled", "SchemaConfiguration",
                                                            "InputFormatConfiguration",
                                                            "OutputFormatConfiguration"};
  if (auto ok = conversion_json.CheckMembers(kMembers, {}); !ok) return std::unexpected(ok.error());
  DataFormatConversion conversion;
  auto ok = All([&] { return ReadBool(conversion_json, "Enabled", conversion.enabled); },
                [&] { return ParsePart(conversion_json, "SchemaConfiguration", ParseSchema, conversion.schema); },
                [&] { return ParsePart(conversion_json, "InputFormatConfiguration", ParseInput, conversion.input); },
                [&] { return ParsePart(conversion_json, "OutputFormatConfiguration", ParseOutput, conversion.output); });
  if (!ok) return std::unexpected(ok.error());
  if (conversion.enabled) {
    for (const auto& [member, present] : {std::pair{"SchemaConfiguration", conversion.schema.has_value()},
                                          std::pair{"InputFormatConfiguration", conversion.input.has_value()},
                                          std::pair{"OutputFormatConfiguration", conversion.output.has_value()}}) {
      if (!present) {
        return InvalidArgument(conversion_json.PathOf(member) + " is required when " +
                               conversion_json.PathOf("Enabled") + " is true");
      }
    }
  }
  return conversion;
}

void WriteDataFormatConversion(JsonWriter& w, const DataFormatConversion& conversion) {
  w.Key("DataFormatConversionConfiguration").BeginObject();
  w.Key("Enabled").Bool(conversion.enabled);
  if (const auto& schema = conversion.schema) {
    w.Key("SchemaConfiguration").BeginObject();
    w.Key("RoleARN").String(schema->role_arn);
    if (!schema->catalog_id.empty()) w.Key("CatalogId").String(schema->catalog_id);
    w.Key("DatabaseName").String(schema->database_name);
    w.Key("TableName").String(schema->table_name);
    if (!schema->region.empty()) w.Key("Region").String(schema->region);
    w.Key("VersionId").String(schema->version_id);
    w.EndObject();
  }
  if (const auto& input = conversion.input) {
    w.Key("InputFormatConfiguration").BeginObject().Key("Deserializer").BeginObject();
    if (input->serde == formats::JsonInputOptions::SerDe::kHive) {
      w.Key("HiveJsonSerDe").BeginObject().Key("TimestampFormats").BeginArray();
      for (const std::string& format : input->timestamp_formats) w.String(format);
      w.EndArray().EndObject();
    } else {
      w.Key("OpenXJsonSerDe").BeginObject();
      w.Key("ConvertDotsInJsonKeysToUnderscores").Bool(input->convert_dots_to_underscores);
      w.Key("CaseInsensitive").Bool(input->case_insensitive);
      w.Key("ColumnToJsonKeyMappings").BeginObject();
      for (const auto& [column, key] : input->column_to_json_key) w.Key(column).String(key);
      w.EndObject().EndObject();
    }
    w.EndObject().EndObject();
  }
  if (const auto& output = conversion.output) {
    w.Key("OutputFormatConfiguration").BeginObject().Key("Serializer").BeginObject();
    if (const auto* parquet = std::get_if<ParquetSerDe>(&*output)) {
      WriteParquet(w, *parquet);
    } else {
      WriteOrc(w, std::get<OrcSerDe>(*output));
    }
    w.EndObject().EndObject();
  }
  w.EndObject();
}

}  // namespace sluice::config
