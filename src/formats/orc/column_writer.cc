#include "formats/orc/column_writer.h"

#include <algorithm>
#include <bit>
#include <span>
#include <string_view>
#include <unordered_map>

#include "formats/orc/bloom_filter.h"
#include "formats/orc/protobuf_writer.h"
#include "formats/orc/rle_encoders.h"

namespace sluice::formats::orc {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kOrcEpochSeconds = 1420070400;  // 2015-01-01 00:00:00 UTC, ORC's timestamp base

// orc_proto.proto ColumnEncoding.Kind.
constexpr int kDirect = 0;
constexpr int kDictionary = 1;
constexpr int kDirectV2 = 2;
constexpr int kDictionaryV2 = 3;
constexpr uint64_t kRowIndexStream = 6;  // orc_proto.proto Stream.Kind ROW_INDEX
constexpr uint64_t kBloomFilterUtf8Stream = 8;  // Stream.Kind BLOOM_FILTER_UTF8
constexpr uint64_t kBloomEncodingUtf8 = 1;      // ColumnEncoding.bloomEncoding: UTF-8 strings

bool IsText(HiveKind kind) {
  return kind == HiveKind::kString || kind == HiveKind::kVarchar || kind == HiveKind::kChar;
}

// char(n) values are stored padded with spaces to n characters, as Hive does.
void PadChar(std::string& bytes, size_t start, int length) {
  size_t characters = 0;
  for (size_t i = start; i < bytes.size(); ++i) {
    if ((static_cast<uint8_t>(bytes[i]) & 0xc0) != 0x80) ++characters;
  }
  if (characters < static_cast<size_t>(length)) bytes.append(length - characters, ' ');
}

// The SECONDARY value of a timestamp: nanoseconds with trailing decimal zeros dropped, their
// count minus one in the low 3 bits.
int64_t EncodeNanos(int64_t nanos) {
  if (nanos == 0) return 0;
  int zeros = 0;
  while (zeros < 8 && nanos % 10 == 0) {
    nanos /= 10;
    ++zeros;
  }
  if (zeros < 2) {
    for (; zeros > 0; --zeros) nanos *= 10;
    return nanos << 3;
  }
  return (nanos << 3) | (zeros - 1);
}

void AppendZigZagVarint128(Int128 value, std::string& out) {
  __extension__ using Uint128 = unsigned __int128;
  Uint128 zigzag = (static_cast<Uint128>(value) << 1) ^ static_cast<Uint128>(value >> 127);
  while (zigzag >= 0x80) {
    out.push_back(static_cast<char>((zigzag & 0x7f) | 0x80));
    zigzag >>= 7;
  }
  out.push_back(static_cast<char>(zigzag));
}

template <typename T>
void AppendLittleEndian(T value, std::string& out) {
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  const auto bits = std::bit_cast<Bits>(value);
  for (size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>(bits >> (8 * i)));
}

}  // namespace

ColumnWriter::ColumnWriter(uint32_t id, const HiveType& type, const OrcWriterOptions& options,
                           bool bloom_filter)
    : id_(id),
      type_(type),
      options_(options),
      bloom_filter_(bloom_filter && SupportsBloomFilter(type.kind) && options.row_index_stride > 0),
      stripe_stats_(type.kind, type.scale),
      file_stats_(type.kind, type.scale) {}

bool ColumnWriter::SupportsBloomFilter(HiveKind kind) {
  switch (kind) {
    case HiveKind::kTimestamp:
    case HiveKind::kDecimal:
    case HiveKind::kArray:
    case HiveKind::kMap:
    case HiveKind::kStruct:
      return false;
    default:
      return true;
  }
}

void ColumnWriter::AddNull() { present_.push_back(0); }

void ColumnWriter::AddPresent() { present_.push_back(1); }

void ColumnWriter::AddLength(uint64_t length) { ints_.push_back(static_cast<int64_t>(length)); }

