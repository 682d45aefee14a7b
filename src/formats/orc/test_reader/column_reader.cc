#include "formats/orc/test_reader/column_reader.h"

#include <bit>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "formats/orc/test_reader/decompress.h"

namespace sluice::formats::orc::test_reader {
namespace {

__extension__ using Int128 = __int128;
__extension__ using Uint128 = unsigned __int128;

constexpr int64_t kHive11Scale = 6;

std::string Describe(uint64_t column) { return "ORC column " + std::to_string(column); }

Value Scalar(Value::Kind kind) {
  Value value;
  value.kind = kind;
  return value;
}

std::string FormatDate(int64_t days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

// "YYYY-MM-DD HH:MM:SS.f": the fraction keeps at least one digit and no trailing zeros.
std::string FormatTimestamp(int64_t wall_seconds, int64_t nanos) {
  const int64_t days = wall_seconds >= 0 ? wall_seconds / 86400 : -((-wall_seconds + 86399) / 86400);
  const int64_t second_of_day = wall_seconds - days * 86400;
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, "%09lld", static_cast<long long>(nanos));
  size_t digits = 9;
  while (digits > 1 && fraction[digits - 1] == '0') --digits;
  char text[64];
  std::snprintf(text, sizeof text, "%s %02lld:%02lld:%02lld.%.*s", FormatDate(days).c_str(),
                static_cast<long long>(second_of_day / 3600),
                static_cast<long long>(second_of_day / 60 % 60),
                static_cast<long long>(second_of_day % 60), static_cast<int>(digits), fraction);
  return text;
}

std::string FormatDecimal(Int128 unscaled, int64_t scale) {
  const bool negative = unscaled < 0;
  Uint128 magnitude = negative ? Uint128(0) - Uint128(unscaled) : Uint128(unscaled);
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

Int128 Rescale(Int128 unscaled, int64_t from_scale, int64_t to_scale) {
  for (; from_scale < to_scale; ++from_scale) unscaled *= 10;
  for (; from_scale > to_scale; --from_scale) unscaled /= 10;
  return unscaled;
}

class BooleanReader : public ColumnReader {
 public:
  BooleanReader(const StripeData& stripe, uint64_t column) : ColumnReader(stripe, column) {}
  Status LoadValues(uint64_t count) override {
    auto data = RequiredStream(StreamKind::kData, "DATA");
    if (!data) return std::unexpected(data.error());
    auto values = DecodeBooleans(*data, count);
    if (!values) return std::unexpected(values.error());
    values_ = std::move(*values);
    return {};
  }
  Value GetValue(uint64_t index) const override {
    Value value = Scalar(Value::Kind::kBool);
    value.int_value = values_[index];
    return value;
  }

 private:
  std::vector<uint8_t> values_;
};

// byte, short, int, long and date: integers in DATA.
class IntegerReader : public ColumnReader {
 public:
  IntegerReader(const StripeData& stripe, uint64_t column, Value::Kind kind)
      : ColumnReader(stripe, column), kind_(kind) {}
  Status LoadValues(uint64_t count) override {
    auto data = RequiredStream(StreamKind::kData, "DATA");
    if (!data) return std::unexpected(data.error());
    if (type().kind == TypeKind::kByte) {
      auto bytes = DecodeByteRle(*data, count);
      if (!bytes) return std::unexpected(bytes.error());
      values_.assign(bytes->size(), 0);
      for (size_t i = 0; i < bytes->size(); ++i) values_[i] = static_cast<int8_t>((*bytes)[i]);
      return {};
    }
    auto values = DecodeIntRle(*data, count, true, rle());
    if (!values) return std::unexpected(values.error());
    values_ = std::move(*values);
    return {};
  }
  Value GetValue(uint64_t index) const override {
    Value value = Scalar(kind_);
    value.int_value = values_[index];
    if (kind_ == Value::Kind::kDate) value.text = FormatDate(values_[index]);
    return value;
  }

 private:
  Value::Kind kind_;
  std::vector<int64_t> values_;
};

// float and double: little-endian IEEE 754 values in DATA.
class FloatingReader : public ColumnReader {
 public:
  FloatingReader(const StripeData& stripe, uint64_t column) : ColumnReader(stripe, column) {}
  Status LoadValues(uint64_t count) override {
    auto data = RequiredStream(StreamKind::kData, "DATA");
    if (!data) return std::unexpected(data.error());
    width_ = type().kind == TypeKind::kFloat ? 4 : 8;
    if (data->size() / width_ < count) {
      return Fail(ErrorCode::kCorruption, Describe(column()) + ": DATA holds " +
                                              std::to_string(data->size() / width_) +
                                              " values, " + std::to_string(count) + " expected");
    }
    data_ = *data;
    return {};
  }
  Value GetValue(uint64_t index) const override {
    uint64_t bits = 0;
    for (size_t i = 0; i < width_; ++i) {
      bits |= uint64_t{static_cast<uint8_t>(data_[index * width_ + i])} << (8 * i);
    }
    if (width_ == 4) {
      Value value = Scalar(Value::Kind::kFloat);
      value.double_value = std::bit_cast<float>(static_cast<uint32_t>(bits));
      return value;
    }
    Value value = Scalar(Value::Kind::kDouble);
    value.double_value = std::bit_cast<double>(bits);
    return value;
  }

 private:
  size_t width_ = 8;
  std::string_view data_;
};

// string, varchar, char and binary, with direct or dictionary encoding.
class BytesReader : public ColumnReader {
 public:
  BytesReader(const StripeData& stripe, uint64_t column, Value::Kind kind)
      : ColumnReader(stripe, column), kind_(kind) {}
  Status LoadValues(uint64_t count) override {
    return is_dictionary() ? LoadDictionary(count) : LoadDirect(count);
  }
  Value GetValue(uint64_t index) const override {
    Value value = Scalar(kind_);
    value.text = values_[index];
    return value;
  }

 private:
  // Splits `blob` into `lengths`; fails if a length is negative or the blob is too short.
  Result<std::vector<std::string_view>> Split(std::string_view blob,
                                              const std::vector<int64_t>& lengths,
                                              std::string_view what) const {
    std::vector<std::string_view> parts;
    parts.reserve(lengths.size());
    for (int64_t length : lengths) {
      if (length < 0) {
        return Fail(ErrorCode::kCorruption,
                    Describe(column()) + ": negative " + std::string(what) + " length");
      }
      if (static_cast<uint64_t>(length) > blob.size()) {
        return Fail(ErrorCode::kCorruption, Describe(column()) + ": " + std::string(what) +
                                                " lengths exceed their data stream");
      }
      parts.push_back(blob.substr(0, static_cast<size_t>(length)));
      blob.remove_prefix(static_cast<size_t>(length));
    }
    return parts;
  }

  Status LoadDirect(uint64_t count) {
    auto lengths_stream = RequiredStream(StreamKind::kLength, "LENGTH");
    if (!lengths_stream) return std::unexpected(lengths_stream.error());
    auto lengths = DecodeIntRle(*lengths_stream, count, false, rle());
    if (!lengths) return std::unexpected(lengths.error());
    auto data = OptionalStream(StreamKind::kData);
    if (!data) return std::unexpected(data.error());
    auto parts = Split(*data != nullptr ? std::string_view(**data) : std::string_view(), *lengths,
                       "value");
    if (!parts) return std::unexpected(parts.error());
    values_ = std::move(*parts);
    return {};
  }

  Status LoadDictionary(uint64_t count) {
    const uint64_t size = encoding().dictionary_size;
    auto lengths_stream = RequiredStream(StreamKind::kLength, "LENGTH");
    if (!lengths_stream) return std::unexpected(lengths_stream.error());
    auto lengths = DecodeIntRle(*lengths_stream, size, false, rle());
    if (!lengths) return std::unexpected(lengths.error());
    auto blob = OptionalStream(StreamKind::kDictionaryData);
    if (!blob) return std::unexpected(blob.error());
    if (*blob == nullptr) {
      for (int64_t length : *lengths) {
        if (length != 0) {
          return Fail(ErrorCode::kCorruption,
                      Describe(column()) + ": DICTIONARY_DATA stream not found for a dictionary of " +
                          std::to_string(size) + " entries");
        }
      }
    }
    auto dictionary = Split(*blob != nullptr ? std::string_view(**blob) : std::string_view(),
                            *lengths, "dictionary entry");
    if (!dictionary) return std::unexpected(dictionary.error());
    auto data = RequiredStream(StreamKind::kData, "DATA");
    if (!data) return std::unexpected(data.error());
    auto indexes = DecodeIntRle(*data, count, false, rle());
    if (!indexes) return std::unexpected(indexes.error());
    values_.reserve(count);
    for (int64_t index : *indexes) {
      if (index < 0 || static_cast<uint64_t>(index) >= size) {
        return Fail(ErrorCode::kCorruption, Describe(column()) + ": dictionary index " +
                                                std::to_string(static_cast<uint64_t>(index)) +
                                                " out of " + std::to_string(size) + " entries");
      }
      values_.push_back((*dictionary)[static_cast<size_t>(index)]);
    }
    return {};
  }

  Value::Kind kind_;
  std::vector<std::string_view> values_;
};

class TimestampReader : public ColumnReader {
 public:
  TimestampReader(const StripeData& stripe, uint64_t column, const WriterClock& clock)
      : ColumnReader(stripe, column), clock_(clock) {}
  Status LoadValues(uint64_t count) override {
    auto data = RequiredStream(StreamKind::kData, "DATA");
    auto secondary = RequiredStream(StreamKind::kSecondary, "SECONDARY");
    if (!data) return std::unexpected(data.error());
    if (!secondary) return std::unexpected(secondary.error());
    auto seconds = DecodeIntRle(*data, count, true, rle());
    if (!seconds) return std::unexpected(seconds.error());
    auto nanos = DecodeIntRle(*secondary, count, false, rle());
    if (!nanos) return std::unexpected(nanos.error());
    clock_.ToWallSeconds(*seconds);
    texts_.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
      // The low 3 bits count the decimal zeros dropped from the nanoseconds, minus one.
      const auto encoded = static_cast<uint64_t>((*nanos)[i]);
      uint64_t nano = encoded >> 3;
      if (const uint64_t zeros = encoded & 7; zeros != 0) {
        for (uint64_t k = 0; k <= zeros; ++k) nano *= 10;
      }
      if (nano > 999'999'999) {
        return Fail(ErrorCode::kCorruption,
                    Describe(column()) + ": nanoseconds " + std::to_string(nano) + " out of range");
      }
      int64_t second = (*seconds)[i];
      // Writers store a negative time with a sub-second part rounded toward zero.
      if (second < 0 && nano > 999'999) --second;
      texts_.push_back(FormatTimestamp(second, static_cast<int64_t>(nano)));
    }
    return {};
  }
  Value GetValue(uint64_t index) const override {
    Value value = Scalar(Value::Kind::kTimestamp);
    value.text = texts_[index];
    return value;
  }

 private:
  const WriterClock& clock_;
  std::vector<std::string> texts_;
};

class DecimalReader : public ColumnReader {
 public:
  DecimalReader(const StripeData& stripe, uint64_t column) : ColumnReader(stripe, column) {}
  Status LoadValues(uint64_t count) override {
    auto data = RequiredStream(StreamKind::kData, "DATA");
    if (!data) return std::unexpected(data.error());
    // Hive 0.11 decimals have no precision and a scale per value; like the reference reader,
    // show them with 6 decimals (truncated).
    const bool hive11 = type().precision.value_or(0) == 0;
    const auto column_scale = hive11 ? kHive11Scale : static_cast<int64_t>(type().scale.value_or(0));
    if (stripe().decimal64_as_rle && type().precision.value_or(0) <= 18) {
      auto values = DecodeIntRle(*data, count, true, IntRle::kV2);
      if (!values) return std::unexpected(values.error());
      for (int64_t v : *values) texts_.push_back(FormatDecimal(v, column_scale));
      return {};
    }
    auto secondary = RequiredStream(StreamKind::kSecondary, "SECONDARY");
    if (!secondary) return std::unexpected(secondary.error());
    auto scales = DecodeIntRle(*secondary, count, true, rle());
    if (!scales) return std::unexpected(scales.error());
    std::string_view in = *data;
    texts_.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
      auto unscaled = ReadUnboundedVarint(in);
      if (!unscaled) return std::unexpected(unscaled.error());
      const int64_t scale = (*scales)[i];
      if (scale < 0 || scale > 38) {
        return Fail(ErrorCode::kCorruption,
                    Describe(column()) + ": decimal scale " + std::to_string(scale) + " out of range");
      }
      texts_.push_back(FormatDecimal(Rescale(*unscaled, scale, column_scale), column_scale));
    }
    return {};
  }
  Value GetValue(uint64_t index) const override {
    Value value = Scalar(Value::Kind::kDecimal);
    value.text = texts_[index];
    return value;
  }

 private:
  // A zigzag-encoded signed varint of up to 128 bits.
  Result<Int128> ReadUnboundedVarint(std::string_view& in) const {
    Uint128 value = 0;
    for (unsigned shift = 0; shift < 128; shift += 7) {
      if (in.empty()) return Fail(ErrorCode::kCorruption, Describe(column()) + ": truncated decimal");
      const auto byte = static_cast<uint8_t>(in.front());
      in.remove_prefix(1);
      value |= Uint128(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        return static_cast<Int128>(value >> 1) ^ -static_cast<Int128>(value & 1);
      }
    }
    return Fail(ErrorCode::kCorruption, Describe(column()) + ": decimal wider than 128 bits");
  }

  std::vector<std::string> texts_;
};

class StructReader : public ColumnReader {
 public:
  StructReader(const StripeData& stripe, uint64_t column,
               std::vector<std::unique_ptr<ColumnReader>> fields)
      : ColumnReader(stripe, column), fields_(std::move(fields)) {}
  Status LoadValues(uint64_t count) override {
    for (auto& field : fields_) {
      if (auto status = field->Load(count); !status) return status;
    }
    return {};
  }
  Value GetValue(uint64_t index) const override {
    Value value = Scalar(Value::Kind::kStruct);
    value.field_names = &type().field_names;
    value.children.reserve(fields_.size());
    for (const auto& field : fields_) value.children.push_back(field->Get(index));
    return value;
  }

