#include "streams/failed_records.h"

#include "core/base64.h"
#include "core/json_writer.h"

#include <algorithm>

namespace sluice::streams {
namespace {

// The account of arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME.
std::string_view AccountOf(std::string_view arn) {
  for (int field = 0; field < 4; ++field) {
    const size_t colon = arn.find(':');
    if (colon == std::string_view::npos) return {};
    arn.remove_prefix(colon + 1);
  }
  return arn.substr(0, arn.find(':'));
}

}  // namespace

std::string DataCatalogTableJson(const config::S3Destination& destination, std::string_view stream_arn,
                                 std::string_view region) {
  if (!destination.format_conversion || !destination.format_conversion->schema) return "{}";
  const config::SchemaConfiguration& schema = *destination.format_conversion->schema;
  const std::string catalog_id = schema.catalog_id.empty() ? std::string(AccountOf(stream_arn)) : schema.catalog_id;
  const std::string table_region = schema.region.empty() ? std::string(region) : schema.region;
  JsonWriter w;
  w.BeginObject().Key("catalogId").String(catalog_id);
  w.Key("databaseName").String(schema.database_name).Key("tableName").String(schema.table_name);
  w.Key("region").String(table_region).Key("versionId").String(schema.version_id);
  w.Key("catalogArn").String("arn:aws:glue:" + table_region + ":" + catalog_id + ":catalog").EndObject();
  return w.Take();
}

std::string LambdaArnJson(const config::S3Destination& destination) {
  if (!destination.processing) return "";
  for (const auto& processor : destination.processing->processors) {
    if (processor.type != "Lambda") continue;
    for (const auto& parameter : processor.parameters) {
      if (parameter.name != "LambdaArn") continue;
      JsonWriter w;
      w.String(parameter.value);
      return w.Take();
    }
  }
  return "";
}

void FailureCollector::Add(std::string_view error_output_type, int64_t arrival_ms, std::string_view raw_data,
                           std::string_view error_code, std::string_view error_message, int attempts,
                           int64_t ending_ms) {
  Group& group = groups_[std::string(error_output_type)];
  const std::string& code = texts_.emplace_back(error_code);
  const std::string& message = texts_.emplace_back(error_message);
  group.records.push_back({arrival_ms, raw_data, code, message});
  group.attempts = std::max(group.attempts, attempts);
  group.ending_ms = std::max(group.ending_ms, ending_ms);
}

void FailureCollector::AddCopy(std::string_view error_output_type, int64_t arrival_ms, std::string_view raw_data,
                               std::string_view error_code, std::string_view error_message, int attempts,
                               int64_t ending_ms) {
  Add(error_output_type, arrival_ms, texts_.emplace_back(raw_data), error_code, error_message, attempts, ending_ms);
}

void FailureCollector::Clear() {
  groups_.clear();
  texts_.clear();
}

std::string FormatFailedRecords(std::span<const FailedRecord> records, int attempts, int64_t ending_ms,
                                const ErrorDocumentExtras& extras) {
  std::string out;
  std::string raw_data;
  for (const FailedRecord& record : records) {
    raw_data.clear();
    Base64EncodeAppend(record.raw_data, raw_data);
    JsonWriter document;
    document.BeginObject().Key("attemptsMade").Int(attempts);
    document.Key("arrivalTimestamp").Int(record.arrival_ms);
    document.Key(extras.last_error_names ? "lastErrorCode" : "errorCode").String(record.error_code);
    document.Key(extras.last_error_names ? "lastErrorMessage" : "errorMessage").String(record.error_message);
    document.Key("attemptEndingTimestamp").Int(ending_ms);
    document.Key("rawData").String(raw_data);
    if (!extras.member_key.empty()) document.Key(extras.member_key).Raw(extras.member_value_json);
    document.EndObject();
    out += document.str();
    out += '\n';
  }
  return out;
}

}  // namespace sluice::streams
