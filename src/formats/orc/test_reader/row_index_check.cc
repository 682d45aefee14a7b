#include "formats/orc/test_reader/row_index_check.h"

#include <algorithm>
#include <bit>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "formats/orc/bloom_filter.h"
#include "formats/orc/test_reader/decompress.h"
#include "formats/orc/test_reader/proto_reader.h"
#include "formats/orc/test_reader/rle_decoders.h"

namespace sluice::formats::orc::test_reader {
namespace {

// A stream the stripe may leave out when the column has no values in it.
Result<std::string_view> StreamOrEmpty(const StripeData& stripe, uint64_t column, StreamKind kind) {
  auto stream = stripe.Stream(column, kind);
  if (!stream) return std::unexpected(stream.error());
  return *stream == nullptr ? std::string_view() : std::string_view(**stream);
}

std::unexpected<Error> Wrong(uint64_t column, size_t group, const std::string& what) {
  return Fail(ErrorCode::kCorruption, "row index of column " + std::to_string(column) +
                                          ", group " + std::to_string(group) + ": " + what);
}

using StreamKey = std::pair<uint64_t, StreamKind>;

// Where each compression chunk of a stream starts: {in the stored stream, in the decompressed}.
Result<std::vector<std::pair<uint64_t, uint64_t>>> ChunkMap(const StripeData& stripe,
                                                          std::string_view raw) {
  std::vector<std::pair<uint64_t, uint64_t>> chunks;
  uint64_t stored = 0;
  uint64_t decompressed = 0;
  while (stored + 3 <= raw.size()) {
    const uint32_t header = static_cast<uint8_t>(raw[stored]) |
                            static_cast<uint32_t>(static_cast<uint8_t>(raw[stored + 1])) << 8 |
                            static_cast<uint32_t>(static_cast<uint8_t>(raw[stored + 2])) << 16;
    const uint64_t length = 3 + (header >> 1);
    auto chunk = DecompressStream(stripe.compression, stripe.block_size, raw.substr(stored, length));
    if (!chunk) return std::unexpected(chunk.error());
    chunks.emplace_back(stored, decompressed);
    stored += length;
    decompressed += chunk->size();
  }
  chunks.emplace_back(stored, decompressed);  // the end of the stream
  return chunks;
}

// Streams decoded once per stripe, shared by every row group's checks.
struct DecodedStreams {
  std::map<StreamKey, std::vector<int64_t>> values;
  std::map<StreamKey, std::vector<std::pair<uint64_t, uint64_t>>> chunks;
};

class Checker {
 public:
  Checker(const StripeData& stripe, DecodedStreams& decoded, uint64_t column, size_t group,
          std::deque<uint64_t> positions)
      : stripe_(stripe),
        decoded_(decoded),
        column_(column),
        group_(group),
        positions_(std::move(positions)) {}

  // The offset in the decompressed stream that the next stream positions point to.
  Result<uint64_t> Offset(StreamKind kind) {
    auto first = Pop();
    if (!first) return std::unexpected(first.error());
    if (stripe_.compression == CompressionKind::kNone) return *first;
    auto within = Pop();
    if (!within) return std::unexpected(within.error());
    const StreamKey key{column_, kind};
    auto cached = decoded_.chunks.find(key);
    if (cached == decoded_.chunks.end()) {
      const auto it = stripe_.raw_streams.find(key);
      auto chunks = ChunkMap(stripe_, it == stripe_.raw_streams.end() ? std::string_view() : it->second);
      if (!chunks) return std::unexpected(chunks.error());
      cached = decoded_.chunks.emplace(key, std::move(*chunks)).first;
    }
    const auto& chunks = cached->second;
    const auto chunk = std::lower_bound(chunks.begin(), chunks.end(), std::pair{*first, uint64_t{0}});
    if (chunk == chunks.end() || chunk->first != *first) {
      return Wrong(column_, group_, "chunk start " + std::to_string(*first) + " is not a chunk boundary");
    }
    return chunk->second + *within;
  }

