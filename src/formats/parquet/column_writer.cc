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

// Appends the levels of a page; v1 pages prefix them with their byte length.
void AppendLevels(RleHybridEncoder& levels, bool v1, std::string& out) {
  const size_t start = out.size();
  if (v1) out.append(4, '\0');
  levels.Finish(out);
  if (v1) {
    const auto size = static_cast<uint32_t>(out.size() - start - 4);
    std::memcpy(out.data() + start, &size, sizeof size);
  }
}

template <typename T>
std::string PlainOf(T value) {
  std::string out(sizeof(T), '\0');
  std::memcpy(out.data(), &value, sizeof(T));
  return out;
}

}  // namespace

ColumnWriter::ColumnWriter(const SchemaNode& leaf, const WriterOptions& options,
                           PageScratch& scratch)
    : leaf_(leaf),
      options_(options),
      scratch_(scratch),
      physical_(PhysicalTypeOf(leaf.type, options)),
      fixed_width_(FixedWidthOf(leaf.type, options)),
      def_levels_(BitWidth(static_cast<uint64_t>(leaf.def))),
      rep_levels_(BitWidth(static_cast<uint64_t>(leaf.rep))) {
  Reset();
}

void ColumnWriter::Reset() {
  fixed_.clear();
  booleans_.clear();
  bytes_.clear();
  ends_.clear();
  cut_pages_.clear();
  open_page_bytes_ = 0;
  open_page_rows_ = 0;
  buffered_bytes_ = 0;
  pages_.clear();
  info_ = {};
  dictionary_active_ = options_.dictionary && physical_ == PhysicalType::kByteArray;
  dictionary_.Clear();
  indices_.clear();
  has_min_max_ = false;
}

void ColumnWriter::AppendFixed(const void* data, size_t size) {
  fixed_.append(static_cast<const char*>(data), size);
  buffered_bytes_ += size;
}

Status ColumnWriter::AppendBytes(std::string_view bytes) {
  buffered_bytes_ += bytes.size() + 4;
  if (!dictionary_active_) {
    bytes_.append(bytes);
    ends_.push_back(static_cast<uint32_t>(bytes_.size()));
    return {};
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
    return GiveUpDictionary();
  }
  return {};
}

// The whole chunk becomes PLAIN: the pages cut so far are written from the dictionary now, and
// the open page's values move to bytes_.
Status ColumnWriter::GiveUpDictionary() {
  const size_t open_page_values = cut_pages_.empty() ? 0 : cut_pages_.back().values_end;
  if (auto written = WriteCutPages(-1); !written) return written;
  for (size_t i = open_page_values; i < indices_.size(); ++i) {
    bytes_.append(dictionary_.ValueAt(indices_[i]));
    ends_.push_back(static_cast<uint32_t>(bytes_.size()));
  }
  dictionary_active_ = false;
  buffered_bytes_ -= dictionary_.plain().size();
  dictionary_.Clear();
  indices_.clear();
  return {};
}

Status ColumnWriter::Append(int def, int rep, const Value& value) {
  const bool starts_row = leaf_.rep == 0 || rep == 0;
  // A page holds whole rows: it ends before the first row that starts once its values reach
  // the page size (a page holds at least one entry).
  if (starts_row && open_page_entries_ > 0 && open_page_bytes_ >= options_.page_bytes) {
    if (auto ended = EndPage(); !ended) return ended;
  }
  def_levels_.Add(static_cast<uint32_t>(def));
  ++open_page_entries_;
  buffered_bytes_ += 1;
  if (leaf_.rep > 0) {
    rep_levels_.Add(static_cast<uint32_t>(rep));
    buffered_bytes_ += 1;
  }
  if (starts_row) ++open_page_rows_;
  if (def != leaf_.def) return {};
  open_page_bytes_ += PlainSize(value);
  return AppendValue(value);
}

Status ColumnWriter::AppendValue(const Value& cell) {
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
      return AppendBytes(TextOf(cell));
  }
  return {};
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

size_t ColumnWriter::PlainSize(const Value& value) const {
  switch (physical_) {
    case PhysicalType::kBoolean:
      return 1;  // an eighth, but pages are cut on whole bytes
    case PhysicalType::kByteArray:
      return 4 + TextOf(value).size();
    default:
      return static_cast<size_t>(fixed_width_);
  }
}

size_t ColumnWriter::BufferedValues() const {
  switch (physical_) {
    case PhysicalType::kBoolean:
      return booleans_.size();
    case PhysicalType::kByteArray:
      return dictionary_active_ ? indices_.size() : ends_.size();
    default:
      return fixed_.size() / static_cast<size_t>(fixed_width_);
  }
}

