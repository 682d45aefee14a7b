#pragma once
// The common MetadataExtractionQuery shape that needs no jq: an object constructor whose values
// are plain paths, e.g. `{customer_id: .customer_id, device: .type.device, "a b": ."x y"}` or the
// shorthand `{customer_id}`. Such a query is read from the record with simdjson, with the
// results jq gives; whatever jq would report as an error is left to jq.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "processors/query_keys.h"

namespace sluice::processors {

struct PlainPathQuery {
  struct Member {
    std::string key;
    std::vector<std::string> path;  // field names, outermost first
  };
  std::vector<Member> members;
};

// The query's members when it has exactly this shape: `{` members `}` separated by commas, each
// `NAME: PATH`, `"STRING": PATH`, `NAME` or `"STRING"` (shorthand for `.NAME`), PATH being one or
// more `.NAME` / `."STRING"` with no space inside; NAME is [A-Za-z_][A-Za-z0-9_]*; strings
// without backslashes or control characters; spaces, tabs and newlines between tokens; no key
// twice. nullopt for anything else (comments, escapes, `?`, `[...]`, pipes...): jq runs those.
std::optional<PlainPathQuery> ParsePlainPathQuery(std::string_view query);

// The value as jq sees it (numbers as jq prints them).
QueryValue QueryValueOf(simdjson::dom::element element);

// The object the query yields for `record`, member by member. nullopt when a path indexes a value
// that is neither an object nor null (jq fails the record then, with its own message) or reaches
// an integer 0 (simdjson cannot tell 0 from -0, which jq prints as -0). A missing
// field reads as null (as in jq); of duplicate fields the last counts (as in jq).
std::optional<std::map<std::string, QueryValue>> EvaluatePlainPaths(const PlainPathQuery& query,
                                                                    simdjson::dom::object record);

}  // namespace sluice::processors
