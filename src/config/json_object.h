#pragma once
// Typed, path-aware access to the members of one JSON object of an API input. Every error is an
// InvalidArgument whose message starts with the member's full path ("A.B.C"), so the same code
// serves the API (empty root path) and the config file (root path "streams[2]").

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <simdjson.h>

#include "core/result.h"

namespace sluice::config {

// "object", "array", "string", "integer", "number", "boolean" or "null".
std::string_view JsonTypeName(const simdjson::dom::element& value);

// `parent.member`, or just `member` when parent is empty.
std::string JoinPath(std::string_view parent, std::string_view member);

class JsonObject {
 public:
  // Fails unless `value` is an object; `path` names it in messages ("" for the request body).
  static Result<JsonObject> From(simdjson::dom::element value, std::string path);

  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view member) const { return JoinPath(path_, member); }
  bool Has(std::string_view member) const { return Member(member).has_value(); }
  // Every member, in document order (for maps such as ColumnToJsonKeyMappings).
  simdjson::dom::object members() const { return object_; }
  // The raw member; nullopt when absent or JSON null.
  std::optional<simdjson::dom::element> Member(std::string_view member) const;

  // Rejects any member not in `known`. Members in `unsupported` exist in the Firehose model but
  // not in Sluice yet, and get a message saying so (followed by `hint`, if any) instead of
  // "unknown member".
  Status CheckMembers(std::span<const std::string_view> known,
                      std::span<const std::string_view> unsupported,
                      std::string_view hint = {}) const;

  // Getters return nullopt when the member is absent or JSON null, and an error when it has
  // another type than asked for.
  Result<std::optional<std::string_view>> String(std::string_view member) const;
  Result<std::optional<bool>> Bool(std::string_view member) const;
  // Integers must be in [min, max]; fractional numbers are rejected.
  Result<std::optional<int64_t>> Int(std::string_view member, int64_t min, int64_t max) const;
  // Any JSON number in [min, max].
  Result<std::optional<double>> Number(std::string_view member, double min, double max) const;
  Result<std::optional<JsonObject>> Object(std::string_view member) const;
  Result<std::optional<simdjson::dom::array>> Array(std::string_view member) const;

 private:
  JsonObject(simdjson::dom::object object, std::string path)
      : object_(object), path_(std::move(path)) {}

  simdjson::dom::object object_;
  std::string path_;
};

// Reads a required member: fails with "<path> is required" when the getter found nothing.
template <typename T>
Result<T> Required(Result<std::optional<T>> value, const JsonObject& object,
                   std::string_view member) {
  if (!value) return std::unexpected(value.error());
  if (!value->has_value()) return InvalidArgument(object.PathOf(member) + " is required");
  return **value;
}

}  // namespace sluice::config
