#pragma once
// Enum values of parquet-format's parquet.thrift that the writer emits.

#include <cstdint>

namespace sluice::formats::parquet {

enum class PhysicalType : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kMap = 1,
  kList = 3,
  kDecimal = 5,
  kDate = 6,
  kTimestampMillis = 9,
  kInt8 = 15,
  kInt16 = 16,
};

enum class Encoding : int32_t {
  kPlain = 0,
  kPlainDictionary = 2,
  kRle = 3,
  kRleDictionary = 8,
};

enum class PageType : int32_t { kDataPage = 0, kDictionaryPage = 2, kDataPageV2 = 3 };

enum class Repetition : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };

}  // namespace sluice::formats::parquet