  // An integer or byte RLE stream: the run at the offset, after skipping values, must give the
  // value at `index` of the whole stream.
  Status Rle(StreamKind kind, uint64_t index, const std::vector<int64_t>& all, bool is_signed,
             std::optional<IntRle> version) {
    auto offset = Offset(kind);
    if (!offset) return std::unexpected(offset.error());
    auto skip = Pop();
    if (!skip) return std::unexpected(skip.error());
    if (index >= all.size()) return {};
    auto stream = StreamOrEmpty(stripe_, column_, kind);
    if (!stream || *offset > stream->size()) return Wrong(column_, group_, "offset past the stream");
    const std::string_view rest = stream->substr(*offset);
    if (version) {
      auto values = DecodeIntRle(rest, *skip + 1, is_signed, *version);
      if (!values || values->back() != all[index]) return Wrong(column_, group_, Name(kind) + " value");
    } else {
      auto values = DecodeByteRle(rest, *skip + 1);
      if (!values || values->back() != static_cast<uint8_t>(all[index])) {
        return Wrong(column_, group_, Name(kind) + " byte");
      }
    }
    return {};
  }

  Status Booleans(StreamKind kind, uint64_t index, const std::vector<int64_t>& all) {
    auto offset = Offset(kind);
    if (!offset) return std::unexpected(offset.error());
    auto byte_skip = Pop();
    auto bit = Pop();
    if (!byte_skip || !bit) return Wrong(column_, group_, "missing boolean positions");
    if (index >= all.size()) return {};
    auto stream = StreamOrEmpty(stripe_, column_, kind);
    if (!stream || *offset > stream->size()) return Wrong(column_, group_, "offset past the stream");
    auto bits = DecodeBooleans(stream->substr(*offset), *byte_skip * 8 + *bit + 1);
    if (!bits || bits->back() != all[index] || *bit != index % 8) {
      return Wrong(column_, group_, Name(kind) + " bit");
    }
    return {};
  }

  // A stream read as bytes: the positions must point at `expected_offset`.
  Status Raw(StreamKind kind, uint64_t expected_offset) {
    auto offset = Offset(kind);
    if (!offset) return std::unexpected(offset.error());
    if (*offset != expected_offset) {
      return Wrong(column_, group_, Name(kind) + " offset " + std::to_string(*offset) +
                                        ", expected " + std::to_string(expected_offset));
    }
    return {};
  }

  bool done() const { return positions_.empty(); }

 private:
  static std::string Name(StreamKind kind) { return "stream kind " + std::to_string(static_cast<int>(kind)); }

  Result<uint64_t> Pop() {
    if (positions_.empty()) return Wrong(column_, group_, "too few positions");
    const uint64_t value = positions_.front();
    positions_.pop_front();
    return value;
  }

  const StripeData& stripe_;
  DecodedStreams& decoded_;
  uint64_t column_;
  size_t group_;
  std::deque<uint64_t> positions_;
};

class IndexWalker {
 public:
  explicit IndexWalker(const StripeData& stripe) : stripe_(stripe) {}

  // `starts`: the column's entry index where each row group starts; `count`: its entries.
  Status Walk(uint64_t column, const std::vector<uint64_t>& starts, uint64_t count) {
    const OrcType& type = (*stripe_.types)[column];
    const ColumnEncoding& encoding = stripe_.footer.encodings[column];
    const IntRle rle = encoding.kind == EncodingKind::kDirectV2 ||
                               encoding.kind == EncodingKind::kDictionaryV2
                           ? IntRle::kV2
                           : IntRle::kV1;
    auto present_stream = stripe_.Stream(column, StreamKind::kPresent);
    if (!present_stream) return std::unexpected(present_stream.error());
    const bool has_present = *present_stream != nullptr;
    std::vector<int64_t> present;
    std::vector<uint64_t> value_starts = starts;
    uint64_t values = count;
    if (has_present) {
      auto bits = DecodeBooleans(**present_stream, count);
      if (!bits) return std::unexpected(bits.error());
      present.assign(bits->begin(), bits->end());
      std::vector<uint64_t> prefix(count + 1, 0);
      for (uint64_t i = 0; i < count; ++i) prefix[i + 1] = prefix[i] + present[i];
      for (auto& start : value_starts) start = prefix[std::min(start, count)];
      values = prefix[count];
    }
    auto index_stream = stripe_.Stream(column, StreamKind::kRowIndex);
    if (!index_stream) return std::unexpected(index_stream.error());
    if (*index_stream != nullptr) {
      auto entries = ParseRowIndex(**index_stream);
      if (!entries) return std::unexpected(entries.error());
      if (entries->size() != starts.size()) {
        return Wrong(column, 0, std::to_string(entries->size()) + " entries for " +
                                    std::to_string(starts.size()) + " row groups");
      }
      for (size_t g = 0; g < starts.size(); ++g) {
        Checker checker(stripe_, decoded_, column, g,
                        std::deque<uint64_t>((*entries)[g].positions.begin(),
                                             (*entries)[g].positions.end()));
        if (has_present) {
          if (auto s = checker.Booleans(StreamKind::kPresent, starts[g], present); !s) return s;
        }
        // Java writers may leave the first entry of a column they turned from dictionary to
        // direct encoding without positions; a reader starts that group at the streams' start.
        if (g == 0 && (*entries)[g].positions.empty()) {
          ++checked_.row_index_entries;
          continue;
        }
        if (auto s = CheckValues(checker, column, type, encoding, rle, value_starts[g], values); !s) {
          return s;
        }
        if (!checker.done()) return Wrong(column, g, "positions left over");
        ++checked_.row_index_entries;
      }
    }
    if (auto s = CheckBloomFilters(column, type, starts, count); !s) return s;
    return WalkChildren(column, type, rle, value_starts, values);
  }

