#pragma once
// The string constraints of the Firehose model (lengths, character sets, ARN patterns), checked
// by hand rather than with std::regex so that long inputs cannot exhaust the stack. Each check
// returns an InvalidArgument naming `path`, showing the value and stating the rule.

#include <string>
#include <string_view>

#include "core/result.h"

namespace sluice::config {

// `value` as a JSON string literal for messages, shortened to its first 80 characters.
std::string Quote(std::string_view value);

// Length in [min, max] characters (UTF-8 code points, as the model counts them).
Status CheckLength(std::string_view value, size_t min, size_t max, std::string_view path);

// DeliveryStreamName: 1-64 characters of [a-zA-Z0-9_.-].
Status CheckStreamName(std::string_view value, std::string_view path);
// IAM role ARN: 1-512, arn:.*:iam::\d{12}:role/[a-zA-Z_0-9+=,.@\-_/]+
Status CheckRoleArn(std::string_view value, std::string_view path);
// S3 bucket ARN: 1-2048, arn:.*:s3:::[\w\.\-]{1,255}
Status CheckBucketArn(std::string_view value, std::string_view path);
// KMS key ARN: 1-512, arn:.*:kms:[a-zA-Z0-9\-]+:\d{12}:key/[a-zA-Z_0-9+=,.@\-_/]+ ; with
// `allow_alias` the resource may also be alias/... (S3 object encryption accepts aliases).
Status CheckKmsKeyArn(std::string_view value, bool allow_alias, std::string_view path);
// Tag key: 1-128, must not start with "aws:"; tag value: 0-256. Both from the character set
// letters, digits, white space and _.:/=+-@% (non-ASCII code points are accepted as letters).
Status CheckTagKey(std::string_view value, std::string_view path);
Status CheckTagValue(std::string_view value, std::string_view path);

// The bucket name at the end of a valid bucket ARN.
std::string_view BucketNameOf(std::string_view bucket_arn);

}  // namespace sluice::config
