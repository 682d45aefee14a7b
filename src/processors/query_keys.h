#pragma once
// What both ways of running a MetadataExtractionQuery (jq, or plain paths read with simdjson)
// share: the value kinds of jq, and the rules and messages that turn the object the query yields
// into partition keys. Sharing them is what makes the two ways fail records identically.

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"
#include "processors/processor.h"

namespace sluice::processors {

enum class JsonKind { kNull, kBoolean, kNumber, kString, kArray, kObject };

// jq's names with an article, for messages: "null", "a boolean", "an array", ...
std::string_view JsonKindName(JsonKind kind);

struct QueryValue {
  JsonKind kind = JsonKind::kNull;
  std::string text;  // booleans, numbers (as jq prints them) and strings only
};

// Strings as they are, numbers and booleans as their JSON text. A null (the path is missing from
// the record, or null in it), array or object value fails the record; the message names the
// first such key in key order.
Result<PartitionKeys> PartitionKeysOf(std::map<std::string, QueryValue> members);

// The failure for a record that is valid JSON but not one object.
Error NotAnObjectError(JsonKind kind);

}  // namespace sluice::processors
