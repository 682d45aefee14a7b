#include "formats/orc/column_statistics.h"

#include <algorithm>

#include "formats/orc/protobuf_writer.h"

namespace sluice::formats::orc {
namespace {

// Longer string minimums/maximums are left out (the reference writers truncate them).
constexpr size_t kMaxStatisticsText = 1024;
constexpr int64_t kNanosPerMilli = 1'000'000;
__extension__ using Uint128 = unsigned __int128;

std::string DecimalText(Int128 unscaled, int scale) {
  const bool negative = unscaled < 0;
  Uint128 magnitude = negative ? Uint128(0) - static_cast<Uint128>(unscaled)
                                : static_cast<Uint128>(unscaled);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  if (scale > 0) {
    const auto width = static_cast<size_t>(scale);
    if (digits.size() <= width) digits.insert(0, width + 1 - digits.size(), '0');
    digits.insert(digits.size() - width, ".");
  }
  return negative ? "-" + digits : digits;
}

int64_t FloorMillis(int64_t nanos) {
  return nanos / kNanosPerMilli - (nanos % kNanosPerMilli < 0 ? 1 : 0);
}

}  // namespace

void ColumnStatistics::AddInteger(int64_t value) {
  int_min_ = count_ == 0 ? value : std::min(int_min_, value);
  int_max_ = count_ == 0 ? value : std::max(int_max_, value);
  if (!sum_overflow_ && __builtin_add_overflow(int_sum_, value, &int_sum_)) sum_overflow_ = true;
  ++count_;
}

void ColumnStatistics::AddDouble(double value) {
  double_min_ = count_ == 0 ? value : std::min(double_min_, value);
  double_max_ = count_ == 0 ? value : std::max(double_max_, value);
  double_sum_ += value;
  ++count_;
}

void ColumnStatistics::AddBytes(std::string_view value) {
  if (kind_ != HiveKind::kBinary) {
    if (count_ == 0 || value < text_min_) text_min_ = value;
    if (count_ == 0 || value > text_max_) text_max_ = value;
  }
  length_sum_ += static_cast<int64_t>(value.size());
  ++count_;
}

void ColumnStatistics::AddTimestamp(int64_t nanos) { AddInteger(FloorMillis(nanos)); }

void ColumnStatistics::AddDecimal(Int128 unscaled) {
  decimal_min_ = count_ == 0 ? unscaled : std::min(decimal_min_, unscaled);
  decimal_max_ = count_ == 0 ? unscaled : std::max(decimal_max_, unscaled);
  AddDecimalSum(unscaled);
  ++count_;
}

void ColumnStatistics::AddDecimalSum(Int128 value) {
  // A sum past 38 digits is no decimal Hive can hold: it is left out, as ORC allows.
  constexpr Int128 kLimit = static_cast<Int128>(10'000'000'000'000'000'000ull) *
                            static_cast<Int128>(10'000'000'000'000'000'000ull);  // 10^38
  if (decimal_sum_overflow_ || __builtin_add_overflow(decimal_sum_, value, &decimal_sum_) ||
      decimal_sum_ >= kLimit || decimal_sum_ <= -kLimit) {
    decimal_sum_overflow_ = true;
  }
}

void ColumnStatistics::Merge(const ColumnStatistics& other) {
  has_null_ = has_null_ || other.has_null_;
  if (other.count_ == 0) return;
  const bool first = count_ == 0;
  int_min_ = first ? other.int_min_ : std::min(int_min_, other.int_min_);
  int_max_ = first ? other.int_max_ : std::max(int_max_, other.int_max_);
  sum_overflow_ = sum_overflow_ || other.sum_overflow_ ||
                  __builtin_add_overflow(int_sum_, other.int_sum_, &int_sum_);
  double_min_ = first ? other.double_min_ : std::min(double_min_, other.double_min_);
  double_max_ = first ? other.double_max_ : std::max(double_max_, other.double_max_);
  double_sum_ += other.double_sum_;
  if (first || other.text_min_ < text_min_) text_min_ = other.text_min_;
  if (first || other.text_max_ > text_max_) text_max_ = other.text_max_;
  length_sum_ += other.length_sum_;
  decimal_min_ = first ? other.decimal_min_ : std::min(decimal_min_, other.decimal_min_);
  decimal_max_ = first ? other.decimal_max_ : std::max(decimal_max_, other.decimal_max_);
  decimal_sum_overflow_ = decimal_sum_overflow_ || other.decimal_sum_overflow_;
  AddDecimalSum(other.decimal_sum_);
  count_ += other.count_;
}

std::string ColumnStatistics::Serialize() const {
  ProtobufWriter stats;
  stats.Varint(1, count_);
  ProtobufWriter kind;
  const bool any = count_ > 0;
  switch (kind_) {
    case HiveKind::kTinyint:
    case HiveKind::kSmallint:
    case HiveKind::kInt:
    case HiveKind::kBigint:
      if (any) {
        kind.Sint(1, int_min_);
        kind.Sint(2, int_max_);
        if (!sum_overflow_) kind.Sint(3, int_sum_);
      }
      stats.Bytes(2, kind.bytes());
      break;
    case HiveKind::kFloat:
    case HiveKind::kDouble:
      if (any) {
        kind.Double(1, double_min_);
        kind.Double(2, double_max_);
        kind.Double(3, double_sum_);
      }
      stats.Bytes(3, kind.bytes());
      break;
    case HiveKind::kString:
    case HiveKind::kVarchar:
    case HiveKind::kChar:
      if (any && text_min_.size() <= kMaxStatisticsText && text_max_.size() <= kMaxStatisticsText) {
        kind.Bytes(1, text_min_);
        kind.Bytes(2, text_max_);
      }
      kind.Sint(3, length_sum_);
      stats.Bytes(4, kind.bytes());
      break;
    case HiveKind::kBoolean: {
      const uint64_t trues[] = {static_cast<uint64_t>(int_sum_)};
      kind.PackedVarints(1, trues);
      stats.Bytes(5, kind.bytes());
      break;
    }
    case HiveKind::kDecimal:
      if (any) {
        kind.Bytes(1, DecimalText(decimal_min_, scale_));
        kind.Bytes(2, DecimalText(decimal_max_, scale_));
        if (!decimal_sum_overflow_) kind.Bytes(3, DecimalText(decimal_sum_, scale_));
      }
      stats.Bytes(6, kind.bytes());
      break;
    case HiveKind::kDate:
      if (any) {
        kind.Sint(1, int_min_);
        kind.Sint(2, int_max_);
      }
      stats.Bytes(7, kind.bytes());
      break;
    case HiveKind::kBinary:
      kind.Sint(1, length_sum_);
      stats.Bytes(8, kind.bytes());
      break;
    case HiveKind::kTimestamp:
      if (any) {  // the writer's zone is UTC, so local and UTC values are the same
        kind.Sint(1, int_min_);
        kind.Sint(2, int_max_);
        kind.Sint(3, int_min_);
        kind.Sint(4, int_max_);
      }
      stats.Bytes(9, kind.bytes());
      break;
    case HiveKind::kArray:
    case HiveKind::kMap:
    case HiveKind::kStruct:
      break;
  }
  stats.Varint(10, has_null_ ? 1 : 0);
  return stats.Take();
}

}  // namespace sluice::formats::orc
