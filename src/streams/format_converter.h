#pragma once
// Record format conversion of one object (DataFormatConversionConfiguration): JSON records in,
// one Parquet or ORC file out, with the schema of the stream's catalog table.
//
// A record holds one JSON object, or several concatenated ones (`{"a":1}{"a":2}`), each a row.
// A record that is not JSON, or whose object does not fit the schema, fails alone (its rows
// written before the bad one stay in the file) and goes to the error output as
// format-conversion-failed. Missing columns become nulls; keys with no column are ignored.
// The writer keeps one row group / stripe in memory; the file's bytes are collected for the
// object.

#include <simdjson.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/catalog.h"
#include "config/format_conversion_config.h"
#include "core/result.h"
#include "formats/record_writer.h"

namespace sluice::streams {

inline constexpr std::string_view kFormatConversionFailedOutput = "format-conversion-failed";

// The columnar writer the configuration asks for, over `table`'s columns.
Result<std::unique_ptr<formats::RecordWriter>> MakeRecordWriter(const config::DataFormatConversion& conversion,
                                                                const config::CatalogTable& table);

struct ConversionFailure {
  uint32_t record;  // index in the converted records
  std::string error_code;
  std::string error_message;
};

struct ConvertedObject {
  std::string bytes;  // the whole file
  uint64_t rows = 0;
  std::vector<ConversionFailure> failed;
};

// Not thread-safe: one per delivery loop (it reuses its parser and buffers).
class FormatConverter {
 public:
  // An error means no file could be made (the writer failed as a whole); every record of the
  // object then goes to the error output.
  Result<ConvertedObject> Convert(const config::DataFormatConversion& conversion, const config::CatalogTable& table,
                                  std::span<const std::string_view> records);

 private:
  simdjson::dom::parser parser_;
  std::string padded_;  // the record being parsed, with simdjson's padding
};

}  // namespace sluice::streams
