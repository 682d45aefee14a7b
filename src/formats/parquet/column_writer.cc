#include "formats/parquet/column_writer.h"

#include <bit>
#include <cmath>
#include <cstring>

#include "formats/parquet/rle.h"

namespace sluice::formats::parquet {
namespace {

static_assert(std::endian::native == std::endian::little,
              "PLAIN values are little-endian and are copied from memory as they are");

constexpr int64_t kNanosPerMilli = 1'000'000;
constexpr int64_t kNanosPerDay = 86'400'000'000'000;
constexpr int64_t kJulianDayOfUnixEpoch = 2'440'588;

int64_t FloorDiv(int64_t value, int64_t divisor) {
  return value / divisor - (value % divisor < 0 ? 1 : 0);
}

// Smallest byte count whose signed range holds every decimal of `precision` digits.
int DecimalWidth(int precision) {
  Int128 largest = 1;
  for (int i = 0; i < precision; ++i) largest *= 10;
  largest -= 1;
  int width = 1;
  while (width < 16 && largest >= (Int128{1} << (8 * width - 1))) ++width;
  return width;
}

void AppendBigEndian(Int128 value, int width, std::string& out) {
  for (int byte = width - 1; byte >= 0; --byte) {
    out.push_back(static_cast<char>(static_cast<uint8_t>(value >> (8 * byte))));
  }
}

std::string_view TextOf(const Cell& cell) {
  if (const auto* owned = std::get_if<OwnedText>(&cell)) return owned->text;
  return std::get<std::string_view>(cell);
}

template <typename T>
std::string PlainOf(T value) {
  std::string out(sizeof(T), '\0');
  std::memcpy(out.data(), &value, sizeof(T));
  return out;
}

}  // namespace

ColumnWriter::ColumnWriter(std::string name, HiveType type, const WriterOptions& options)
    : name_(std::move(name)), type_(type), options_(options) {
  switch (type_.kind) {
    case HiveKind::kBoolean:
      physical_ = PhysicalType::kBoolean;
      break;
    case HiveKind::kTinyint:
    case HiveKind::kSmallint:
    case HiveKind::kInt:
    case HiveKind::kDate:
      physical_ = PhysicalType::kInt32;
      fixed_width_ = 4;
      break;
    case HiveKind::kBigint:
      physical_ = PhysicalType::kInt64;
      fixed_width_ = 8;
      break;
    case HiveKind::kFloat:
      physical_ = PhysicalType::kFloat;
      fixed_width_ = 4;
      break;
    case HiveKind::kDouble:
      physical_ = PhysicalType::kDouble;
      fixed_width_ = 8;
      break;
    case HiveKind::kDecimal:
      physical_ = PhysicalType::kFixedLenByteArray;
      fixed_width_ = DecimalWidth(type_.precision);
      break;
    case HiveKind::kString:
    case HiveKind::kVarchar:
    case HiveKind::kChar:
    case HiveKind::kBinary:
      physical_ = PhysicalType::kByteArray;
      break;
    case HiveKind::kTimestamp:
      if (options_.timestamp_encoding == TimestampEncoding::kInt96) {
        physical_ = PhysicalType::kInt96;
        fixed_width_ = 12;
      } else {
        physical_ = PhysicalType::kInt64;
        fixed_width_ = 8;
      }
      break;
  }
  Reset();
}

void ColumnWriter::Reset() {
  defined_.clear();
  fixed_.clear();
  booleans_.clear();
  bytes_.clear();
  ends_.clear();
  buffered_bytes_ = 0;
  dictionary_active_ = options_.dictionary && physical_ == PhysicalType::kByteArray;
  dictionary_.clear();
  dictionary_order_.clear();
  dictionary_bytes_ = 0;
  indices_.clear();
  has_min_max_ = false;
}

void ColumnWriter::AppendFixed(const void* data, size_t size) {
  fixed_.append(static_cast<const char*>(data), size);
  buffered_bytes_ += size;
}

void ColumnWriter::AppendBytes(std::string_view bytes) {
  bytes_.append(bytes);
  ends_.push_back(static_cast<uint32_t>(bytes_.size()));
  buffered_bytes_ += bytes.size() + 4;
  if (!dictionary_active_) return;
  if (const auto found = dictionary_.find(bytes); found != dictionary_.end()) {
    indices_.push_back(found->second);
    return;
  }
  if (dictionary_bytes_ + bytes.size() + 4 > options_.dictionary_limit_bytes) {
    dictionary_active_ = false;
    dictionary_.clear();
    dictionary_order_.clear();
    indices_.clear();
    buffered_bytes_ -= dictionary_bytes_;
    dictionary_bytes_ = 0;
    return;
  }
  const auto [entry, inserted] =
      dictionary_.emplace(std::string(bytes), static_cast<uint32_t>(dictionary_order_.size()));
  dictionary_order_.push_back(entry->first);
  indices_.push_back(entry->second);
  dictionary_bytes_ += bytes.size() + 4;
  buffered_bytes_ += bytes.size() + 4;
}

void ColumnWriter::Append(const Cell& cell) {
  const bool defined = !std::holds_alternative<std::monostate>(cell);
  defined_.push_back(defined ? 1 : 0);
  buffered_bytes_ += 1;
  if (!defined) return;
  UpdateStats(cell);
  switch (physical_) {
    case PhysicalType::kBoolean:
      booleans_.push_back(std::get<bool>(cell) ? 1 : 0);
      break;
    case PhysicalType::kInt32: {
      const int32_t value = std::get<int32_t>(cell);
      AppendFixed(&value, sizeof value);
      break;
    }
    case PhysicalType::kInt64: {
      int64_t value = std::get<int64_t>(cell);
      if (type_.kind == HiveKind::kTimestamp) value = FloorDiv(value, kNanosPerMilli);
      AppendFixed(&value, sizeof value);
      break;
    }
    case PhysicalType::kInt96: {
      const int64_t nanos = std::get<int64_t>(cell);
      const int64_t days = FloorDiv(nanos, kNanosPerDay);
      const int64_t nanos_of_day = nanos - days * kNanosPerDay;
      const uint32_t julian_day = static_cast<uint32_t>(days + kJulianDayOfUnixEpoch);
      AppendFixed(&nanos_of_day, sizeof nanos_of_day);
      AppendFixed(&julian_day, sizeof julian_day);
      break;
    }
    case PhysicalType::kFloat: {
      const float value = std::get<float>(cell);
      AppendFixed(&value, sizeof value);
      break;
    }
    case PhysicalType::kDouble: {
      const double value = std::get<double>(cell);
      AppendFixed(&value, sizeof value);
      break;
    }
    case PhysicalType::kFixedLenByteArray:
      AppendBigEndian(std::get<Unscaled>(cell).value, fixed_width_, fixed_);
      buffered_bytes_ += fixed_width_;
      break;
    case PhysicalType::kByteArray:
      AppendBytes(TextOf(cell));
      break;
  }
}

void ColumnWriter::UpdateStats(const Cell& cell) {
  const bool first = !has_min_max_;
  switch (physical_) {
    case PhysicalType::kBoolean:
    case PhysicalType::kInt32:
    case PhysicalType::kInt64: {
      int64_t value = 0;
      if (const auto* b = std::get_if<bool>(&cell)) value = *b ? 1 : 0;
      else if (const auto* i = std::get_if<int32_t>(&cell)) value = *i;
      else value = std::get<int64_t>(cell);
      if (type_.kind == HiveKind::kTimestamp) value = FloorDiv(value, kNanosPerMilli);
      int_min_ = first ? value : std::min(int_min_, value);
      int_max_ = first ? value : std::max(int_max_, value);
      break;
    }
    case PhysicalType::kFloat:
    case PhysicalType::kDouble: {
      const double value = physical_ == PhysicalType::kFloat ? std::get<float>(cell)
                                                             : std::get<double>(cell);
      if (std::isnan(value)) return;  // NaN has no place in the order; readers skip it too
      real_min_ = first ? value : std::min(real_min_, value);
      real_max_ = first ? value : std::max(real_max_, value);
      break;
    }
    case PhysicalType::kFixedLenByteArray: {
      const Int128 value = std::get<Unscaled>(cell).value;
      decimal_min_ = first ? value : std::min(decimal_min_, value);
      decimal_max_ = first ? value : std::max(decimal_max_, value);
      break;
    }
    case PhysicalType::kByteArray: {
      const std::string_view value = TextOf(cell);
      if (first || value < bytes_min_) bytes_min_ = value;
      if (first || value > bytes_max_) bytes_max_ = value;
      break;
    }
    case PhysicalType::kInt96:
      return;  // INT96 has no defined sort order, so no statistics
  }
  has_min_max_ = true;
}

std::string ColumnWriter::MinMaxPlain(bool max) const {
  switch (physical_) {
    case PhysicalType::kBoolean:
      return std::string(1, static_cast<char>(max ? int_max_ : int_min_));
    case PhysicalType::kInt32:
      return PlainOf(static_cast<int32_t>(max ? int_max_ : int_min_));
    case PhysicalType::kInt64:
      return PlainOf(max ? int_max_ : int_min_);
    case PhysicalType::kFloat:
    case PhysicalType::kDouble: {
      double value = max ? real_max_ : real_min_;
      // parquet.thrift: a zero min is written as -0.0 and a zero max as +0.0.
      if (value == 0) value = max ? 0.0 : -0.0;
      if (physical_ == PhysicalType::kFloat) return PlainOf(static_cast<float>(value));
      return PlainOf(value);
    }
    case PhysicalType::kFixedLenByteArray: {
      std::string out;
      AppendBigEndian(max ? decimal_max_ : decimal_min_, fixed_width_, out);
      return out;
    }
    case PhysicalType::kByteArray:
      return max ? bytes_max_ : bytes_min_;
    case PhysicalType::kInt96:
      break;
  }
  return {};
}

size_t ColumnWriter::PlainSize(size_t value) const {
  switch (physical_) {
    case PhysicalType::kBoolean:
      return 1;  // an eighth, but pages are cut on whole bytes
    case PhysicalType::kByteArray:
      return 4 + ends_[value] - (value == 0 ? 0 : ends_[value - 1]);
    default:
      return static_cast<size_t>(fixed_width_);
  }
}

void ColumnWriter::AppendPlainValues(size_t begin, size_t end, std::string& out) const {
  switch (physical_) {
    case PhysicalType::kBoolean: {
      uint8_t byte = 0;
      for (size_t i = begin; i < end; ++i) {
        byte |= static_cast<uint8_t>(booleans_[i] << ((i - begin) % 8));
        if ((i - begin) % 8 == 7 || i + 1 == end) {
          out.push_back(static_cast<char>(byte));
          byte = 0;
        }
      }
      break;
    }
    case PhysicalType::kByteArray:
      for (size_t i = begin; i < end; ++i) {
        const uint32_t start = i == 0 ? 0 : ends_[i - 1];
        const uint32_t length = ends_[i] - start;
        out.append(reinterpret_cast<const char*>(&length), sizeof length);
        out.append(bytes_, start, length);
      }
      break;
    default:
      out.append(fixed_, begin * fixed_width_, (end - begin) * fixed_width_);
      break;
  }
}

bool ColumnWriter::UsesDictionary() const {
  return dictionary_active_ && !dictionary_order_.empty();
}

Status ColumnWriter::WritePage(PageCompressor& compressor, PageType type, std::string_view levels,
                               std::string_view values, int32_t num_values, int32_t num_nulls,
                               Encoding encoding, std::string& out, ColumnChunkInfo& info) {
  std::string body;
  std::string_view compressed;
  size_t uncompressed_size = 0;
  if (type == PageType::kDataPage) {
    const uint32_t levels_size = static_cast<uint32_t>(levels.size());
    body.append(reinterpret_cast<const char*>(&levels_size), sizeof levels_size);
    body.append(levels);
    body.append(values);
    uncompressed_size = body.size();
    auto result = compressor.Compress(body);
    if (!result) return std::unexpected(result.error());
    compressed = *result;
  } else {
    // Dictionary pages compress all; v2 data pages leave the levels uncompressed, before the values.
    auto result = compressor.Compress(values);
    if (!result) return std::unexpected(result.error());
    body.append(levels);
    body.append(*result);
    compressed = body;
    uncompressed_size = levels.size() + values.size();
  }

  std::string header;
  CompactWriter writer(header);
  writer.BeginStruct();
  writer.FieldI32(1, static_cast<int32_t>(type));
  writer.FieldI32(2, static_cast<int32_t>(uncompressed_size));
  writer.FieldI32(3, static_cast<int32_t>(compressed.size()));
  if (type == PageType::kDataPage) {
    writer.FieldStructBegin(5);
    writer.FieldI32(1, num_values);
    writer.FieldI32(2, static_cast<int32_t>(encoding));
    writer.FieldI32(3, static_cast<int32_t>(Encoding::kRle));
    writer.FieldI32(4, static_cast<int32_t>(Encoding::kRle));
    writer.EndStruct();
  } else if (type == PageType::kDictionaryPage) {
    writer.FieldStructBegin(7);
    writer.FieldI32(1, num_values);
    writer.FieldI32(2, static_cast<int32_t>(encoding));
    writer.EndStruct();
  } else {
    writer.FieldStructBegin(8);
    writer.FieldI32(1, num_values);
    writer.FieldI32(2, num_nulls);
    writer.FieldI32(3, num_values);  // flat columns: one value slot per row
    writer.FieldI32(4, static_cast<int32_t>(encoding));
    writer.FieldI32(5, static_cast<int32_t>(levels.size()));
    writer.FieldI32(6, 0);
    writer.FieldBool(7, options_.compression != Compression::kUncompressed);
    writer.EndStruct();
  }
  writer.EndStruct();

  out.append(header);
  out.append(compressed);
  info.uncompressed_bytes += static_cast<int64_t>(header.size() + uncompressed_size);
  info.compressed_bytes += static_cast<int64_t>(header.size() + compressed.size());
  return {};
}

Result<ColumnChunkInfo> ColumnWriter::Flush(PageCompressor& compressor, int64_t file_offset,
                                            std::string& out) {
  const size_t base = out.size();
  const auto position = [&] { return file_offset + static_cast<int64_t>(out.size() - base); };
  const bool v1 = options_.page_version == PageVersion::kV1;
  const bool dictionary = UsesDictionary();
  const size_t rows = defined_.size();

  ColumnChunkInfo info;
  info.num_values = static_cast<int64_t>(rows);
  for (uint8_t defined : defined_) info.null_count += defined ? 0 : 1;
  if (dictionary) {
    info.encodings = {v1 ? Encoding::kPlainDictionary : Encoding::kPlain, Encoding::kRle};
    if (!v1) info.encodings.push_back(Encoding::kRleDictionary);
  } else {
    info.encodings = {Encoding::kPlain, Encoding::kRle};
  }
  if (has_min_max_) {
    info.min_value = MinMaxPlain(false);
    info.max_value = MinMaxPlain(true);
  }

  std::string values;
  if (dictionary) {
    info.dictionary_page_offset = position();
    for (std::string_view entry : dictionary_order_) {
      const uint32_t length = static_cast<uint32_t>(entry.size());
      values.append(reinterpret_cast<const char*>(&length), sizeof length);
      values.append(entry);
    }
    if (auto written = WritePage(compressor, PageType::kDictionaryPage, {}, values,
                                 static_cast<int32_t>(dictionary_order_.size()), 0,
                                 v1 ? Encoding::kPlainDictionary : Encoding::kPlain, out, info);
        !written) {
      return std::unexpected(written.error());
    }
  }
  info.data_page_offset = position();

  const int index_width = dictionary ? BitWidth(dictionary_order_.size() - 1) : 0;
  const Encoding data_encoding = !dictionary ? Encoding::kPlain
                                 : v1        ? Encoding::kPlainDictionary
                                             : Encoding::kRleDictionary;
  std::vector<uint32_t> levels;
  std::string encoded_levels;
  size_t row = 0;
  size_t value = 0;
  do {
    size_t row_end = row;
    size_t value_end = value;
    size_t page_bytes = 0;
    while (row_end < rows && (row_end == row || page_bytes < options_.page_bytes)) {
      if (defined_[row_end]) page_bytes += PlainSize(value_end++);
      ++row_end;
    }
    levels.assign(defined_.begin() + static_cast<ptrdiff_t>(row),
                  defined_.begin() + static_cast<ptrdiff_t>(row_end));
    encoded_levels.clear();
    AppendRleHybrid(levels, 1, encoded_levels);
    values.clear();
    if (dictionary) {
      values.push_back(static_cast<char>(index_width));
      AppendRleHybrid(std::span<const uint32_t>(indices_).subspan(value, value_end - value),
                      index_width, values);
    } else {
      AppendPlainValues(value, value_end, values);
    }
    const auto page_rows = static_cast<int32_t>(row_end - row);
    const auto page_nulls = static_cast<int32_t>((row_end - row) - (value_end - value));
    if (auto written = WritePage(compressor, v1 ? PageType::kDataPage : PageType::kDataPageV2,
                                 encoded_levels, values, page_rows, page_nulls, data_encoding, out,
                                 info);
        !written) {
      return std::unexpected(written.error());
    }
    row = row_end;
    value = value_end;
  } while (row < rows);

  Reset();
  return info;
}

void ColumnWriter::WriteSchemaElement(CompactWriter& writer) const {
  writer.BeginStruct();
  writer.FieldI32(1, static_cast<int32_t>(physical_));
  if (physical_ == PhysicalType::kFixedLenByteArray) writer.FieldI32(2, fixed_width_);
  writer.FieldI32(3, static_cast<int32_t>(Repetition::kOptional));
  writer.FieldBinary(4, name_);
  std::optional<ConvertedType> converted;
  switch (type_.kind) {
    case HiveKind::kTinyint:
      converted = ConvertedType::kInt8;
      break;
    case HiveKind::kSmallint:
      converted = ConvertedType::kInt16;
      break;
    case HiveKind::kString:
    case HiveKind::kVarchar:
    case HiveKind::kChar:
      converted = ConvertedType::kUtf8;
      break;
    case HiveKind::kDate:
      converted = ConvertedType::kDate;
      break;
    case HiveKind::kDecimal:
      converted = ConvertedType::kDecimal;
      break;
    case HiveKind::kTimestamp:
      if (physical_ == PhysicalType::kInt64) converted = ConvertedType::kTimestampMillis;
      break;
    default:
      break;
  }
  if (converted) writer.FieldI32(6, static_cast<int32_t>(*converted));
  if (type_.kind == HiveKind::kDecimal) {
    writer.FieldI32(7, type_.scale);
    writer.FieldI32(8, type_.precision);
  }
  // LogicalType (field 10), a union: exactly one member struct.
  if (converted) {
    writer.FieldStructBegin(10);
    switch (*converted) {
      case ConvertedType::kUtf8:
        writer.FieldStructBegin(1);  // STRING
        writer.EndStruct();
        break;
      case ConvertedType::kDate:
        writer.FieldStructBegin(6);  // DATE
        writer.EndStruct();
        break;
      case ConvertedType::kDecimal:
        writer.FieldStructBegin(5);  // DECIMAL
        writer.FieldI32(1, type_.scale);
        writer.FieldI32(2, type_.precision);
        writer.EndStruct();
        break;
      case ConvertedType::kTimestampMillis:
        writer.FieldStructBegin(8);  // TIMESTAMP
        writer.FieldBool(1, true);   // isAdjustedToUTC
        writer.FieldStructBegin(2);  // unit: TimeUnit union
        writer.FieldStructBegin(1);  // MILLIS
        writer.EndStruct();
        writer.EndStruct();
        writer.EndStruct();
        break;
      case ConvertedType::kInt8:
      case ConvertedType::kInt16:
        writer.FieldStructBegin(10);  // INTEGER
        writer.FieldI8(1, type_.kind == HiveKind::kTinyint ? 8 : 16);
        writer.FieldBool(2, true);
        writer.EndStruct();
        break;
    }
    writer.EndStruct();
  }
  writer.EndStruct();
}

}  // namespace sluice::formats::parquet