void ColumnWriter::AddValue(const Value& value) {
  present_.push_back(1);
  if (const auto* b = std::get_if<bool>(&value)) {
    ints_.push_back(*b ? 1 : 0);
  } else if (const auto* i = std::get_if<int64_t>(&value)) {
    ints_.push_back(*i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    doubles_.push_back(*d);
  } else if (const auto* decimal = std::get_if<Decimal>(&value)) {
    decimals_.push_back(decimal->unscaled);
  } else {
    const size_t start = bytes_.size();
    bytes_.append(TextOf(value));
    if (type_.kind == HiveKind::kChar) PadChar(bytes_, start, type_.length);
    lengths_.push_back(static_cast<int64_t>(bytes_.size() - start));
  }
}

ColumnWriter::Mark ColumnWriter::mark() const {
  return {present_.size(), ints_.size(), doubles_.size(),
          bytes_.size(),   lengths_.size(), decimals_.size()};
}

void ColumnWriter::Rollback(const Mark& m) {
  present_.resize(m.present);
  ints_.resize(m.ints);
  doubles_.resize(m.doubles);
  bytes_.resize(m.bytes);
  lengths_.resize(m.lengths);
  decimals_.resize(m.decimals);
}

size_t ColumnWriter::buffered_bytes() const {
  return present_.size() + ints_.size() * sizeof(int64_t) + doubles_.size() * sizeof(double) +
         bytes_.size() + lengths_.size() * sizeof(int64_t) + decimals_.size() * sizeof(Int128);
}

ColumnWriter::Groups ColumnWriter::MakeGroups() const {
  Groups groups;
  groups.entries = group_starts_.empty() ? std::vector<size_t>{0} : group_starts_;
  groups.entries.push_back(present_.size());
  size_t values = 0;
  size_t entry = 0;
  for (size_t group_start : groups.entries) {
    for (; entry < group_start; ++entry) values += present_[entry];
    groups.values.push_back(values);
  }
  if (IsText(type_.kind) || type_.kind == HiveKind::kBinary) {
    groups.text_offsets.reserve(lengths_.size() + 1);
    size_t offset = 0;
    for (int64_t length : lengths_) {
      groups.text_offsets.push_back(offset);
      offset += static_cast<size_t>(length);
    }
    groups.text_offsets.push_back(offset);
  }
  return groups;
}

ColumnWriter::Stream ColumnWriter::Integers(StreamKind kind, const std::vector<int64_t>& values,
                                            bool is_signed, const std::vector<size_t>& starts) const {
  Stream stream{kind, {}, {}, {}};
  for (size_t g = 0; g + 1 < starts.size(); ++g) {
    stream.group_offsets.push_back(stream.bytes.size());
    stream.group_extra.push_back({0});
    const auto segment = std::span(values).subspan(starts[g], starts[g + 1] - starts[g]);
    if (options_.format_version == FormatVersion::kV0_11) {
      EncodeIntRleV1(segment, is_signed, stream.bytes);
    } else {
      EncodeIntRleV2(segment, is_signed, stream.bytes);
    }
  }
  return stream;
}

ColumnWriter::Stream ColumnWriter::Bytes(StreamKind kind, const std::vector<uint8_t>& values,
                                         const std::vector<size_t>& starts) const {
  Stream stream{kind, {}, {}, {}};
  for (size_t g = 0; g + 1 < starts.size(); ++g) {
    stream.group_offsets.push_back(stream.bytes.size());
    stream.group_extra.push_back({0});
    EncodeByteRle(std::span(values).subspan(starts[g], starts[g + 1] - starts[g]), stream.bytes);
  }
  return stream;
}

ColumnWriter::Stream ColumnWriter::Booleans(StreamKind kind, const std::vector<uint8_t>& bits,
                                            const std::vector<size_t>& starts) const {
  const std::vector<uint8_t> packed = PackBooleans(bits);
  // Byte runs are cut at the byte holding each group's first bit.
  std::vector<size_t> byte_starts;
  for (size_t g = 0; g + 1 < starts.size(); ++g) byte_starts.push_back(starts[g] / 8);
  byte_starts.push_back(packed.size());
  Stream stream = Bytes(kind, packed, byte_starts);
  for (size_t g = 0; g < stream.group_extra.size(); ++g) {
    stream.group_extra[g].push_back(starts[g] % 8);
  }
  return stream;
}

std::vector<ColumnWriter::Stream> ColumnWriter::TextStreams(const Groups& groups, int& encoding,
                                                            uint64_t& dictionary_size) const {
  const bool v2 = options_.format_version == FormatVersion::kV0_12;
  std::unordered_map<std::string_view, int64_t> index;
  if (IsText(type_.kind) && options_.dictionary_key_threshold > 0) {
    for (size_t i = 0; i < lengths_.size(); ++i) {
      index.emplace(std::string_view(bytes_).substr(groups.text_offsets[i],
                                                    static_cast<size_t>(lengths_[i])), 0);
    }
  }
  const bool dictionary =
      !index.empty() && static_cast<double>(index.size()) <=
                            options_.dictionary_key_threshold * static_cast<double>(lengths_.size());
  if (!dictionary) {
    encoding = v2 ? kDirectV2 : kDirect;
    Stream data{StreamKind::kData, bytes_, {}, {}};
    for (size_t g = 0; g < groups.count(); ++g) {
      data.group_offsets.push_back(groups.text_offsets[groups.values[g]]);
      data.group_extra.emplace_back();
    }
    std::vector<Stream> streams;
    streams.push_back(std::move(data));
    streams.push_back(Integers(StreamKind::kLength, lengths_, false, groups.values));
    return streams;
  }
  // A sorted dictionary, as the reference writers produce.
  std::vector<std::string_view> keys;
  keys.reserve(index.size());
  for (const auto& entry : index) keys.push_back(entry.first);
  std::sort(keys.begin(), keys.end());
  Stream blob{StreamKind::kDictionaryData, {}, {}, {}};
  std::vector<int64_t> key_lengths;
  key_lengths.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    index[keys[i]] = static_cast<int64_t>(i);
    blob.bytes.append(keys[i]);
    key_lengths.push_back(static_cast<int64_t>(keys[i].size()));
  }
  std::vector<int64_t> ids;
  ids.reserve(lengths_.size());
  for (size_t i = 0; i < lengths_.size(); ++i) {
    ids.push_back(index[std::string_view(bytes_).substr(groups.text_offsets[i],
                                                        static_cast<size_t>(lengths_[i]))]);
  }
  encoding = v2 ? kDictionaryV2 : kDictionary;
  dictionary_size = keys.size();
  std::vector<Stream> streams;
  streams.push_back(Integers(StreamKind::kData, ids, false, groups.values));
  streams.push_back(std::move(blob));
  Stream lengths = Integers(StreamKind::kLength, key_lengths, false, {0, key_lengths.size()});
  lengths.group_offsets.clear();  // the dictionary is read whole: no positions
  lengths.group_extra.clear();
  streams.push_back(std::move(lengths));
  return streams;
}