size_t ColumnWriter::unwritten_bytes() const {
  size_t levels = 0;
  for (const CutPage& page : cut_pages_) levels += page.levels.size();
  return levels + def_levels_.held_bytes() + rep_levels_.held_bytes() +
         (ends_.size() + indices_.size()) * sizeof(uint32_t) + fixed_.size() + booleans_.size() +
         bytes_.size();
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
        const std::string_view value =
            dictionary_active_ ? dictionary_.ValueAt(indices_[i])
                               : std::string_view(bytes_).substr(i == 0 ? 0 : ends_[i - 1],
                                                                  ends_[i] - (i == 0 ? 0 : ends_[i - 1]));
        const auto length = static_cast<uint32_t>(value.size());
        out.append(reinterpret_cast<const char*>(&length), sizeof length);
        out.append(value);
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

Status ColumnWriter::WritePage(PageType type, std::string_view page, size_t levels_size,
                               size_t rep_levels_size, int32_t num_values, int32_t num_nulls,
                               int32_t num_rows, Encoding encoding, std::string& out) {
  // v2 data pages leave the levels uncompressed, before the compressed values; other pages
  // compress all they hold.
  const bool v2 = type == PageType::kDataPageV2;
  auto compressed = scratch_.compressor.Compress(v2 ? page.substr(levels_size) : page);
  if (!compressed) return std::unexpected(compressed.error());
  const size_t uncompressed_size = page.size();
  const size_t stored_size = (v2 ? levels_size : 0) + compressed->size();

  std::string& header = scratch_.header;
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

  out.reserve(out.size() + header.size() + stored_size);
  out.append(header);
  if (v2) out.append(page.substr(0, levels_size));
  out.append(*compressed);
  info_.uncompressed_bytes += static_cast<int64_t>(header.size() + uncompressed_size);
  info_.compressed_bytes += static_cast<int64_t>(header.size() + stored_size);
  return {};
}

Status ColumnWriter::EndPage() {
  const bool v1 = options_.page_version == PageVersion::kV1;
  CutPage& page = cut_pages_.emplace_back();
  if (leaf_.rep > 0) AppendLevels(rep_levels_, v1, page.levels);
  page.rep_levels_size = page.levels.size();
  AppendLevels(def_levels_, v1, page.levels);
  page.entries = open_page_entries_;
  page.rows = open_page_rows_;
  page.values_end = BufferedValues();
  open_page_entries_ = 0;
  open_page_bytes_ = 0;
  open_page_rows_ = 0;
  // While the dictionary is used, pages wait for the chunk's end (see the header).
  if (dictionary_active_) return {};
  return WriteCutPages(-1);
}

Status ColumnWriter::WriteCutPages(int index_width) {
  const bool v1 = options_.page_version == PageVersion::kV1;
  const bool dictionary = index_width >= 0;
  const Encoding encoding = !dictionary ? Encoding::kPlain
                            : v1        ? Encoding::kPlainDictionary
                                        : Encoding::kRleDictionary;
  std::string& page = scratch_.page;
  size_t values_begin = 0;
  for (const CutPage& cut : cut_pages_) {
    page.assign(cut.levels);
    if (dictionary) {
      page.push_back(static_cast<char>(index_width));
      AppendRleHybrid(std::span<const uint32_t>(indices_).subspan(
                          values_begin, cut.values_end - values_begin),
                      index_width, page);
    } else {
      AppendPlainValues(values_begin, cut.values_end, page);
    }
    const auto nulls = static_cast<int32_t>(cut.entries - (cut.values_end - values_begin));
    if (auto written = WritePage(v1 ? PageType::kDataPage : PageType::kDataPageV2, page,
                                 cut.levels.size(), cut.rep_levels_size, cut.entries, nulls,
                                 cut.rows, encoding, pages_.emplace_back());
        !written) {
      return written;
    }
    info_.num_values += cut.entries;
    info_.null_count += nulls;
    values_begin = cut.values_end;
  }
  cut_pages_.clear();
  // Dictionary indices are dropped by the caller, which ends the chunk or its dictionary. PLAIN
  // pages are written as soon as they are cut, so no value follows theirs.
  if (!dictionary_active_) {
    fixed_.clear();
    booleans_.clear();
    bytes_.clear();
    ends_.clear();
  }
  return {};
}

Result<ColumnChunkInfo> ColumnWriter::Flush(int64_t file_offset, std::deque<std::string>& out) {
  // The open page; an empty chunk still gets one (empty) page.
  if (auto ended = EndPage(); !ended) return std::unexpected(ended.error());
  const bool v1 = options_.page_version == PageVersion::kV1;
  const bool dictionary = UsesDictionary();
  if (dictionary) {
    info_.encodings = {v1 ? Encoding::kPlainDictionary : Encoding::kPlain, Encoding::kRle};
    if (!v1) info_.encodings.push_back(Encoding::kRleDictionary);
  } else {
    info_.encodings = {Encoding::kPlain, Encoding::kRle};
  }
  if (has_min_max_) {
    info_.min_value = MinMaxPlain(false);
    info_.max_value = MinMaxPlain(true);
  }
  int64_t dictionary_page_size = 0;
  if (dictionary) {
    info_.dictionary_page_offset = file_offset;
    std::string& page = out.emplace_back();
    if (auto written = WritePage(PageType::kDictionaryPage, dictionary_.plain(), 0, 0,
                                 static_cast<int32_t>(dictionary_.size()), 0, 0,
                                 v1 ? Encoding::kPlainDictionary : Encoding::kPlain, page);
        !written) {
      return std::unexpected(written.error());
    }
    dictionary_page_size = static_cast<int64_t>(page.size());
  }
  info_.data_page_offset = file_offset + dictionary_page_size;
  if (auto written = WriteCutPages(dictionary ? BitWidth(dictionary_.size() - 1) : -1);
      !written) {
    return std::unexpected(written.error());
  }
  for (std::string& page : pages_) out.push_back(std::move(page));
  ColumnChunkInfo info = std::move(info_);
  Reset();
  return info;
}

}  // namespace sluice::formats::parquet
