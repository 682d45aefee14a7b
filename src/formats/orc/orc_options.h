#pragma once
// Firehose's OrcSerDe options (OutputFormatConfiguration.Serializer.OrcSerDe), with its defaults.
// What each one does in this writer is in README.md.

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::formats::orc {

// Values are orc_proto.proto's CompressionKind numbers.
enum class Compression { kNone = 0, kZlib = 1, kSnappy = 2 };
enum class FormatVersion { kV0_11, kV0_12 };

struct OrcWriterOptions {
  Compression compression = Compression::kSnappy;
  int64_t stripe_size_bytes = 64ll << 20;  // StripeSizeBytes
  int64_t block_size_bytes = 256ll << 20;  // BlockSizeBytes: accepted, no effect (no padding)
  int64_t row_index_stride = 10000;        // RowIndexStride: rows per row index entry; 0: no index
  bool enable_padding = false;             // EnablePadding: accepted, no effect
  double padding_tolerance = 0.05;         // PaddingTolerance: accepted, no effect
  // Top-level columns (matched ignoring case) whose primitive columns get a bloom filter per
  // row group; timestamp and decimal columns get none. Needs a row index.
  std::vector<std::string> bloom_filter_columns;
  double bloom_filter_false_positive_probability = 0.05;
  // A string column of a stripe is dictionary-encoded when its distinct values are at most this
  // fraction of its non-null values (Hive's default 0.8); 0 turns dictionaries off.
  double dictionary_key_threshold = 0.8;
  FormatVersion format_version = FormatVersion::kV0_12;
  // Size of the chunks streams are compressed in (ORC's default, 256 KiB).
  uint32_t compression_block_size = 256 * 1024;
};

}  // namespace sluice::formats::orc
