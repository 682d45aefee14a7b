#include "formats/schema/hive_type.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <utility>

namespace sluice::formats {
namespace {

constexpr std::array<std::pair<std::string_view, HiveKind>, 17> kNames{{
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
    {"timestamp", HiveKind::kTimestamp},
    {"array", HiveKind::kArray},
    {"map", HiveKind::kMap},
}};

constexpr std::string_view kKnownTypes =
    "boolean, tinyint, smallint, int, bigint, float, double, decimal(p,s), string, varchar(n), "
    "char(n), binary, date, timestamp, array<T>, map<K,V> or struct<name:T,...>";

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string Lowered(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), Lower);
  return out;
}

// Recursive-descent parser over the original text; positions in errors count from 1.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<HiveType> ParseAll() {
    auto type = ParseType();
    if (!type) return type;
    SkipBlanks();
    if (pos_ != text_.size()) return Error("unexpected '" + std::string(1, text_[pos_]) + "'");
    return type;
  }

 private:
  std::unexpected<sluice::Error> Error(const std::string& why) const {
    return InvalidArgument("column type \"" + std::string(text_) + "\": " + why + " at position " +
                           std::to_string(std::min(pos_, text_.size()) + 1));
  }

  void SkipBlanks() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  bool Consume(char c) {
    SkipBlanks();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  std::string_view Word() {
    SkipBlanks();
    const size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }

  Result<HiveType> ParseType() {
    const size_t start = pos_;
    const std::string name = Lowered(Word());
    if (name.empty()) {
      return Error(pos_ < text_.size() ? "expected a type name, found '" +
                                             std::string(1, text_[pos_]) + "'"
                                       : "expected a type name");
    }
    if (name == "struct") return ParseStruct();
    if (name == "uniontype") {
      pos_ = start;
      return Error("uniontype is not supported (Firehose refuses it too)");
    }
    const auto* known = std::ranges::find(kNames, name, &std::pair<std::string_view, HiveKind>::first);
    if (known == kNames.end()) {
      pos_ = start;
      return Error("\"" + name + "\" is not a Hive type (expected " + std::string(kKnownTypes) + ")");
    }
    HiveType type;
    type.kind = known->second;
    if (type.kind == HiveKind::kArray || type.kind == HiveKind::kMap) return ParseContainer(type);
    return ParseArguments(name, type);
  }

  Result<HiveType> ParseContainer(HiveType type) {
    const bool is_map = type.kind == HiveKind::kMap;
    if (!Consume('<')) return Error(std::string(is_map ? "map" : "array") + " needs '<'");
    if (is_map) {
      const size_t key_start = pos_;
      auto key = ParseType();
      if (!key) return key;
      if (!key->is_primitive()) {
        pos_ = key_start;
        SkipBlanks();
        return Error("map keys must be a primitive type, not " + HiveTypeName(*key));
      }
      type.children.push_back(std::move(*key));
      if (!Consume(',')) return Error("map needs ',' between key and value types");
    }
    auto element = ParseType();
    if (!element) return element;
    type.children.push_back(std::move(*element));
    if (!Consume('>')) return Error("expected '>'");
    return type;
  }

  Result<HiveType> ParseStruct() {
    HiveType type;
    type.kind = HiveKind::kStruct;
    if (!Consume('<')) return Error("struct needs '<'");
    if (Consume('>')) return Error("struct needs at least one field");
    do {
      const size_t field_start = pos_;
      const std::string_view field = Word();
      if (field.empty()) return Error("expected a struct field name");
      const std::string lowered = Lowered(field);
      for (const std::string& seen : type.field_names) {
        if (Lowered(seen) == lowered) {
          pos_ = field_start;
          SkipBlanks();
          return Error("struct field \"" + std::string(field) +
                       "\" appears twice (names compare ignoring case)");
        }
      }
      if (!Consume(':')) return Error("expected ':' after struct field \"" + std::string(field) + "\"");
      auto field_type = ParseType();
      if (!field_type) return field_type;
      type.field_names.emplace_back(field);
      type.children.push_back(std::move(*field_type));
    } while (Consume(','));
    if (!Consume('>')) return Error("expected ',' or '>'");
    return type;
  }

  // The optional "(n)" / "(p,s)" after a primitive name.
  Result<HiveType> ParseArguments(const std::string& name, HiveType type) {
    std::vector<int> numbers;
    const bool has_args = Consume('(');
    if (has_args) {
      do {
        SkipBlanks();
        int value = 0;
        const auto [end, ec] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), value);
        if (ec != std::errc()) return Error("arguments must be integers");
        pos_ = static_cast<size_t>(end - text_.data());
        numbers.push_back(value);
      } while (Consume(','));
      if (!Consume(')')) return Error("missing closing ')'");
    }
    switch (type.kind) {
      case HiveKind::kDecimal:
        if (numbers.size() > 2) return Error("decimal takes (precision) or (precision,scale)");
        type.precision = numbers.empty() ? 10 : numbers[0];
        type.scale = numbers.size() == 2 ? numbers[1] : 0;
        if (type.precision < 1 || type.precision > 38 || type.scale < 0 ||
            type.scale > type.precision) {
          return Error("decimal precision must be 1..38 and scale 0..precision");
        }
        return type;
      case HiveKind::kVarchar:
      case HiveKind::kChar: {
        const int max_length = type.kind == HiveKind::kVarchar ? 65535 : 255;
        if (numbers.size() != 1 || numbers[0] < 1 || numbers[0] > max_length) {
          return Error(name + " needs one length in 1.." + std::to_string(max_length));
        }
        type.length = numbers[0];
        return type;
      }
      default:
        if (has_args) return Error(name + " takes no arguments");
        return type;
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

Result<HiveType> ParseHiveType(std::string_view text) { return Parser(text).ParseAll(); }

std::string HiveTypeName(const HiveType& type) {
  switch (type.kind) {
    case HiveKind::kDecimal:
      return "decimal(" + std::to_string(type.precision) + "," + std::to_string(type.scale) + ")";
    case HiveKind::kVarchar:
      return "varchar(" + std::to_string(type.length) + ")";
    case HiveKind::kChar:
      return "char(" + std::to_string(type.length) + ")";
    case HiveKind::kArray:
      return "array<" + HiveTypeName(type.children[0]) + ">";
    case HiveKind::kMap:
      return "map<" + HiveTypeName(type.children[0]) + "," + HiveTypeName(type.children[1]) + ">";
    case HiveKind::kStruct: {
      std::string out = "struct<";
      for (size_t i = 0; i < type.children.size(); ++i) {
        if (i > 0) out += ",";
        out += type.field_names[i] + ":" + HiveTypeName(type.children[i]);
      }
      return out + ">";
    }
    default:
      for (const auto& [name, kind] : kNames) {
        if (kind == type.kind) return std::string(name);
      }
      return "?";
  }
}

}  // namespace sluice::formats