 private:
  std::vector<std::unique_ptr<ColumnReader>> fields_;
};

// list (one child) and map (key and value children): LENGTH holds each value's element count.
class RepeatedReader : public ColumnReader {
 public:
  RepeatedReader(const StripeData& stripe, uint64_t column,
                 std::vector<std::unique_ptr<ColumnReader>> children)
      : ColumnReader(stripe, column), children_(std::move(children)) {}
  Status LoadValues(uint64_t count) override {
    auto stream = RequiredStream(StreamKind::kLength, "LENGTH");
    if (!stream) return std::unexpected(stream.error());
    auto lengths = DecodeIntRle(*stream, count, false, rle());
    if (!lengths) return std::unexpected(lengths.error());
    offsets_.assign(1, 0);
    for (int64_t length : *lengths) {
      if (length < 0 || static_cast<uint64_t>(length) > (uint64_t{1} << 40)) {
        return Fail(ErrorCode::kCorruption, Describe(column()) + ": element count " +
                                                std::to_string(static_cast<uint64_t>(length)) +
                                                " out of range");
      }
      offsets_.push_back(offsets_.back() + static_cast<uint64_t>(length));
    }
    for (auto& child : children_) {
      if (auto status = child->Load(offsets_.back()); !status) return status;
    }
    return {};
  }
  Value GetValue(uint64_t index) const override {
    Value value = Scalar(children_.size() == 1 ? Value::Kind::kList : Value::Kind::kMap);
    for (uint64_t entry = offsets_[index]; entry < offsets_[index + 1]; ++entry) {
      for (const auto& child : children_) value.children.push_back(child->Get(entry));
    }
    return value;
  }

