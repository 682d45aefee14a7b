#pragma once
// The S3 key prefix expression language of Firehose: literal text with `!{namespace:value}`
// expressions (firehose.md §4.3). Parsing validates; rendering evaluates in UTC.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/time_pattern.h"
#include "core/result.h"

namespace sluice::config {

enum class PrefixKind { kPrefix, kErrorOutputPrefix };

class PrefixTemplate {
 public:
  // `field` names the JSON member in messages (e.g. "ExtendedS3DestinationConfiguration.Prefix").
  // A kPrefix without a timestamp expression gets the default time part `yyyy/MM/dd/HH/`
  // appended directly (no separator), as Firehose does.
  static Result<PrefixTemplate> Parse(std::string_view text, PrefixKind kind,
                                      std::string_view field);

  // Whether the text as written (before the default time part) contains any expression.
  bool has_expressions() const { return has_expressions_; }
  bool has_error_output_type() const { return has_error_output_type_; }
  // Whether it has !{partitionKeyFromQuery:...} / !{partitionKeyFromLambda:...} expressions.
  bool has_query_keys() const { return has_query_keys_; }
  bool has_lambda_keys() const { return has_lambda_keys_; }

  // Every timestamp expression renders the same instant `time_ms`; each random-string
  // occurrence gets a fresh 11-character value; error-output-type renders `error_output_type`.
  // Partition-key expressions are rendered as written: they are slots that
  // FillPartitionKeys fills per record once its keys are known.
  std::string Render(int64_t time_ms, std::string_view error_output_type = {}) const;

 private:
  enum class Kind { kLiteral, kTimestamp, kRandomString, kErrorOutputType, kPartitionKey };
  struct Segment {
    Kind kind;
    std::string literal;       // kLiteral; kPartitionKey: the expression as written
    TimePattern time_pattern;  // kTimestamp
  };

  std::vector<Segment> segments_;
  bool has_expressions_ = false;
  bool has_error_output_type_ = false;
  bool has_query_keys_ = false;
  bool has_lambda_keys_ = false;
};

using PartitionKeyMap = std::map<std::string, std::string>;  // as processors::PartitionKeys

// Replaces each !{partitionKeyFromQuery:K} / !{partitionKeyFromLambda:K} slot of a rendered
// prefix or key with the record's value of K. kInvalidArgument names the first key the record
// lacks. A rendered prefix holds "!{" only at slots (an expression can only start there), so
// values are never rescanned.
Result<std::string> FillPartitionKeys(std::string_view rendered, const PartitionKeyMap& query_keys,
                                      const PartitionKeyMap& lambda_keys);

// The keys a record's partition keys fill in: the names of a rendered prefix's slots, per
// namespace, sorted, each once.
struct PartitionKeyNames {
  std::vector<std::string> query;
  std::vector<std::string> lambda;
};
PartitionKeyNames PartitionKeySlotNames(std::string_view rendered);

// Partition keys by namespace: a partition's identity.
struct UsedPartitionKeys {
  PartitionKeyMap query;
  PartitionKeyMap lambda;
};

}  // namespace sluice::config