  const IndexCheck& checked() const { return checked_; }

 private:
  // A whole stream decoded once: integers, bytes (`rle` nullopt) or booleans (`bits`).
  Result<const std::vector<int64_t>*> Decode(uint64_t column, StreamKind kind, uint64_t count,
                                             bool is_signed, std::optional<IntRle> rle,
                                             bool bits = false) {
    const StreamKey key{column, kind};
    if (const auto it = decoded_.values.find(key); it != decoded_.values.end()) return &it->second;
    auto stream = StreamOrEmpty(stripe_, column, kind);
    if (!stream) return std::unexpected(stream.error());
    std::vector<int64_t> values;
    if (rle) {
      auto ints = DecodeIntRle(*stream, count, is_signed, *rle);
      if (!ints) return std::unexpected(ints.error());
      values = std::move(*ints);
    } else {
      auto bytes = bits ? DecodeBooleans(*stream, count) : DecodeByteRle(*stream, count);
      if (!bytes) return std::unexpected(bytes.error());
      values.assign(bytes->begin(), bytes->end());
    }
    return &decoded_.values.emplace(key, std::move(values)).first->second;
  }

  Result<const std::vector<int64_t>*> Ints(uint64_t column, StreamKind kind, uint64_t count,
                                           bool is_signed, IntRle rle) {
    return Decode(column, kind, count, is_signed, rle);
  }

  // Where each value starts in a stream of values with these lengths (plus the end), once per
  // column.
  const std::vector<uint64_t>& Offsets(uint64_t column, const std::vector<int64_t>& lengths) {
    auto [it, inserted] = offsets_.try_emplace(column);
    if (inserted) {
      it->second.push_back(0);
      for (int64_t length : lengths) it->second.push_back(it->second.back() + static_cast<uint64_t>(length));
    }
    return it->second;
  }

