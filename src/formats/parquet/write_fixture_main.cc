// parquet_write_fixture CONFIG.json INPUT.jsonl OUTPUT.parquet
// Test tool (not installed): converts JSON lines to Parquet with the settings in CONFIG.json
//   {"columns": [{"name": "a", "type": "int"}, ...], "compression": "SNAPPY", "version": "V2",
//    "timestamp": "INT96" | "INT64_MILLIS", "row_group_bytes": n, "page_bytes": n,
//    "dictionary": bool, "dictionary_limit_bytes": n,
//    "serde": "openx" | "hive", "case_insensitive": bool, "convert_dots": bool,
//    "column_to_json_key": {"column": "key", ...}, "timestamp_formats": ["pattern", ...]}
//   (all but "columns" optional; columns may have nested Hive types)
// and prints one JSON line {"line": n, "error": "..."} per rejected record (lines count from 1).

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include <simdjson.h>

#include "core/json_writer.h"
#include "formats/parquet/parquet_writer.h"

namespace {

using sluice::formats::ColumnSpec;
using sluice::formats::JsonInputOptions;
using sluice::formats::parquet::Compression;
using sluice::formats::parquet::PageVersion;
using sluice::formats::parquet::ParquetWriter;
using sluice::formats::parquet::TimestampEncoding;
using sluice::formats::parquet::WriterOptions;

int Usage(const std::string& why) {
  std::cerr << "parquet_write_fixture: " << why << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return Usage("usage: parquet_write_fixture CONFIG.json INPUT.jsonl OUTPUT.parquet");
  simdjson::dom::parser config_parser;
  simdjson::dom::element config;
  if (config_parser.load(argv[1]).get(config) != simdjson::SUCCESS) return Usage("bad config");

  std::vector<ColumnSpec> schema;
  simdjson::dom::array columns;
  if (config["columns"].get_array().get(columns) != simdjson::SUCCESS) return Usage("no columns");
  for (auto column : columns) {
    schema.push_back({std::string(column["name"].get_string().value()),
                      std::string(column["type"].get_string().value())});
  }
  WriterOptions options;
  std::string_view text;
  if (config["compression"].get_string().get(text) == simdjson::SUCCESS) {
    if (text == "UNCOMPRESSED") options.compression = Compression::kUncompressed;
    else if (text == "SNAPPY") options.compression = Compression::kSnappy;
    else if (text == "GZIP") options.compression = Compression::kGzip;
    else if (text == "ZSTD") options.compression = Compression::kZstd;
    else return Usage("unknown compression");
  }
  if (config["version"].get_string().get(text) == simdjson::SUCCESS) {
    options.page_version = text == "V2" ? PageVersion::kV2 : PageVersion::kV1;
  }
  if (config["timestamp"].get_string().get(text) == simdjson::SUCCESS) {
    options.timestamp_encoding =
        text == "INT64_MILLIS" ? TimestampEncoding::kInt64Millis : TimestampEncoding::kInt96;
  }
  uint64_t number = 0;
  if (config["row_group_bytes"].get_uint64().get(number) == simdjson::SUCCESS) {
    options.row_group_bytes = number;
  }
  if (config["page_bytes"].get_uint64().get(number) == simdjson::SUCCESS) options.page_bytes = number;
  if (config["dictionary_limit_bytes"].get_uint64().get(number) == simdjson::SUCCESS) {
    options.dictionary_limit_bytes = number;
  }
  bool flag = false;
  if (config["dictionary"].get_bool().get(flag) == simdjson::SUCCESS) options.dictionary = flag;

  JsonInputOptions json_input;
  if (config["serde"].get_string().get(text) == simdjson::SUCCESS && text == "hive") {
    json_input.serde = JsonInputOptions::SerDe::kHive;
  }
  if (config["case_insensitive"].get_bool().get(flag) == simdjson::SUCCESS) {
    json_input.case_insensitive = flag;
  }
  if (config["convert_dots"].get_bool().get(flag) == simdjson::SUCCESS) {
    json_input.convert_dots_to_underscores = flag;
  }
  simdjson::dom::object mappings;
  if (config["column_to_json_key"].get_object().get(mappings) == simdjson::SUCCESS) {
    for (auto [column, key] : mappings) {
      json_input.column_to_json_key[std::string(column)] = std::string(key.get_string().value());
    }
  }
  simdjson::dom::array formats;
  if (config["timestamp_formats"].get_array().get(formats) == simdjson::SUCCESS) {
    for (auto format : formats) json_input.timestamp_formats.emplace_back(format.get_string().value());
  }

  auto writer = ParquetWriter::Create(schema, options, json_input);
  if (!writer) return Usage(writer.error().message);
  std::ifstream input(argv[2]);
  std::ofstream output(argv[3], std::ios::binary);
  if (!input || !output) return Usage("cannot open input or output");
  const auto write = [&](std::string_view piece) { return static_cast<bool>(output << piece); };
  simdjson::dom::parser parser;
  std::string line;
  for (int line_number = 1; std::getline(input, line); ++line_number) {
    simdjson::dom::element record;
    sluice::Status appended;
    if (parser.parse(line).get(record) != simdjson::SUCCESS) {
      appended = sluice::InvalidArgument("not JSON");
    } else {
      appended = (*writer)->Append(record);
    }
    if (!appended) {
      if (appended.error().code != sluice::ErrorCode::kInvalidArgument) {
        return Usage(appended.error().message);
      }
      sluice::JsonWriter json;
      json.BeginObject().Key("line").Int(line_number).Key("error").String(appended.error().message);
      std::cout << json.EndObject().str() << "\n";
    }
    (*writer)->Drain(write);
  }
  if (auto finished = (*writer)->Finish(); !finished) return Usage(finished.error().message);
  (*writer)->Drain(write);
  return output.good() ? 0 : 1;
}
