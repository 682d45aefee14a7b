#pragma once
// Test-only: ORC's file tail (PostScript, Footer, Metadata) and stripe footers, decoded from
// their protobuf messages (field numbers from the ORC specification's orc_proto.proto).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace sluice::formats::orc::test_reader {

enum class CompressionKind { kNone = 0, kZlib = 1, kSnappy = 2, kLzo = 3, kLz4 = 4, kZstd = 5 };

enum class TypeKind {
  kBoolean = 0, kByte = 1, kShort = 2, kInt = 3, kLong = 4, kFloat = 5, kDouble = 6,
  kString = 7, kBinary = 8, kTimestamp = 9, kList = 10, kMap = 11, kStruct = 12, kUnion = 13,
  kDecimal = 14, kDate = 15, kVarchar = 16, kChar = 17, kTimestampInstant = 18,
};

enum class StreamKind {
  kPresent = 0, kData = 1, kLength = 2, kDictionaryData = 3, kDictionaryCount = 4,
  kSecondary = 5, kRowIndex = 6, kBloomFilter = 7, kBloomFilterUtf8 = 8,
};

enum class EncodingKind { kDirect = 0, kDictionary = 1, kDirectV2 = 2, kDictionaryV2 = 3 };

struct PostScript {
  uint64_t footer_length = 0;
  CompressionKind compression = CompressionKind::kNone;
  std::optional<uint64_t> block_size;
  std::vector<uint64_t> version;
  uint64_t metadata_length = 0;
  uint64_t writer_version = 0;
  std::string magic;
};

struct OrcType {
  TypeKind kind = TypeKind::kStruct;
  std::vector<uint64_t> subtypes;
  std::vector<std::string> field_names;
  uint64_t maximum_length = 0;
  std::optional<uint64_t> precision;
  std::optional<uint64_t> scale;
};

struct ColumnStatistics {
  uint64_t number_of_values = 0;
  std::optional<bool> has_null;
  std::optional<int64_t> int_min, int_max, int_sum;
  std::optional<double> double_min, double_max, double_sum;
  std::optional<std::string> string_min, string_max;
  std::optional<int64_t> string_sum;     // total length of the strings
  std::optional<int64_t> binary_sum;     // total length of the values
  std::vector<uint64_t> bucket_count;    // boolean columns: number of true values
  std::optional<std::string> decimal_min, decimal_max, decimal_sum;
  std::optional<int64_t> date_min, date_max;
  std::optional<int64_t> timestamp_min, timestamp_max;  // milliseconds, writer's local time
  std::optional<int64_t> timestamp_min_utc, timestamp_max_utc;
  std::optional<uint64_t> total_children;
};

struct StripeInformation {
  uint64_t offset = 0;
  uint64_t index_length = 0;
  uint64_t data_length = 0;
  uint64_t footer_length = 0;
  uint64_t rows = 0;
};

struct Footer {
  uint64_t header_length = 0;
  uint64_t content_length = 0;
  std::vector<StripeInformation> stripes;
  std::vector<OrcType> types;
  std::vector<std::pair<std::string, std::string>> user_metadata;
  std::optional<uint64_t> rows;
  std::vector<ColumnStatistics> statistics;
  uint64_t row_index_stride = 0;
  std::optional<uint64_t> writer;
  bool encrypted = false;
};

struct StreamInfo {
  StreamKind kind = StreamKind::kPresent;
  uint64_t column = 0;
  uint64_t length = 0;
};

struct ColumnEncoding {
  EncodingKind kind = EncodingKind::kDirect;
  uint64_t dictionary_size = 0;
};

struct StripeFooter {
  std::vector<StreamInfo> streams;
  std::vector<ColumnEncoding> encodings;
  std::string writer_timezone;
};

struct RowIndexEntry {
  std::vector<uint64_t> positions;
  std::optional<ColumnStatistics> statistics;
};

Result<PostScript> ParsePostScript(std::string_view bytes);
Result<Footer> ParseFooter(std::string_view bytes);
// Metadata: the statistics of every column, stripe by stripe.
Result<std::vector<std::vector<ColumnStatistics>>> ParseMetadata(std::string_view bytes);
Result<StripeFooter> ParseStripeFooter(std::string_view bytes);
Result<std::vector<RowIndexEntry>> ParseRowIndex(std::string_view bytes);
Result<ColumnStatistics> ParseColumnStatistics(std::string_view bytes);

}  // namespace sluice::formats::orc::test_reader
