#include "config/prefix_template.h"

#include <algorithm>
#include <optional>

#include "config/field_rules.h"
#include "core/random.h"

namespace sluice::config {
namespace {

constexpr size_t kRandomStringLength = 11;
constexpr std::string_view kDefaultTimePart = "yyyy/MM/dd/HH/";

}  // namespace

Result<PrefixTemplate> PrefixTemplate::Parse(std::string_view text, PrefixKind kind,
                                             std::string_view field) {
  PrefixTemplate out;
  bool has_timestamp = false;
  auto fail = [&](std::string_view expression, const std::string& problem) {
    return InvalidArgument(std::string(field) + " " + Quote(text) + ": expression " +
                           std::string(expression) + " " + problem);
  };
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = text.find("!{", pos);
    if (start != pos) {
      const std::string_view literal = text.substr(pos, start - pos);
      out.segments_.push_back({Kind::kLiteral, std::string(literal), {}});
      if (start == std::string_view::npos) break;
    }
    const size_t end = text.find('}', start);
    if (end == std::string_view::npos) {
      return fail(text.substr(start, 20), "is not closed with '}' (\"!{\" may only start an "
                                          "expression !{namespace:value})");
    }
    const std::string_view expression = text.substr(start, end + 1 - start);
    const std::string_view body = expression.substr(2, expression.size() - 3);
    const size_t colon = body.find(':');
    if (colon == std::string_view::npos) {
      return fail(expression, "must have the form !{namespace:value}");
    }
    const std::string_view ns = body.substr(0, colon);
    const std::string_view value = body.substr(colon + 1);
    out.has_expressions_ = true;
    if (ns == "timestamp") {
      auto pattern = TimePattern::Compile(value);
      if (!pattern) return fail(expression, "is invalid: " + pattern.error().message);
      out.segments_.push_back({Kind::kTimestamp, {}, std::move(*pattern)});
      has_timestamp = true;
    } else if (ns == "firehose" && value == "random-string") {
      out.segments_.push_back({Kind::kRandomString, {}, {}});
    } else if (ns == "firehose" && value == "error-output-type") {
      if (kind == PrefixKind::kPrefix) {
        return fail(expression, "is allowed only in ErrorOutputPrefix, not in Prefix");
      }
      out.segments_.push_back({Kind::kErrorOutputType, {}, {}});
      out.has_error_output_type_ = true;
    } else if (ns == "firehose") {
      return fail(expression,
                  "is unknown: the firehose namespace has random-string and error-output-type");
    } else if (ns == "partitionKeyFromQuery" || ns == "partitionKeyFromLambda") {
      if (kind == PrefixKind::kErrorOutputPrefix) {
        return fail(expression, "is allowed only in Prefix, not in ErrorOutputPrefix");
      }
      if (value.empty()) return fail(expression, "must name a partition key");
      out.segments_.push_back({Kind::kPartitionKey, std::string(expression), {}});
      (ns == "partitionKeyFromQuery" ? out.has_query_keys_ : out.has_lambda_keys_) = true;
    } else {
      return fail(expression, "has an unknown namespace \"" + std::string(ns) +
                                  "\" (known: timestamp, firehose, partitionKeyFromQuery, "
                                  "partitionKeyFromLambda)");
    }
    pos = end + 1;
  }
  if (kind == PrefixKind::kPrefix && !has_timestamp) {
    out.segments_.push_back({Kind::kTimestamp, {}, *TimePattern::Compile(kDefaultTimePart)});
  }
  return out;
}

std::string PrefixTemplate::Render(int64_t time_ms, std::string_view error_output_type) const {
  std::string out;
  for (const Segment& segment : segments_) {
    switch (segment.kind) {
      case Kind::kLiteral: out += segment.literal; break;
      case Kind::kTimestamp: segment.time_pattern.AppendUtc(time_ms, out); break;
      case Kind::kRandomString: out += RandomAlnum(kRandomStringLength); break;
      case Kind::kErrorOutputType: out += error_output_type; break;
      case Kind::kPartitionKey: out += segment.literal; break;
    }
  }
  return out;
}

namespace {

// Walks a rendered prefix or key: `text(piece)` gets everything that is not a partition-key slot,
// `slot(from_query, name, slot_text)` each slot in turn; a slot callback returning false stops
// the walk, which then returns false.
template <typename Text, typename Slot>
bool WalkPartitionKeySlots(std::string_view rendered, Text text, Slot slot) {
  static constexpr std::string_view kQuery = "!{partitionKeyFromQuery:";
  static constexpr std::string_view kLambda = "!{partitionKeyFromLambda:";
  size_t pos = 0;
  while (pos < rendered.size()) {
    const size_t start = rendered.find("!{", pos);
    text(rendered.substr(pos, start - pos));
    if (start == std::string_view::npos) break;
    const size_t end = rendered.find('}', start);
    const std::string_view whole = rendered.substr(start, end == std::string_view::npos ? end : end + 1 - start);
    const bool query = whole.starts_with(kQuery);
    if (end == std::string_view::npos || (!query && !whole.starts_with(kLambda))) {
      text(whole);  // not a partition-key slot (another slot kind): left for its owner
      pos = start + whole.size();
      continue;
    }
    const std::string_view head = query ? kQuery : kLambda;
    if (!slot(query, whole.substr(head.size(), whole.size() - head.size() - 1), whole)) return false;
    pos = end + 1;
  }
  return true;
}

}  // namespace

Result<std::string> FillPartitionKeys(std::string_view rendered, const PartitionKeyMap& query_keys,
                                      const PartitionKeyMap& lambda_keys) {
  std::string out;
  std::optional<Error> missing;
  const bool filled = WalkPartitionKeySlots(
      rendered, [&](std::string_view text) { out += text; },
      [&](bool query, std::string_view name, std::string_view slot) {
        const PartitionKeyMap& keys = query ? query_keys : lambda_keys;
        const auto it = keys.find(std::string(name));
        if (it == keys.end()) {
          missing = Error{ErrorCode::kInvalidArgument,
                          std::string(query ? "the MetadataExtraction query" : "the Lambda function") +
                              " gave no partition key \"" + std::string(name) + "\" for " + std::string(slot)};
          return false;
        }
        out += it->second;
        return true;
      });
  if (!filled) return std::unexpected(*missing);
  return out;
}

PartitionKeyNames PartitionKeySlotNames(std::string_view rendered) {
  PartitionKeyNames names;
  WalkPartitionKeySlots(
      rendered, [](std::string_view) {},
      [&](bool query, std::string_view name, std::string_view) {
        auto& list = query ? names.query : names.lambda;
        if (std::find(list.begin(), list.end(), name) == list.end()) list.emplace_back(name);
        return true;
      });
  std::sort(names.query.begin(), names.query.end());
  std::sort(names.lambda.begin(), names.lambda.end());
  return names;
}

}  // namespace sluice::config