 private:
  std::vector<std::unique_ptr<ColumnReader>> children_;
  std::vector<uint64_t> offsets_;
};

class UnionReader : public ColumnReader {
 public:
  UnionReader(const StripeData& stripe, uint64_t column,
              std::vector<std::unique_ptr<ColumnReader>> variants)
      : ColumnReader(stripe, column), variants_(std::move(variants)) {}
  Status LoadValues(uint64_t count) override {
    auto data = RequiredStream(StreamKind::kData, "DATA");
    if (!data) return std::unexpected(data.error());
    auto tags = DecodeByteRle(*data, count);
    if (!tags) return std::unexpected(tags.error());
    tags_ = std::move(*tags);
    std::vector<uint64_t> counts(variants_.size(), 0);
    variant_entry_.reserve(count);
    for (uint8_t tag : tags_) {
      if (tag >= variants_.size()) {
        return Fail(ErrorCode::kCorruption, Describe(column()) + ": union tag " +
                                                std::to_string(tag) + " but " +
                                                std::to_string(variants_.size()) + " variants");
      }
      variant_entry_.push_back(counts[tag]++);
    }
    for (size_t i = 0; i < variants_.size(); ++i) {
      if (auto status = variants_[i]->Load(counts[i]); !status) return status;
    }
    return {};
  }
  Value GetValue(uint64_t index) const override {
    Value value = Scalar(Value::Kind::kUnion);
    value.int_value = tags_[index];
    value.children.push_back(variants_[tags_[index]]->Get(variant_entry_[index]));
    return value;
  }