std::vector<ColumnWriter::Stream> ColumnWriter::ValueStreams(const Groups& groups, int& encoding,
                                                             uint64_t& dictionary_size) const {
  const bool v2 = options_.format_version == FormatVersion::kV0_12;
  encoding = v2 ? kDirectV2 : kDirect;
  std::vector<Stream> streams;
  switch (type_.kind) {
    case HiveKind::kStruct:
      encoding = kDirect;
      break;
    case HiveKind::kBoolean:
    case HiveKind::kTinyint: {
      encoding = kDirect;
      const std::vector<uint8_t> bytes(ints_.begin(), ints_.end());
      streams.push_back(type_.kind == HiveKind::kBoolean
                            ? Booleans(StreamKind::kData, bytes, groups.values)
                            : Bytes(StreamKind::kData, bytes, groups.values));
      break;
    }
    case HiveKind::kSmallint:
    case HiveKind::kInt:
    case HiveKind::kBigint:
    case HiveKind::kDate:
      streams.push_back(Integers(StreamKind::kData, ints_, true, groups.values));
      break;
    case HiveKind::kFloat:
    case HiveKind::kDouble: {
      encoding = kDirect;
      const size_t width = type_.kind == HiveKind::kFloat ? 4 : 8;
      Stream data{StreamKind::kData, {}, {}, {}};
      for (double d : doubles_) {
        if (width == 4) {
          AppendLittleEndian(static_cast<float>(d), data.bytes);
        } else {
          AppendLittleEndian(d, data.bytes);
        }
      }
      for (size_t g = 0; g < groups.count(); ++g) {
        data.group_offsets.push_back(groups.values[g] * width);
        data.group_extra.emplace_back();
      }
      streams.push_back(std::move(data));
      break;
    }
    case HiveKind::kString:
    case HiveKind::kVarchar:
    case HiveKind::kChar:
    case HiveKind::kBinary:
      return TextStreams(groups, encoding, dictionary_size);
    case HiveKind::kDecimal: {
      Stream data{StreamKind::kData, {}, {}, {}};
      size_t group = 0;
      for (size_t i = 0; i < decimals_.size(); ++i) {
        for (; group < groups.count() && groups.values[group] == i; ++group) {
          data.group_offsets.push_back(data.bytes.size());
          data.group_extra.emplace_back();
        }
        AppendZigZagVarint128(decimals_[i], data.bytes);
      }
      for (; group < groups.count(); ++group) {
        data.group_offsets.push_back(data.bytes.size());
        data.group_extra.emplace_back();
      }
      streams.push_back(std::move(data));
      streams.push_back(Integers(StreamKind::kSecondary,
                                 std::vector<int64_t>(decimals_.size(), type_.scale), true,
                                 groups.values));
      break;
    }
    case HiveKind::kTimestamp: {
      std::vector<int64_t> seconds;
      std::vector<int64_t> nanos;
      seconds.reserve(ints_.size());
      nanos.reserve(ints_.size());
      for (int64_t t : ints_) {
        int64_t second = t / kNanosPerSecond;
        int64_t nano = t % kNanosPerSecond;
        if (nano < 0) {
          nano += kNanosPerSecond;
          --second;
        }
        // Readers take one second off a negative time whose fraction exceeds a millisecond
        // (the reference writers round such seconds toward zero).
        if (second < 0 && nano > 999'999) ++second;
        seconds.push_back(second - kOrcEpochSeconds);
        nanos.push_back(EncodeNanos(nano));
      }
      streams.push_back(Integers(StreamKind::kData, seconds, true, groups.values));
      streams.push_back(Integers(StreamKind::kSecondary, nanos, false, groups.values));
      break;
    }
    case HiveKind::kArray:
    case HiveKind::kMap:
      streams.push_back(Integers(StreamKind::kLength, ints_, false, groups.values));
      break;
  }
  return streams;
}

ColumnStatistics ColumnWriter::GroupStatistics(const Groups& groups, size_t group) const {
  ColumnStatistics stats(type_.kind, type_.scale);
  const size_t first = groups.values[group];
  const size_t end = groups.values[group + 1];
  const auto entries = std::span(present_).subspan(
      groups.entries[group], groups.entries[group + 1] - groups.entries[group]);
  if (std::find(entries.begin(), entries.end(), 0) != entries.end()) stats.AddNull();
  for (size_t i = first; i < end; ++i) {
    switch (type_.kind) {
      case HiveKind::kArray:
      case HiveKind::kMap:
      case HiveKind::kStruct: stats.AddCount(1); break;
      case HiveKind::kFloat:
      case HiveKind::kDouble: stats.AddDouble(doubles_[i]); break;
      case HiveKind::kDecimal: stats.AddDecimal(decimals_[i]); break;
      case HiveKind::kTimestamp: stats.AddTimestamp(ints_[i]); break;
      case HiveKind::kString:
      case HiveKind::kVarchar:
      case HiveKind::kChar:
      case HiveKind::kBinary:
        stats.AddBytes(std::string_view(bytes_).substr(groups.text_offsets[i],
                                                       static_cast<size_t>(lengths_[i])));
        break;
      default: stats.AddInteger(ints_[i]); break;
    }
  }
  return stats;
}

std::string ColumnWriter::BloomFilters(const Groups& groups) const {
  ProtobufWriter index;
  for (size_t g = 0; g < groups.count(); ++g) {
    BloomFilter filter(static_cast<uint64_t>(options_.row_index_stride),
                       options_.bloom_filter_false_positive_probability);
    for (size_t i = groups.values[g]; i < groups.values[g + 1]; ++i) {
      switch (type_.kind) {
        case HiveKind::kFloat:
        case HiveKind::kDouble: filter.AddDouble(doubles_[i]); break;
        case HiveKind::kString:
        case HiveKind::kVarchar:
        case HiveKind::kChar:
        case HiveKind::kBinary:
          filter.AddBytes(std::string_view(bytes_).substr(groups.text_offsets[i],
                                                          static_cast<size_t>(lengths_[i])));
          break;
        default: filter.AddInteger(ints_[i]); break;
      }
    }
    ProtobufWriter message;
    message.Varint(1, static_cast<uint64_t>(filter.hash_functions()));
    message.Bytes(3, filter.Bits());
    index.Bytes(1, message.bytes());
  }
  return index.Take();
}

Status ColumnWriter::EncodeStripe(ChunkCompressor& compressor, StripeStreams& out) {
  const Groups groups = MakeGroups();
  std::vector<Stream> streams;
  if (std::find(present_.begin(), present_.end(), 0) != present_.end()) {
    streams.push_back(Booleans(StreamKind::kPresent, present_, groups.entries));
  }
  int encoding = kDirect;
  uint64_t dictionary_size = 0;
  for (Stream& stream : ValueStreams(groups, encoding, dictionary_size)) {
    streams.push_back(std::move(stream));
  }

  std::vector<std::vector<uint64_t>> positions(groups.count());
  for (const Stream& stream : streams) {
    const size_t start = out.data.size();
    if (auto status = compressor.Append(stream.bytes, out.data); !status) return status;
    ProtobufWriter message;
    message.Varint(1, static_cast<uint64_t>(stream.kind));
    message.Varint(2, id_);
    message.Varint(3, out.data.size() - start);
    out.data_streams.push_back(message.Take());
    for (size_t g = 0; g < stream.group_offsets.size(); ++g) {
      compressor.AppendPosition(stream.group_offsets[g], positions[g]);
      positions[g].insert(positions[g].end(), stream.group_extra[g].begin(),
                          stream.group_extra[g].end());
    }
  }

  stripe_stats_ = ColumnStatistics(type_.kind, type_.scale);
  ProtobufWriter row_index;
  for (size_t g = 0; g < groups.count(); ++g) {
    const ColumnStatistics group_stats = GroupStatistics(groups, g);
    stripe_stats_.Merge(group_stats);
    ProtobufWriter entry;
    entry.PackedVarints(1, positions[g]);
    entry.Bytes(2, group_stats.Serialize());
    row_index.Bytes(1, entry.bytes());
  }
  file_stats_.Merge(stripe_stats_);
  if (options_.row_index_stride > 0) {
    const size_t start = out.index.size();
    if (auto status = compressor.Append(row_index.bytes(), out.index); !status) return status;
    ProtobufWriter message;
    message.Varint(1, kRowIndexStream);
    message.Varint(2, id_);
    message.Varint(3, out.index.size() - start);
    out.index_streams.push_back(message.Take());
  }
  if (bloom_filter_) {
    const size_t start = out.index.size();
    if (auto status = compressor.Append(BloomFilters(groups), out.index); !status) return status;
    ProtobufWriter message;
    message.Varint(1, kBloomFilterUtf8Stream);
    message.Varint(2, id_);
    message.Varint(3, out.index.size() - start);
    out.index_streams.push_back(message.Take());
  }

  ProtobufWriter message;
  message.Varint(1, static_cast<uint64_t>(encoding));
  if (encoding == kDictionary || encoding == kDictionaryV2) message.Varint(2, dictionary_size);
  if (bloom_filter_) message.Varint(3, kBloomEncodingUtf8);
  out.encodings.push_back(message.Take());
  Rollback(Mark{});
  group_starts_.clear();
  return {};
}

}  // namespace sluice::formats::orc
