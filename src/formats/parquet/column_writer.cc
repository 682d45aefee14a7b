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
// After this many values, a chunk with more than half of them distinct stops using a dictionary.
constexpr size_t kDictionaryCheckValues = 2'000;

int64_t FloorDiv(int64_t value, int64_t divisor) {
  return value / divisor - (value % divisor < 0 ? 1 : 0);
}

void AppendBigEndian(Int128 value, int width, std::string& out) {
  for (int byte = width - 1; byte >= 0; --byte) {
    out.push_back(static_cast<char>(static_cast<uint8_t>(value >> (8 * byte))));
  }
}

template <typename T>
std::string PlainOf(T value) {
  std::string out(sizeof(T), '\0');
  std::memcpy(out.data(), &value, sizeof(T));
  return out;
}

}  // namespace

ColumnWriter::ColumnWriter(const SchemaNode& leaf, const WriterOptions& options)
    : leaf_(leaf),
      options_(options),
      physical_(PhysicalTypeOf(leaf.type, options)),
      fixed_width_(FixedWidthOf(leaf.type, options)) {
  Reset();
}

void ColumnWriter::Reset() {
  def_levels_.clear();
  rep_levels_.clear();
  fixed_.clear();
  booleans_.clear();
  bytes_.clear();
  ends_.clear();
  buffered_bytes_ = 0;
  dictionary_active_ = options_.dictionary && physical_ == PhysicalType::kByteArray;
  dictionary_.Clear();
  indices_.clear();
  has_min_max_ = false;
}

void ColumnWriter::AppendFixed(const void* data, size_t size) {
  fixed_.append(static_cast<const char*>(data), size);
  buffered_bytes_ += size;
}

void ColumnWriter::AppendBytes(std::string_view bytes) {
  buffered_bytes_ += bytes.size() + 4;
  if (!dictionary_active_) {
    bytes_.append(bytes);
    ends_.push_back(static_cast<uint32_t>(bytes_.size()));
    return;
  }
  // While the dictionary is used, values are kept only there (and as indices).
  const size_t before = dictionary_.plain().size();
  indices_.push_back(dictionary_.Add(bytes));
  const size_t dictionary_bytes = dictionary_.plain().size();
  buffered_bytes_ += dictionary_bytes - before;
  // Plain from here on if the dictionary outgrows its limit, or if the chunk's first values are
  // mostly distinct, where a dictionary would cost more than it saves.
  if (dictionary_bytes > options_.dictionary_limit_bytes ||
      (indices_.size() == kDictionaryCheckValues &&
       dictionary_.size() > kDictionaryCheckValues / 2)) {
    for (const uint32_t index : indices_) {
      bytes_.append(dictionary_.ValueAt(index));
      ends_.push_back(static_cast<uint32_t>(bytes_.size()));
    }
    dictionary_active_ = false;
    buffered_bytes_ -= dictionary_bytes;
    dictionary_.Clear();
    indices_.clear();
  }
}

void ColumnWriter::Append(int def, int rep, const Value& value) {
  def_levels_.push_back(static_cast<uint32_t>(def));
  buffered_bytes_ += 1;
  if (leaf_.rep > 0) {
    rep_levels_.push_back(static_cast<uint32_t>(rep));
    buffered_bytes_ += 1;
  }
  if (def == leaf_.def) AppendValue(value);
}