 private:
  std::vector<std::unique_ptr<ColumnReader>> variants_;
  std::vector<uint8_t> tags_;
  std::vector<uint64_t> variant_entry_;
};

}  // namespace

Result<std::unique_ptr<ColumnReader>> ColumnReader::Create(const StripeData& stripe,
                                                           uint64_t column) {
  const OrcType& type = (*stripe.types)[column];
  std::vector<std::unique_ptr<ColumnReader>> children;
  for (uint64_t child : type.subtypes) {
    auto reader = Create(stripe, child);
    if (!reader) return std::unexpected(reader.error());
    children.push_back(std::move(*reader));
  }
  switch (type.kind) {
    case TypeKind::kBoolean: return std::make_unique<BooleanReader>(stripe, column);
    case TypeKind::kByte:
    case TypeKind::kShort:
    case TypeKind::kInt:
    case TypeKind::kLong:
      return std::make_unique<IntegerReader>(stripe, column, Value::Kind::kInt);
    case TypeKind::kDate:
      return std::make_unique<IntegerReader>(stripe, column, Value::Kind::kDate);
    case TypeKind::kFloat:
    case TypeKind::kDouble: return std::make_unique<FloatingReader>(stripe, column);
    case TypeKind::kString:
    case TypeKind::kVarchar:
    case TypeKind::kChar:
      return std::make_unique<BytesReader>(stripe, column, Value::Kind::kString);
    case TypeKind::kBinary:
      return std::make_unique<BytesReader>(stripe, column, Value::Kind::kBinary);
    case TypeKind::kTimestamp:
      return std::make_unique<TimestampReader>(stripe, column, *stripe.clock);
    case TypeKind::kTimestampInstant: {
      static const WriterClock kUtc = *WriterClock::Create("UTC");
      return std::make_unique<TimestampReader>(stripe, column, kUtc);
    }
    case TypeKind::kDecimal: return std::make_unique<DecimalReader>(stripe, column);
    case TypeKind::kStruct:
      return std::make_unique<StructReader>(stripe, column, std::move(children));
    case TypeKind::kList:
    case TypeKind::kMap:
      return std::make_unique<RepeatedReader>(stripe, column, std::move(children));
    case TypeKind::kUnion:
      return std::make_unique<UnionReader>(stripe, column, std::move(children));
  }
  return Fail(ErrorCode::kCorruption, Describe(column) + ": unknown type kind");
}

Status ColumnReader::Load(uint64_t count) {
  index_of_entry_.clear();
  uint64_t values = count;
  auto present = OptionalStream(StreamKind::kPresent);
  if (!present) return std::unexpected(present.error());
  if (*present != nullptr) {
    auto bits = DecodeBooleans(**present, count);
    if (!bits) return std::unexpected(bits.error());
    index_of_entry_.reserve(count);
    values = 0;
    for (uint8_t bit : *bits) {
      index_of_entry_.push_back(bit != 0 ? static_cast<int64_t>(values++) : -1);
    }
  }
  if (values == 0) return {};  // writers may omit the streams of a column with no values
  if (auto status = LoadValues(values); !status) {
    return Fail(status.error().code, status.error().message.starts_with("ORC column")
                                         ? status.error().message
                                         : Describe(column_) + ": " + status.error().message);
  }
  return {};
}

Value ColumnReader::Get(uint64_t entry) const {
  if (index_of_entry_.empty()) return GetValue(entry);
  const int64_t index = index_of_entry_[entry];
  return index < 0 ? Value{} : GetValue(static_cast<uint64_t>(index));
}

IntRle ColumnReader::rle() const {
  return encoding().kind == EncodingKind::kDirectV2 || encoding().kind == EncodingKind::kDictionaryV2
             ? IntRle::kV2
             : IntRle::kV1;
}

bool ColumnReader::is_dictionary() const {
  return encoding().kind == EncodingKind::kDictionary ||
         encoding().kind == EncodingKind::kDictionaryV2;
}

Result<std::string_view> ColumnReader::RequiredStream(StreamKind kind, std::string_view what) const {
  auto stream = OptionalStream(kind);
  if (!stream) return std::unexpected(stream.error());
  if (*stream == nullptr) {
    return Fail(ErrorCode::kCorruption,
                Describe(column_) + ": " + std::string(what) + " stream not found");
  }
  return std::string_view(**stream);
}

Result<const std::string*> ColumnReader::OptionalStream(StreamKind kind) const {
  return stripe_.Stream(column_, kind);
}

Result<const std::string*> StripeData::Stream(uint64_t column, StreamKind kind) const {
  const std::pair key{column, kind};
  if (const auto it = decompressed.find(key); it != decompressed.end()) return &it->second;
  const auto raw = raw_streams.find(key);
  if (raw == raw_streams.end()) return nullptr;
  auto data = DecompressStream(compression, block_size, raw->second);
  if (!data) return std::unexpected(data.error());
  return &decompressed.emplace(key, std::move(*data)).first->second;
}

}  // namespace sluice::formats::orc::test_reader
