#pragma once
// Record format conversion of one object (DataFormatConversionConfiguration): JSON records in,
// one Parquet or ORC file out, with the schema of the stream's catalog table.
//
// A record holds one JSON object, or several concatenated ones (`{"a":1}{"a":2}`), each a row.
// A record that is not JSON, or whose object does not fit the schema, fails alone (its rows
// written before the bad one stay in the file) and goes to the error output as
// format-conversion-failed. Missing columns become nulls; keys with no column are ignored.
// The writer keeps one row group / stripe in memory and hands the file's bytes on as they are
// produced, so the object can be stored part by part.

#include <simdjson.h>

#include <functional>
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
  uint64_t rows = 0;
  uint64_t bytes = 0;  // of the file
  std::vector<ConversionFailure> failed;
};

// Receives the file's bytes in order; false stops the conversion (the destination failed).
using EmitBytes = std::function<bool(std::string_view)>;

// Not thread-safe: one per delivery loop (it reuses its parser and buffers). Converts one file
// at a time, its records handed over whole (Convert) or in slices (Begin, Add..., Finish), so
// that a batch need never be whole in memory.
class FormatConverter {
 public:
  // An error means no file could be made (the writer failed as a whole: every record of the
  // object then goes to the error output), or `emit` stopped it (kUnavailable).
  Result<ConvertedObject> Convert(const config::DataFormatConversion& conversion, const config::CatalogTable& table,
                                  std::span<const std::string_view> records, const EmitBytes& emit);

  // Starts a file (abandoning any unfinished one); `emit` gets its bytes as they are produced.
  Status Begin(const config::DataFormatConversion& conversion, const config::CatalogTable& table, EmitBytes emit);
  // Converts the next records; failures() grows by those that do not convert (their `record`
  // counts from the file's first record). Errors as for Convert.
  Status Add(std::span<const std::string_view> records);
  // The failures so far.
  const std::vector<ConversionFailure>& failures() const { return out_.failed; }
  Result<ConvertedObject> Finish();

 private:
  // Appends the rows of record `index` (one or more JSON objects) to the writer.
  Status AddRecord(uint32_t index, std::string_view record);
  Status DrainWriter();

  simdjson::dom::parser parser_;
  std::string padded_;  // the record being parsed, with simdjson's padding
  std::unique_ptr<formats::RecordWriter> writer_;  // the file being converted
  EmitBytes emit_;
  ConvertedObject out_;
  uint32_t next_record_ = 0;
};

}  // namespace sluice::streams
