#pragma once
// The interface every columnar output format (Parquet, ORC) offers to the delivery pipeline:
// JSON records in, one file's bytes out, produced as the records arrive so that memory stays
// bounded by the format's row group / stripe size, not by the batch, and handed out in pieces
// so that no copy of a whole row group / stripe is made to hand it out.

#include <simdjson.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sluice::formats {

// One column of the catalog table: its name and its Hive type text ("int", "struct<a:int>", ...).
struct ColumnSpec {
  std::string name;
  std::string type;
};

// How JSON records are read (Firehose's InputFormatConfiguration Deserializer).
struct JsonInputOptions {
  enum class SerDe { kOpenX, kHive };
  SerDe serde = SerDe::kOpenX;
  // OpenXJsonSerDe: CaseInsensitive (default true), ConvertDotsInJsonKeysToUnderscores (default
  // false), ColumnToJsonKeyMappings (column name -> JSON key).
  bool case_insensitive = true;
  bool convert_dots_to_underscores = false;
  std::map<std::string, std::string> column_to_json_key;
  // HiveJsonSerDe: TimestampFormats (Joda-Time patterns, or "millis"); empty = Hive's default.
  std::vector<std::string> timestamp_formats;
  bool operator==(const JsonInputOptions&) const = default;
};

class RecordWriter {
 public:
  virtual ~RecordWriter() = default;

  // Adds one record (a JSON object). kInvalidArgument: the record does not fit the schema; it is
  // not written, the writer stays usable and the caller sends the record to the error output as
  // format-conversion-failed (the message names the column and the rule). Any other error leaves
  // the file unusable.
  virtual Status Append(simdjson::dom::element record) = 0;

  // The next piece of the file's bytes not taken yet; empty once every byte produced so far was
  // taken. Concatenating every piece, those after Finish() included, gives the whole file.
  virtual std::string TakeBytes() = 0;

  // Hands `emit` (bool(std::string_view)) every piece TakeBytes() has, in order; false as soon
  // as `emit` returns false.
  template <typename Emit>
  bool Drain(Emit&& emit) {
    for (std::string piece = TakeBytes(); !piece.empty(); piece = TakeBytes()) {
      if (!emit(std::string_view(piece))) return false;
    }
    return true;
  }

  // Writes what is still buffered and the footer, as pieces for TakeBytes(). A writer with no
  // rows gives a valid empty file.
  virtual Status Finish() = 0;

  virtual int64_t rows() const = 0;
};

}  // namespace sluice::formats
