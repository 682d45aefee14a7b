#pragma once
// One ORC column of a stripe being written: it buffers the column's entries (nulls included) as
// records arrive, and at the end of the stripe encodes them into the streams its type needs
// (PRESENT, DATA, LENGTH, DICTIONARY_DATA, SECONDARY), its row index (ROW_INDEX: positions and
// statistics at the start of every row group) and its statistics. Children of a struct, list or
// map are separate ColumnWriters that get one entry per value of their parent.
//
// No run-length run crosses a row group start, so every row index position inside a run is 0
// (booleans excepted: their position names the byte and the bit where the group starts).

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "formats/orc/chunk_compressor.h"
#include "formats/orc/column_statistics.h"
#include "formats/orc/orc_options.h"
#include "formats/schema/hive_type.h"
#include "formats/schema/value.h"

namespace sluice::formats::orc {

// What a stripe's columns produce: the index and data stream bytes (already compressed) and
// the serialized Stream and ColumnEncoding messages of its footer.
struct StripeStreams {
  std::string index;
  std::vector<std::string> index_streams;
  std::string data;
  std::vector<std::string> data_streams;
  std::vector<std::string> encodings;
};

class ColumnWriter {
 public:
  // `bloom_filter`: write a BLOOM_FILTER_UTF8 stream (one filter per row group) when the column
  // has a row index and its type supports it (see SupportsBloomFilter).
  ColumnWriter(uint32_t id, const HiveType& type, const OrcWriterOptions& options,
               bool bloom_filter);

  // Primitive types other than timestamp and decimal, whose bloom filter hashes this writer
  // does not produce.
  static bool SupportsBloomFilter(HiveKind kind);

  // Marks where the next row group starts (called before its first row, when a row index is
  // written).
  void StartRowGroup() { group_starts_.push_back(present_.size()); }
  void AddNull();
  void AddPresent();                // a struct, list or map value (its children are added apart)
  void AddLength(uint64_t length);  // list or map: the number of elements, after AddPresent
  void AddValue(const Value& value);  // a primitive value (not null)

  // Buffer sizes, to undo the entries of a record that failed half-way.
  struct Mark {
    size_t present, ints, doubles, bytes, lengths, decimals;
  };
  Mark mark() const;
  void Rollback(const Mark& mark);

  size_t buffered_bytes() const;

  // Encodes the stripe's entries into `out`, adds them to the statistics and clears the buffers.
  Status EncodeStripe(ChunkCompressor& compressor, StripeStreams& out);

  const ColumnStatistics& stripe_statistics() const { return stripe_stats_; }
  const ColumnStatistics& file_statistics() const { return file_stats_; }

 private:
  enum class StreamKind { kPresent = 0, kData = 1, kLength = 2, kDictionaryData = 3, kSecondary = 5 };

  // Row groups of the stripe: where each starts among the entries and among the values, plus
  // an end marker.
  struct Groups {
    std::vector<size_t> entries;
    std::vector<size_t> values;
    std::vector<size_t> text_offsets;  // string kinds and binary: where each value starts
    size_t count() const { return entries.size() - 1; }
  };

  // A stream's bytes before compression, with the offset where each row group starts and the
  // positions that follow it (inside a run, bit offset).
  struct Stream {
    StreamKind kind;
    std::string bytes;
    std::vector<uint64_t> group_offsets;
    std::vector<std::vector<uint64_t>> group_extra;
  };

  Groups MakeGroups() const;
  // Integer RLE (v1 or v2 by format version), cut at the row group starts.
  Stream Integers(StreamKind kind, const std::vector<int64_t>& values, bool is_signed,
                  const std::vector<size_t>& starts) const;
  Stream Bytes(StreamKind kind, const std::vector<uint8_t>& values,
               const std::vector<size_t>& starts) const;
  Stream Booleans(StreamKind kind, const std::vector<uint8_t>& bits,
                  const std::vector<size_t>& starts) const;
  // The streams of the column's values (not PRESENT); sets the encoding.
  std::vector<Stream> ValueStreams(const Groups& groups, int& encoding,
                                   uint64_t& dictionary_size) const;
  std::vector<Stream> TextStreams(const Groups& groups, int& encoding,
                                  uint64_t& dictionary_size) const;
  ColumnStatistics GroupStatistics(const Groups& groups, size_t group) const;
  // The serialized BloomFilterIndex of the stripe: one filter per row group.
  std::string BloomFilters(const Groups& groups) const;

  uint32_t id_;
  const HiveType& type_;
  const OrcWriterOptions& options_;
  bool bloom_filter_;
  std::vector<size_t> group_starts_;  // entries at which row groups start
  std::vector<uint8_t> present_;
  std::vector<int64_t> ints_;     // booleans, integers, dates, timestamps (ns), list/map lengths
  std::vector<double> doubles_;
  std::string bytes_;             // string kinds and binary: the values one after the other
  std::vector<int64_t> lengths_;  // ... and their lengths
  std::vector<Int128> decimals_;  // unscaled, at the column's scale
  ColumnStatistics stripe_stats_;
  ColumnStatistics file_stats_;
};

}  // namespace sluice::formats::orc
