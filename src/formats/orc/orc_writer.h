#pragma once
// Converts JSON records to one ORC file (ORC specification v1), stripe by stripe.
//
// The file's schema is a struct of the catalog's columns (any Hive type, nested ones included).
// A record is matched to the columns by its keys (KeyMatcher: missing keys and JSON null are
// nulls, unknown keys are ignored); a value a column cannot hold fails that record alone and
// leaves no trace (json_value.h has the conversion rules). Values are buffered per column until
// they reach OrcWriterOptions::stripe_size_bytes, then encoded as a stripe into an output buffer
// that the caller drains with TakeBytes() (one piece per stripe). Not thread-safe.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <simdjson.h>

#include "core/result.h"
#include "formats/orc/chunk_compressor.h"
#include "formats/orc/column_writer.h"
#include "formats/orc/orc_options.h"
#include "formats/record_writer.h"
#include "formats/schema/hive_type.h"
#include "formats/schema/json_value.h"
#include "formats/schema/key_matcher.h"

namespace sluice::formats::orc {

class OrcWriter final : public RecordWriter {
 public:
  // Fails (kInvalidArgument) for an empty schema, a type ParseHiveType refuses, repeated column
  // names, input options the SerDe refuses, a stripe size below 1 byte, a compression block size
  // outside 1 byte..8 MiB, or a fraction option outside 0..1. (Firehose's own minimums, such as
  // 8 MiB stripes, belong to the API's validation, so tests can write small stripes.)
  static Result<std::unique_ptr<OrcWriter>> Create(const std::vector<ColumnSpec>& columns,
                                                   const OrcWriterOptions& options,
                                                   const JsonInputOptions& input = {});

  Status Append(simdjson::dom::element record) override;
  std::string TakeBytes() override;
  Status Finish() override;
  int64_t rows() const override { return rows_; }

 private:
  // One ORC column: its type and, for a struct, how JSON keys find its fields.
  struct Node {
    const HiveType* type;
    std::string label;  // the column path in error messages ("geo.lat", "tags[]")
    std::vector<uint32_t> children;
    std::optional<KeyMatcher> matcher;
    std::vector<simdjson::dom::element> field_values;  // struct: scratch for WriteStruct
    std::vector<uint8_t> field_present;
  };

  OrcWriter(const OrcWriterOptions& options, JsonValueConverter converter);
  Status AddNodes(const HiveType& type, const std::string& label, const JsonInputOptions& input);
  // By column id: 1 for the columns OrcSerDe BloomFilterColumns names (matched ignoring case)
  // and the columns nested in them.
  Result<std::vector<uint8_t>> BloomFilterColumns() const;
  Status Write(uint32_t id, simdjson::dom::element value);
  Status WriteStruct(uint32_t id, simdjson::dom::object object);
  Status WriteList(uint32_t id, simdjson::dom::element value);
  Status WriteMap(uint32_t id, simdjson::dom::element value);
  size_t BufferedBytes() const;
  Status FlushStripe();
  Result<std::string> Tail();

  OrcWriterOptions options_;
  JsonValueConverter converter_;
  ChunkCompressor compressor_;
  HiveType root_type_;
  std::vector<Node> nodes_;             // by ORC column id (pre-order; 0 is the root struct)
  std::vector<ColumnWriter> columns_;   // by ORC column id
  std::vector<ColumnWriter::Mark> marks_;
  std::vector<std::string> stripe_information_;       // serialized StripeInformation messages
  std::vector<std::string> stripe_statistics_;        // serialized StripeStatistics messages
  std::string pending_;        // bytes not yet taken
  uint64_t written_ = 0;       // bytes produced so far, taken or not
  int64_t rows_ = 0;
  int64_t stripe_rows_ = 0;
  int64_t next_row_group_ = 0;  // the stripe row where the next row group starts
  bool finished_ = false;
};

}  // namespace sluice::formats::orc