  Status CheckValues(Checker& checker, uint64_t column, const OrcType& type,
                     const ColumnEncoding& encoding, IntRle rle, uint64_t index, uint64_t values) {
    switch (type.kind) {
      case TypeKind::kStruct: return {};
      case TypeKind::kBoolean: {
        auto bits = Decode(column, StreamKind::kData, values, false, std::nullopt, true);
        if (!bits) return std::unexpected(bits.error());
        return checker.Booleans(StreamKind::kData, index, **bits);
      }
      case TypeKind::kByte:
      case TypeKind::kUnion: {
        auto bytes = Decode(column, StreamKind::kData, values, false, std::nullopt);
        if (!bytes) return std::unexpected(bytes.error());
        return checker.Rle(StreamKind::kData, index, **bytes, false, std::nullopt);
      }
      case TypeKind::kShort:
      case TypeKind::kInt:
      case TypeKind::kLong:
      case TypeKind::kDate: {
        auto all = Ints(column, StreamKind::kData, values, true, rle);
        if (!all) return std::unexpected(all.error());
        return checker.Rle(StreamKind::kData, index, **all, true, rle);
      }
      case TypeKind::kFloat: return checker.Raw(StreamKind::kData, index * 4);
      case TypeKind::kDouble: return checker.Raw(StreamKind::kData, index * 8);
      case TypeKind::kString:
      case TypeKind::kVarchar:
      case TypeKind::kChar:
      case TypeKind::kBinary: {
        if (encoding.kind == EncodingKind::kDictionary || encoding.kind == EncodingKind::kDictionaryV2) {
          auto ids = Ints(column, StreamKind::kData, values, false, rle);
          if (!ids) return std::unexpected(ids.error());
          return checker.Rle(StreamKind::kData, index, **ids, false, rle);
        }
        auto lengths = Ints(column, StreamKind::kLength, values, false, rle);
        if (!lengths) return std::unexpected(lengths.error());
        auto offsets = Offsets(column, **lengths);
        if (auto s = checker.Raw(StreamKind::kData, offsets[std::min<size_t>(index, offsets.size() - 1)]); !s) {
          return s;
        }
        return checker.Rle(StreamKind::kLength, index, **lengths, false, rle);
      }
      case TypeKind::kTimestamp:
      case TypeKind::kTimestampInstant: {
        auto seconds = Ints(column, StreamKind::kData, values, true, rle);
        auto nanos = Ints(column, StreamKind::kSecondary, values, false, rle);
        if (!seconds || !nanos) return Wrong(column, 0, "timestamp streams unreadable");
        if (auto s = checker.Rle(StreamKind::kData, index, **seconds, true, rle); !s) return s;
        return checker.Rle(StreamKind::kSecondary, index, **nanos, false, rle);
      }
      case TypeKind::kDecimal: {
        if (stripe_.decimal64_as_rle && type.precision.value_or(0) <= 18) {
          auto all = Ints(column, StreamKind::kData, values, true, IntRle::kV2);
          if (!all) return std::unexpected(all.error());
          return checker.Rle(StreamKind::kData, index, **all, true, IntRle::kV2);
        }
        auto stream = StreamOrEmpty(stripe_, column, StreamKind::kData);
        if (!stream) return std::unexpected(stream.error());
        // The decimal's varints, as lengths: bytes up to and including one without bit 7.
        std::vector<int64_t> lengths;
        int64_t length = 0;
        for (char c : *stream) {
          ++length;
          if ((static_cast<uint8_t>(c) & 0x80) == 0) {
            lengths.push_back(length);
            length = 0;
          }
        }
        auto offsets = Offsets(column, lengths);
        if (auto s = checker.Raw(StreamKind::kData, offsets[std::min<size_t>(index, offsets.size() - 1)]); !s) {
          return s;
        }
        auto scales = Ints(column, StreamKind::kSecondary, values, true, rle);
        if (!scales) return std::unexpected(scales.error());
        return checker.Rle(StreamKind::kSecondary, index, **scales, true, rle);
      }
      case TypeKind::kList:
      case TypeKind::kMap: {
        auto lengths = Ints(column, StreamKind::kLength, values, false, rle);
        if (!lengths) return std::unexpected(lengths.error());
        return checker.Rle(StreamKind::kLength, index, **lengths, false, rle);
      }
    }
    return Wrong(column, 0, "unknown type");
  }

  Status WalkChildren(uint64_t column, const OrcType& type, IntRle rle,
                      const std::vector<uint64_t>& value_starts, uint64_t values) {
    if (type.subtypes.empty()) return {};
    std::vector<std::vector<uint64_t>> child_starts(type.subtypes.size());
    std::vector<uint64_t> child_counts(type.subtypes.size(), values);
    if (type.kind == TypeKind::kStruct) {
      child_starts.assign(type.subtypes.size(), value_starts);
    } else if (type.kind == TypeKind::kUnion) {
      auto stream = StreamOrEmpty(stripe_, column, StreamKind::kData);
      if (!stream) return std::unexpected(stream.error());
      auto tags = DecodeByteRle(*stream, values);
      if (!tags) return std::unexpected(tags.error());
      std::fill(child_counts.begin(), child_counts.end(), 0);
      size_t next = 0;
      for (uint64_t i = 0; i <= values; ++i) {
        for (; next < value_starts.size() && value_starts[next] == i; ++next) {
          for (size_t k = 0; k < child_starts.size(); ++k) child_starts[k].push_back(child_counts[k]);
        }
        if (i < values && (*tags)[i] < child_counts.size()) ++child_counts[(*tags)[i]];
      }
    } else {
      auto lengths = Ints(column, StreamKind::kLength, values, false, rle);
      if (!lengths) return std::unexpected(lengths.error());
      std::vector<uint64_t> prefix(values + 1, 0);
      for (uint64_t i = 0; i < values; ++i) prefix[i + 1] = prefix[i] + static_cast<uint64_t>((**lengths)[i]);
      for (auto& starts : child_starts) {
        for (uint64_t start : value_starts) starts.push_back(prefix[std::min(start, values)]);
      }
      std::fill(child_counts.begin(), child_counts.end(), prefix[values]);
    }
    for (size_t k = 0; k < type.subtypes.size(); ++k) {
      if (auto s = Walk(type.subtypes[k], child_starts[k], child_counts[k]); !s) return s;
    }
    return {};
  }

