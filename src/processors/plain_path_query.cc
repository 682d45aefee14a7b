#include "processors/plain_path_query.h"

#include <set>
#include <utility>

#include "processors/jq_number.h"

namespace sluice::processors {
namespace {

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// A cursor over the query text; every Read* leaves the position unchanged when it fails.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool Take(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  void SkipSpace() {
    while (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r') ++pos_;
  }

  std::optional<std::string> ReadName() {
    if (!IsNameStart(Peek())) return std::nullopt;
    const size_t start = pos_;
    while (IsNameChar(Peek())) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  std::optional<std::string> ReadString() {
    if (Peek() != '"') return std::nullopt;
    const size_t end = text_.find('"', pos_ + 1);
    if (end == std::string_view::npos) return std::nullopt;
    const std::string_view content = text_.substr(pos_ + 1, end - pos_ - 1);
    for (char c : content) {
      if (c == '\\' || static_cast<unsigned char>(c) < 0x20) return std::nullopt;
    }
    pos_ = end + 1;
    return std::string(content);
  }

  std::optional<std::string> ReadNameOrString() {
    if (auto name = ReadName()) return name;
    return ReadString();
  }

  // One or more `.NAME` / `."STRING"`.
  std::optional<std::vector<std::string>> ReadPath() {
    std::vector<std::string> path;
    while (Take('.')) {
      auto field = ReadNameOrString();
      if (!field) return std::nullopt;
      path.push_back(std::move(*field));
    }
    if (path.empty()) return std::nullopt;
    return path;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

QueryValue QueryValueOf(simdjson::dom::element element) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::ARRAY:
      return {JsonKind::kArray, ""};
    case element_type::OBJECT:
      return {JsonKind::kObject, ""};
    case element_type::INT64:
      return {JsonKind::kNumber, JqNumberText(static_cast<double>(element.get_int64().value_unsafe()))};
    case element_type::UINT64:
      return {JsonKind::kNumber, JqNumberText(static_cast<double>(element.get_uint64().value_unsafe()))};
    case element_type::DOUBLE:
      return {JsonKind::kNumber, JqNumberText(element.get_double().value_unsafe())};
    case element_type::STRING:
      return {JsonKind::kString, std::string(element.get_string().value_unsafe())};
    case element_type::BOOL:
      return {JsonKind::kBoolean, element.get_bool().value_unsafe() ? "true" : "false"};
    case element_type::NULL_VALUE:
      break;
  }
  return {JsonKind::kNull, ""};
}

std::optional<PlainPathQuery> ParsePlainPathQuery(std::string_view query) {
  if (!simdjson::validate_utf8(query.data(), query.size())) return std::nullopt;
  Reader reader(query);
  PlainPathQuery parsed;
  std::set<std::string> keys;
  reader.SkipSpace();
  if (!reader.Take('{')) return std::nullopt;
  reader.SkipSpace();
  if (!reader.Take('}')) {
    do {
      reader.SkipSpace();
      auto key = reader.ReadNameOrString();
      if (!key || !keys.insert(*key).second) return std::nullopt;
      reader.SkipSpace();
      std::vector<std::string> path{*key};
      if (reader.Take(':')) {
        reader.SkipSpace();
        auto explicit_path = reader.ReadPath();
        if (!explicit_path) return std::nullopt;
        path = std::move(*explicit_path);
        reader.SkipSpace();
      }
      parsed.members.push_back({std::move(*key), std::move(path)});
    } while (reader.Take(','));
    if (!reader.Take('}')) return std::nullopt;
  }
  reader.SkipSpace();
  if (!reader.AtEnd()) return std::nullopt;
  return parsed;
}

std::optional<std::map<std::string, QueryValue>> EvaluatePlainPaths(const PlainPathQuery& query,
                                                                    simdjson::dom::object record) {
  std::map<std::string, QueryValue> members;
  for (const PlainPathQuery::Member& member : query.members) {
    std::optional<simdjson::dom::object> object = record;
    std::optional<simdjson::dom::element> current;
    for (const std::string& field : member.path) {
      current.reset();  // a missing field, or any field of null, is null
      if (!object) continue;
      for (const auto [name, value] : *object) {
        if (name == field) current = value;
      }
      object.reset();
      if (!current || current->is_null()) continue;
      if (current->is_object()) {
        object = current->get_object().value_unsafe();
      } else if (&field != &member.path.back()) {
        return std::nullopt;  // indexing a string, number, boolean or array: jq's error
      }
    }
    // simdjson reads -0 as the integer 0; jq keeps the sign.
    if (current && current->is_int64() && current->get_int64().value_unsafe() == 0) return std::nullopt;
    members[member.key] = current ? QueryValueOf(*current) : QueryValue{};
  }
  return members;
}

}  // namespace sluice::processors
