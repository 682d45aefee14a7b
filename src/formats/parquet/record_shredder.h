#pragma once
// Splits a JSON record into the (repetition level, definition level, value) entries of every
// leaf column of a ParquetSchema, the record shredding of the Dremel paper that Parquet's nested
// encoding follows. Structs are matched by key (KeyMatcher: missing keys and null are nulls,
// unknown keys are ignored), arrays and maps give one entry per element or key, and a null or
// empty list/map gives one entry at the level where it stops. Not thread-safe.

#include <cstdint>
#include <optional>
#include <vector>

#include <simdjson.h>

#include "core/result.h"
#include "formats/parquet/schema_tree.h"
#include "formats/record_writer.h"
#include "formats/schema/json_value.h"
#include "formats/schema/key_matcher.h"
#include "formats/schema/value.h"

namespace sluice::formats::parquet {

class RecordShredder {
 public:
  struct Entry {
    uint8_t def;
    uint8_t rep;
    Value value;  // set when def is the leaf's full level
  };

  // `schema` must outlive the shredder. Fails (kInvalidArgument) for options the SerDe refuses
  // (see KeyMatcher and JsonValueConverter) or repeated column/field names.
  static Result<RecordShredder> Create(const ParquetSchema& schema, const JsonInputOptions& options);

  // Shreds one record (a JSON object). kInvalidArgument names the column (as a path such as
  // "geo.lat" or "tags[]") and the rule; entries() is then incomplete and must not be used.
  Status Shred(simdjson::dom::element record);

  // The entries of the last successful Shred, by leaf index.
  const std::vector<std::vector<Entry>>& entries() const { return entries_; }

 private:
  RecordShredder(const ParquetSchema& schema, JsonValueConverter converter)
      : schema_(&schema), converter_(std::move(converter)) {}
  Status Write(const SchemaNode& node, simdjson::dom::element value, int rep);
  Status WriteStruct(const SchemaNode& node, simdjson::dom::object object, int rep);
  Status WriteRepeated(const SchemaNode& node, simdjson::dom::element value, int rep);
  void WriteNull(const SchemaNode& node, int def, int rep);

  const ParquetSchema* schema_;
  JsonValueConverter converter_;
  // By struct node id: how its keys are matched, and the field values of the object being read.
  std::vector<std::optional<KeyMatcher>> matchers_;
  std::vector<std::vector<simdjson::dom::element>> field_values_;
  std::vector<std::vector<uint8_t>> field_present_;
  std::vector<std::vector<Entry>> entries_;
};

}  // namespace sluice::formats::parquet