  // The 64-bit hash ORC's bloom filters use for a value; nullopt for types not checked.
  static std::optional<uint64_t> BloomHash(const Value& value) {
    switch (value.kind) {
      case Value::Kind::kBool:
      case Value::Kind::kInt:
      case Value::Kind::kDate: return IntegerHash64(value.int_value);
      case Value::Kind::kFloat:
      case Value::Kind::kDouble: return IntegerHash64(std::bit_cast<int64_t>(value.double_value));
      case Value::Kind::kString:
      case Value::Kind::kBinary: return Murmur3Hash64(value.text);
      default: return std::nullopt;
    }
  }

  Status CheckBloomFilters(uint64_t column, const OrcType& type, const std::vector<uint64_t>& starts,
                           uint64_t count) {
    auto stream = stripe_.Stream(column, StreamKind::kBloomFilterUtf8);
    if (!stream) return std::unexpected(stream.error());
    if (*stream == nullptr || !type.subtypes.empty() || type.kind == TypeKind::kTimestamp ||
        type.kind == TypeKind::kTimestampInstant || type.kind == TypeKind::kDecimal) {
      return {};
    }
    struct Filter {
      int hash_functions = 0;
      std::vector<uint64_t> words;
    };
    std::vector<Filter> filters;
    ProtoReader index(**stream);
    for (auto more = index.Next(); more && *more; more = index.Next()) {
      if (index.field() != 1) continue;
      Filter& filter = filters.emplace_back();
      ProtoReader message(index.bytes());
      for (auto field = message.Next(); field && *field; field = message.Next()) {
        if (message.field() == 1) filter.hash_functions = static_cast<int>(message.number());
        if (message.field() == 3) {
          const std::string_view bytes = message.bytes();
          for (size_t i = 0; i + 8 <= bytes.size(); i += 8) {
            uint64_t word = 0;
            for (size_t b = 0; b < 8; ++b) word |= uint64_t{static_cast<uint8_t>(bytes[i + b])} << (8 * b);
            filter.words.push_back(word);
          }
        }
      }
    }
    if (filters.size() != starts.size()) {
      return Wrong(column, 0, std::to_string(filters.size()) + " bloom filters for " +
                                  std::to_string(starts.size()) + " row groups");
    }
    auto reader = ColumnReader::Create(stripe_, column);
    if (!reader) return std::unexpected(reader.error());
    if (auto s = (*reader)->Load(count); !s) return s;
    for (size_t g = 0; g < starts.size(); ++g) {
      const Filter& filter = filters[g];
      if (filter.words.empty() || filter.hash_functions < 1) return Wrong(column, g, "empty bloom filter");
      const uint64_t end = g + 1 < starts.size() ? starts[g + 1] : count;
      bool holds_all = true;
      for (uint64_t entry = starts[g]; entry < end; ++entry) {
        const auto hash = BloomHash((*reader)->Get(entry));
        if (!hash) continue;
        bool found = true;
        ForEachBloomBit(*hash, filter.hash_functions, filter.words.size(), [&](size_t word, unsigned bit) {
          found = found && (filter.words[word] >> bit & 1) != 0;
        });
        if (!found) {
          checked_.bloom_misses.push_back("column " + std::to_string(column) + ", group " +
                                          std::to_string(g) + ": entry " + std::to_string(entry));
          holds_all = false;
        }
      }
      if (holds_all) ++checked_.bloom_filters;
    }
    return {};
  }

  const StripeData& stripe_;
  DecodedStreams decoded_;
  std::map<uint64_t, std::vector<uint64_t>> offsets_;
  IndexCheck checked_;
};

}  // namespace

Result<IndexCheck> CheckRowIndex(const StripeData& stripe, uint64_t rows, uint64_t row_index_stride) {
  if (row_index_stride == 0) return IndexCheck{};
  std::vector<uint64_t> starts;
  for (uint64_t row = 0; row < rows; row += row_index_stride) starts.push_back(row);
  IndexWalker walker(stripe);
  if (auto status = walker.Walk(0, starts, rows); !status) return std::unexpected(status.error());
  return walker.checked();
}

}  // namespace sluice::formats::orc::test_reader
