#pragma once
// S3 object keys of delivered objects: `<evaluated prefix><suffix>` (firehose.md §4.3).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sluice::delivery {

// Firehose's limit on an evaluated Prefix / ErrorOutputPrefix, in characters.
inline constexpr size_t kMaxEvaluatedPrefixChars = 512;

struct ObjectName {
  std::string_view stream_name;
  int64_t stream_version;      // starts at 1, +1 per configuration change (the VersionId counter)
  int64_t time_ms;             // rendered in UTC, to the second
  std::string_view uuid;       // fixed per batch, so a redelivered batch gets the same key
  std::string_view extension;  // with its dot, e.g. ".gz"; "" for none
};

// `<StreamName>-<StreamVersion>-<yyyy>-<MM>-<dd>-<HH>-<mm>-<ss>-<uuid><extension>`.
std::string ObjectNameSuffix(const ObjectName& name);

// `rendered_prefix` + ObjectNameSuffix(name). kInvalidArgument if the prefix is longer than
// kMaxEvaluatedPrefixChars characters (UTF-8 code points, as Firehose counts characters).
Result<std::string> MakeObjectKey(std::string_view rendered_prefix, const ObjectName& name);

}  // namespace sluice::delivery
