#pragma once
// Test-only ORC reader: opens a whole file held in memory and reads it stripe by stripe into
// Values. It exists to check Sluice's ORC writer; it is first proven on Apache ORC's own example
// files (orc_fixture_test.cc). Supports format 0.11, 0.12 and 1.9999 files, every compression
// kind, RLE v1/v2, direct and dictionary encodings and every type; column encryption is
// refused with a clear error.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "formats/orc/test_reader/column_reader.h"
#include "formats/orc/test_reader/orc_metadata.h"
#include "formats/orc/test_reader/orc_value.h"

namespace sluice::formats::orc::test_reader {

class OrcReader {
 public:
  // Reads the file's tail (postscript, footer, metadata). A 0-byte file is an empty file with
  // the schema struct<>, as the reference reader treats it.
  static Result<OrcReader> Open(std::string file);

  const PostScript& postscript() const { return postscript_; }
  const Footer& footer() const { return footer_; }
  // The Metadata section: every column's statistics, stripe by stripe. Parsed on demand, as
  // reading rows does not need it.
  Result<std::vector<std::vector<ColumnStatistics>>> StripeStatistics() const;
  uint64_t rows() const { return footer_.rows.value_or(0); }
  size_t stripe_count() const { return footer_.stripes.size(); }

  // Reads the stripe's footer and locates its streams (row index streams included).
  Result<StripeData> LoadStripe(size_t stripe) const;
  // Decodes every row of a loaded stripe and passes each to `on_row`.
  Status ReadRows(const StripeData& stripe, uint64_t rows,
                  const std::function<void(Value)>& on_row) const;
  // Every row of every stripe; returns the number of rows read.
  Result<uint64_t> ReadAll(const std::function<void(Value)>& on_row) const;

 private:
  OrcReader() = default;
  Status ValidateTypes() const;

  std::string file_;
  PostScript postscript_;
  Footer footer_;
  uint64_t tail_start_ = 0;  // where the metadata section starts
};

}  // namespace sluice::formats::orc::test_reader
