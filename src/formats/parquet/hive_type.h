#pragma once
// Hive column types (the catalog's `type:` strings) that the Parquet writer can store.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sluice::formats::parquet {

enum class HiveKind {
  kBoolean,
  kTinyint,
  kSmallint,
  kInt,
  kBigint,
  kFloat,
  kDouble,
  kDecimal,
  kString,
  kVarchar,
  kChar,
  kBinary,
  kDate,
  kTimestamp,
};

struct HiveType {
  HiveKind kind = HiveKind::kString;
  int precision = 0;  // decimal(p,s): 1..38
  int scale = 0;      // decimal(p,s): 0..p
  int length = 0;     // varchar(n) 1..65535, char(n) 1..255
};

// Parses a primitive Hive type name, case-insensitively: "int", "decimal(10,2)", "varchar(20)"
// ("decimal" alone is decimal(10,0), as in Hive). Nested types (array, map, struct) and unknown
// names are kInvalidArgument naming the text and the rule broken.
Result<HiveType> ParseHiveType(std::string_view text);

std::string HiveTypeName(const HiveType& type);

}  // namespace sluice::formats::parquet