void ColumnWriter::AppendValue(const Value& cell) {
  UpdateStats(cell);
  switch (physical_) {
    case PhysicalType::kBoolean:
      booleans_.push_back(std::get<bool>(cell) ? 1 : 0);
      break;
    case PhysicalType::kInt32: {
      const auto value = static_cast<int32_t>(std::get<int64_t>(cell));
      AppendFixed(&value, sizeof value);
      break;
    }
    case PhysicalType::kInt64: {
      int64_t value = std::get<int64_t>(cell);
      if (leaf_.type.kind == HiveKind::kTimestamp) value = FloorDiv(value, kNanosPerMilli);
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
      const auto value = static_cast<float>(std::get<double>(cell));
      AppendFixed(&value, sizeof value);
      break;
    }
    case PhysicalType::kDouble: {
      const double value = std::get<double>(cell);
      AppendFixed(&value, sizeof value);
      break;
    }
    case PhysicalType::kFixedLenByteArray:
      AppendBigEndian(std::get<Decimal>(cell).unscaled, fixed_width_, fixed_);
      buffered_bytes_ += fixed_width_;
      break;
    case PhysicalType::kByteArray:
      AppendBytes(TextOf(cell));
      break;
  }
}

void ColumnWriter::UpdateStats(const Value& cell) {
  const bool first = !has_min_max_;
  switch (physical_) {
    case PhysicalType::kBoolean:
    case PhysicalType::kInt32:
    case PhysicalType::kInt64: {
      int64_t value = 0;
      if (const auto* b = std::get_if<bool>(&cell)) value = *b ? 1 : 0;
      else value = std::get<int64_t>(cell);
      if (leaf_.type.kind == HiveKind::kTimestamp) value = FloorDiv(value, kNanosPerMilli);
      int_min_ = first ? value : std::min(int_min_, value);
      int_max_ = first ? value : std::max(int_max_, value);
      break;
    }
    case PhysicalType::kFloat:
    case PhysicalType::kDouble: {
      const double value = std::get<double>(cell);
      if (std::isnan(value)) return;  // NaN has no place in the order; readers skip it too
      real_min_ = first ? value : std::min(real_min_, value);
      real_max_ = first ? value : std::max(real_max_, value);
      break;
    }
    case PhysicalType::kFixedLenByteArray: {
      const Int128 value = std::get<Decimal>(cell).unscaled;
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
      if (dictionary_active_) return 4 + dictionary_.ValueAt(indices_[value]).size();
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
  return dictionary_active_ && dictionary_.size() > 0;
}

Status ColumnWriter::WritePage(PageCompressor& compressor, PageType type, std::string_view page,
                               size_t levels_size, size_t rep_levels_size, int32_t num_values,
                               int32_t num_nulls, int32_t num_rows, Encoding encoding,
                               std::string& out, ColumnChunkInfo& info) {
  // v2 data pages leave the levels uncompressed, before the compressed values; other pages
  // compress all they hold.
  const bool v2 = type == PageType::kDataPageV2;
  auto compressed = compressor.Compress(v2 ? page.substr(levels_size) : page);
  if (!compressed) return std::unexpected(compressed.error());
  const size_t uncompressed_size = page.size();
  const size_t stored_size = (v2 ? levels_size : 0) + compressed->size();

  std::string& header = page_header_;
  header.clear();
  CompactWriter writer(header);
  writer.BeginStruct();
  writer.FieldI32(1, static_cast<int32_t>(type));
  writer.FieldI32(2, static_cast<int32_t>(uncompressed_size));
  writer.FieldI32(3, static_cast<int32_t>(stored_size));
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
    writer.FieldI32(3, num_rows);
    writer.FieldI32(4, static_cast<int32_t>(encoding));
    writer.FieldI32(5, static_cast<int32_t>(levels_size - rep_levels_size));
    writer.FieldI32(6, static_cast<int32_t>(rep_levels_size));
    writer.FieldBool(7, options_.compression != Compression::kUncompressed);
    writer.EndStruct();
  }
  writer.EndStruct();

  out.append(header);
  if (v2) out.append(page.substr(0, levels_size));
  out.append(*compressed);
  info.uncompressed_bytes += static_cast<int64_t>(header.size() + uncompressed_size);
  info.compressed_bytes += static_cast<int64_t>(header.size() + stored_size);
  return {};
}

// Appends levels RLE-encoded; v1 pages prefix them with their byte length.
void ColumnWriter::AppendLevels(std::span<const uint32_t> levels, int max_level, bool v1,
                                std::string& out) const {
  const size_t start = out.size();
  if (v1) out.append(4, '\0');
  AppendRleHybrid(levels, BitWidth(static_cast<uint64_t>(max_level)), out);
  if (v1) {
    const auto size = static_cast<uint32_t>(out.size() - start - 4);
    std::memcpy(out.data() + start, &size, sizeof size);
  }
}

Result<ColumnChunkInfo> ColumnWriter::Flush(PageCompressor& compressor, int64_t file_offset,
                                            std::string& out) {
  const size_t base = out.size();
  const auto position = [&] { return file_offset + static_cast<int64_t>(out.size() - base); };
  const bool v1 = options_.page_version == PageVersion::kV1;
  const bool dictionary = UsesDictionary();
  const size_t entries = def_levels_.size();
  const auto max_def = static_cast<uint32_t>(leaf_.def);
  const bool repeated = leaf_.rep > 0;

  ColumnChunkInfo info;
  info.num_values = static_cast<int64_t>(entries);
  for (uint32_t def : def_levels_) info.null_count += def < max_def ? 1 : 0;
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

  if (dictionary) {
    info.dictionary_page_offset = position();
    if (auto written = WritePage(compressor, PageType::kDictionaryPage, dictionary_.plain(), 0, 0,
                                 static_cast<int32_t>(dictionary_.size()), 0, 0,
                                 v1 ? Encoding::kPlainDictionary : Encoding::kPlain, out, info);
        !written) {
      return std::unexpected(written.error());
    }
  }
  info.data_page_offset = position();

  const int index_width = dictionary ? BitWidth(dictionary_.size() - 1) : 0;
  const Encoding data_encoding = !dictionary ? Encoding::kPlain
                                 : v1        ? Encoding::kPlainDictionary
                                             : Encoding::kRleDictionary;
  std::string& page = page_;  // levels, then values
  size_t entry = 0;
  size_t value = 0;
  do {
    // A page holds whole rows: it ends before an entry that starts a row (repetition level 0).
    size_t entry_end = entry;
    size_t value_end = value;
    size_t page_bytes = 0;
    int32_t page_rows = 0;
    while (entry_end < entries &&
           (entry_end == entry || page_bytes < options_.page_bytes ||
            (repeated && rep_levels_[entry_end] != 0))) {
      if (!repeated || rep_levels_[entry_end] == 0) ++page_rows;
      if (def_levels_[entry_end] == max_def) page_bytes += PlainSize(value_end++);
      ++entry_end;
    }
    const auto span_of = [&](const std::vector<uint32_t>& all) {
      return std::span<const uint32_t>(all).subspan(entry, entry_end - entry);
    };
    page.clear();
    if (repeated) AppendLevels(span_of(rep_levels_), leaf_.rep, v1, page);
    const size_t rep_size = page.size();
    AppendLevels(span_of(def_levels_), leaf_.def, v1, page);
    const size_t levels_size = page.size();
    if (dictionary) {
      page.push_back(static_cast<char>(index_width));
      AppendRleHybrid(std::span<const uint32_t>(indices_).subspan(value, value_end - value),
                      index_width, page);
    } else {
      AppendPlainValues(value, value_end, page);
    }
    const auto page_entries = static_cast<int32_t>(entry_end - entry);
    const auto page_nulls = static_cast<int32_t>((entry_end - entry) - (value_end - value));
    if (auto written = WritePage(compressor, v1 ? PageType::kDataPage : PageType::kDataPageV2,
                                 page, levels_size, rep_size, page_entries, page_nulls, page_rows,
                                 data_encoding, out, info);
        !written) {
      return std::unexpected(written.error());
    }
    entry = entry_end;
    value = value_end;
  } while (entry < entries);

  Reset();
  return info;
}

}  // namespace sluice::formats::parquet
