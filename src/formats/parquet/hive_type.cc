#include "formats/parquet/hive_type.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <utility>
#include <vector>

namespace sluice::formats::parquet {
namespace {

constexpr std::array<std::pair<std::string_view, HiveKind>, 14> kNames{{
    {"boolean", HiveKind::kBoolean},
    {"tinyint", HiveKind::kTinyint},
    {"smallint", HiveKind::kSmallint},
    {"int", HiveKind::kInt},
    {"integer", HiveKind::kInt},
    {"bigint", HiveKind::kBigint},
    {"float", HiveKind::kFloat},
    {"double", HiveKind::kDouble},
    {"decimal", HiveKind::kDecimal},
    {"string", HiveKind::kString},
    {"varchar", HiveKind::kVarchar},
    {"char", HiveKind::kChar},
    {"binary", HiveKind::kBinary},
    {"date", HiveKind::kDate},
}};

std::string Lower(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

// Parses "a" or "a,b" into integers; empty if the text is not such a list.
std::vector<int> ParseArguments(std::string_view args) {
  std::vector<int> out;
  while (true) {
    int value = 0;
    auto [end, ec] = std::from_chars(args.data(), args.data() + args.size(), value);
    if (ec != std::errc() || end == args.data()) return {};
    out.push_back(value);
    args.remove_prefix(end - args.data());
    if (args.empty()) return out;
    if (args.front() != ',') return {};
    args.remove_prefix(1);
  }
}

}  // namespace

Result<HiveType> ParseHiveType(std::string_view text) {
  const std::string lowered = Lower(text);
  std::string_view name = lowered;
  std::string_view args;
  bool has_args = false;
  if (const size_t open = name.find('('); open != std::string_view::npos) {
    if (name.back() != ')') {
      return InvalidArgument("column type \"" + std::string(text) + "\": missing closing ')'");
    }
    args = name.substr(open + 1, name.size() - open - 2);
    name = name.substr(0, open);
    has_args = true;
  }
  if (name == "timestamp" && !has_args) return HiveType{.kind = HiveKind::kTimestamp};
  if (name == "array" || name == "map" || name == "struct" || name.starts_with("array<") ||
      name.starts_with("map<") || name.starts_with("struct<") || name == "uniontype") {
    return InvalidArgument("column type \"" + std::string(text) +
                           "\": nested types are not supported by the Parquet writer yet");
  }
  const auto* known = std::ranges::find(kNames, name, &std::pair<std::string_view, HiveKind>::first);
  if (known == kNames.end()) {
    return InvalidArgument("column type \"" + std::string(text) +
                           "\" is not a Hive type (expected boolean, tinyint, smallint, int, bigint, "
                           "float, double, decimal(p,s), string, varchar(n), char(n), binary, date "
                           "or timestamp)");
  }
  HiveType type{.kind = known->second};
  const std::vector<int> numbers = has_args ? ParseArguments(args) : std::vector<int>{};
  if (has_args && numbers.empty()) {
    return InvalidArgument("column type \"" + std::string(text) + "\": arguments must be integers");
  }
  switch (type.kind) {
    case HiveKind::kDecimal:
      if (numbers.size() > 2) {
        return InvalidArgument("column type \"" + std::string(text) +
                               "\": decimal takes (precision) or (precision,scale)");
      }
      type.precision = numbers.empty() ? 10 : numbers[0];
      type.scale = numbers.size() == 2 ? numbers[1] : 0;
      if (type.precision < 1 || type.precision > 38 || type.scale < 0 ||
          type.scale > type.precision) {
        return InvalidArgument("column type \"" + std::string(text) +
                               "\": decimal precision must be 1..38 and scale 0..precision");
      }
      return type;
    case HiveKind::kVarchar:
    case HiveKind::kChar: {
      const int max_length = type.kind == HiveKind::kVarchar ? 65535 : 255;
      if (numbers.size() != 1 || numbers[0] < 1 || numbers[0] > max_length) {
        return InvalidArgument("column type \"" + std::string(text) + "\": " + std::string(name) +
                               " needs one length in 1.." + std::to_string(max_length));
      }
      type.length = numbers[0];
      return type;
    }
    default:
      if (has_args) {
        return InvalidArgument("column type \"" + std::string(text) + "\": " + std::string(name) +
                               " takes no arguments");
      }
      return type;
  }
}

std::string HiveTypeName(const HiveType& type) {
  switch (type.kind) {
    case HiveKind::kDecimal:
      return "decimal(" + std::to_string(type.precision) + "," + std::to_string(type.scale) + ")";
    case HiveKind::kVarchar:
      return "varchar(" + std::to_string(type.length) + ")";
    case HiveKind::kChar:
      return "char(" + std::to_string(type.length) + ")";
    case HiveKind::kTimestamp:
      return "timestamp";
    default:
      for (const auto& [name, kind] : kNames) {
        if (kind == type.kind) return std::string(name);
      }
      return "?";
  }
}

}  // namespace sluice::formats::parquet
