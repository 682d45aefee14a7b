#pragma once
// Test-only: decodes one column of one stripe (and its children) into Values. Each reader
// decodes its whole streams at Load(); Get(entry) then builds the value of one entry. A child
// of a struct, list, map or union has one entry per value its parent holds (not per row).

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "formats/orc/test_reader/orc_metadata.h"
#include "formats/orc/test_reader/orc_value.h"
#include "formats/orc/test_reader/rle_decoders.h"
#include "formats/orc/test_reader/writer_clock.h"

namespace sluice::formats::orc::test_reader {

// One stripe's streams and what is needed to interpret them.
struct StripeData {
  // The stream as stored, decompressed on first use (so that a broken stream only fails the
  // column that reads it); nullptr when the stripe has no such stream.
  Result<const std::string*> Stream(uint64_t column, StreamKind kind) const;

  const std::vector<OrcType>* types = nullptr;
  StripeFooter footer;
  CompressionKind compression = CompressionKind::kNone;
  uint64_t block_size = 0;
  std::map<std::pair<uint64_t, StreamKind>, std::string_view> raw_streams;
  mutable std::map<std::pair<uint64_t, StreamKind>, std::string> decompressed;
  std::shared_ptr<const WriterClock> clock;
  bool decimal64_as_rle = false;  // file version 1.9999 stores decimal(p<=18) as RLE v2 integers
};

class ColumnReader {
 public:
  static Result<std::unique_ptr<ColumnReader>> Create(const StripeData& stripe, uint64_t column);
  virtual ~ColumnReader() = default;

  // Decodes `count` entries (nulls included).
  Status Load(uint64_t count);
  Value Get(uint64_t entry) const;

 protected:
  ColumnReader(const StripeData& stripe, uint64_t column) : stripe_(stripe), column_(column) {}
  // Decodes the `count` non-null values.
  virtual Status LoadValues(uint64_t count) = 0;
  // The value at `index` among the non-null values.
  virtual Value GetValue(uint64_t index) const = 0;

  const OrcType& type() const { return (*stripe_.types)[column_]; }
  const ColumnEncoding& encoding() const { return stripe_.footer.encodings[column_]; }
  IntRle rle() const;
  bool is_dictionary() const;
  // The stream, or a kCorruption error naming the column and the stream kind.
  Result<std::string_view> RequiredStream(StreamKind kind, std::string_view what) const;
  Result<const std::string*> OptionalStream(StreamKind kind) const;
  uint64_t column() const { return column_; }
  const StripeData& stripe() const { return stripe_; }

 private:
  const StripeData& stripe_;
  uint64_t column_;
  std::vector<int64_t> index_of_entry_;  // -1 for a null entry; empty without a PRESENT stream
};

}  // namespace sluice::formats::orc::test_reader
