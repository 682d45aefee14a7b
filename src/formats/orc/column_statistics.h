#pragma once
// One column's statistics for a stripe or the whole file (orc_proto.proto ColumnStatistics):
// value count, hasNull and the kind-specific minimum, maximum and sum.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "formats/schema/hive_type.h"
#include "formats/schema/value.h"

namespace sluice::formats::orc {

class ColumnStatistics {
 public:
  explicit ColumnStatistics(HiveKind kind, int scale = 0) : kind_(kind), scale_(scale) {}

  void AddNull() { has_null_ = true; }
  void AddCount(uint64_t values) { count_ += values; }  // struct, list and map values
  void AddInteger(int64_t value);    // tinyint..bigint, date (days), boolean (0/1)
  void AddDouble(double value);
  void AddBytes(std::string_view value);   // string kinds and binary
  void AddTimestamp(int64_t nanos);
  void AddDecimal(Int128 unscaled);
  void Merge(const ColumnStatistics& other);

  // The serialized ColumnStatistics message.
  std::string Serialize() const;

 private:
  void AddDecimalSum(Int128 value);

  HiveKind kind_;
  int scale_;
  uint64_t count_ = 0;
  bool has_null_ = false;
  int64_t int_min_ = 0, int_max_ = 0, int_sum_ = 0;
  bool sum_overflow_ = false;
  double double_min_ = 0, double_max_ = 0, double_sum_ = 0;
  std::string text_min_, text_max_;
  int64_t length_sum_ = 0;
  Int128 decimal_min_ = 0, decimal_max_ = 0, decimal_sum_ = 0;
  bool decimal_sum_overflow_ = false;
};

}  // namespace sluice::formats::orc
