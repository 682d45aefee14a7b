#pragma once
// Hive column types (the catalog's `type:` strings) as a tree: primitives, array<T>, map<K,V>
// and struct<name:T,...>. Shared by every columnar writer.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sluice::formats {

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
  kArray,   // children[0]: the element type
  kMap,     // children[0]: the key type (primitive), children[1]: the value type
  kStruct,  // children[i]: the type of field field_names[i]
};

struct HiveType {
  HiveKind kind = HiveKind::kString;
  int precision = 0;  // decimal(p,s): 1..38
  int scale = 0;      // decimal(p,s): 0..p
  int length = 0;     // varchar(n) 1..65535, char(n) 1..255
  std::vector<HiveType> children;
  std::vector<std::string> field_names;  // struct fields, as written in the type

  bool is_primitive() const {
    return kind != HiveKind::kArray && kind != HiveKind::kMap && kind != HiveKind::kStruct;
  }
};

// Parses a Hive type, case-insensitively and ignoring blanks: "int", "decimal(10,2)",
// "varchar(20)", "array<struct<a:int,b:map<string,double>>>" ("decimal" alone is decimal(10,0),
// as in Hive). Refuses (kInvalidArgument, naming the text, the position and the rule) unknown
// names, bad arguments, non-primitive map keys, empty or repeated struct field names
// (compared ignoring case) and uniontype.
Result<HiveType> ParseHiveType(std::string_view text);

// The canonical text of a type: lower case, no blanks ("map<string,array<int>>").
std::string HiveTypeName(const HiveType& type);

}  // namespace sluice::formats
