#include "config/field_rules.h"

#include "core/json_writer.h"

namespace sluice::config {
namespace {

constexpr size_t kQuoteLimit = 80;

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

size_t CodePoints(std::string_view value) {
  size_t count = 0;
  for (const char c : value) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

template <typename Pred>
bool AllOf(std::string_view value, Pred allowed) {
  for (const char c : value) {
    if (!allowed(c)) return false;
  }
  return true;
}

bool IsRoleChar(char c) {
  return IsAsciiAlnum(c) || std::string_view("_+=,.@-/").find(c) != std::string_view::npos;
}

// `value` is "arn:" + anything + `marker` + a tail accepted by `tail_ok`, for some position of
// the marker (the model's leading "arn:.*" lets the partition be anything).
template <typename TailOk>
bool MatchesArn(std::string_view value, std::string_view marker, TailOk tail_ok) {
  if (!value.starts_with("arn:")) return false;
  for (size_t at = value.find(marker, 4); at != std::string_view::npos;
       at = value.find(marker, at + 1)) {
    if (tail_ok(value.substr(at + marker.size()))) return true;
  }
  return false;
}

// \d{12}:<rest>, returning <rest> through `rest`.
bool TakeAccount(std::string_view tail, std::string_view& rest) {
  if (tail.size() < 13 || tail[12] != ':') return false;
  if (!AllOf(tail.substr(0, 12), IsDigit)) return false;
  rest = tail.substr(13);
  return true;
}

Status PatternError(std::string_view value, std::string_view path, std::string_view rule) {
  return InvalidArgument(std::string(path) + " " + Quote(value) + " must match " +
                         std::string(rule));
}

bool IsTagChar(char c) {
  return IsAsciiAlnum(c) || static_cast<unsigned char>(c) >= 0x80 ||
         std::string_view(" \t\n\r\v\f_.:/=+-@%").find(c) != std::string_view::npos;
}

constexpr std::string_view kTagCharset = "letters, digits, white space and _.:/=+-@%";

}  // namespace

std::string Quote(std::string_view value) {
  std::string out;
  if (value.size() <= kQuoteLimit) {
    AppendJsonString(out, value);
  } else {
    AppendJsonString(out, value.substr(0, kQuoteLimit));
    out.insert(out.size() - 1, "...");
  }
  return out;
}

Status CheckLength(std::string_view value, size_t min, size_t max, std::string_view path) {
  const size_t length = CodePoints(value);
  if (length >= min && length <= max) return {};
  return InvalidArgument(std::string(path) + " must be " + std::to_string(min) + " to " +
                         std::to_string(max) + " characters long, got " +
                         std::to_string(length));
}

Status CheckStreamName(std::string_view value, std::string_view path) {
  const bool ok = !value.empty() && value.size() <= 64 && AllOf(value, [](char c) {
    return IsAsciiAlnum(c) || c == '_' || c == '.' || c == '-';
  });
  if (ok) return {};
  return InvalidArgument(std::string(path) + " " + Quote(value) +
                         " must match [a-zA-Z0-9_.-]+ and be 1 to 64 characters");
}

Status CheckRoleArn(std::string_view value, std::string_view path) {
  if (auto length = CheckLength(value, 1, 512, path); !length) return length;
  const bool ok = MatchesArn(value, ":iam::", [](std::string_view tail) {
    std::string_view rest;
    if (!TakeAccount(tail, rest) || !rest.starts_with("role/")) return false;
    rest.remove_prefix(5);
    return !rest.empty() && AllOf(rest, IsRoleChar);
  });
  if (ok) return {};
  return PatternError(value, path, "arn:<partition>:iam::<12-digit account>:role/<name>");
}

Status CheckBucketArn(std::string_view value, std::string_view path) {
  if (auto length = CheckLength(value, 1, 2048, path); !length) return length;
  const bool ok = MatchesArn(value, ":s3:::", [](std::string_view name) {
    return !name.empty() && name.size() <= 255 && AllOf(name, [](char c) {
      return IsAsciiAlnum(c) || c == '_' || c == '.' || c == '-';
    });
  });
  if (ok) return {};
  return PatternError(value, path, "arn:<partition>:s3:::<bucket name of [a-zA-Z0-9_.-]{1,255}>");
}

Status CheckKmsKeyArn(std::string_view value, bool allow_alias, std::string_view path) {
  if (auto length = CheckLength(value, 1, 512, path); !length) return length;
  const bool ok = MatchesArn(value, ":kms:", [allow_alias](std::string_view tail) {
    const size_t colon = tail.find(':');
    if (colon == 0 || colon == std::string_view::npos) return false;
    if (!AllOf(tail.substr(0, colon), [](char c) { return IsAsciiAlnum(c) || c == '-'; })) {
      return false;
    }
    std::string_view rest;
    if (!TakeAccount(tail.substr(colon + 1), rest)) return false;
    if (rest.starts_with("key/")) {
      rest.remove_prefix(4);
    } else if (allow_alias && rest.starts_with("alias/")) {
      rest.remove_prefix(6);
    } else {
      return false;
    }
    return !rest.empty() && AllOf(rest, IsRoleChar);
  });
  if (ok) return {};
  return PatternError(value, path,
                      allow_alias
                          ? "arn:<partition>:kms:<region>:<12-digit account>:key/<id> or :alias/<name>"
                          : "arn:<partition>:kms:<region>:<12-digit account>:key/<id>");
}

Status CheckTagKey(std::string_view value, std::string_view path) {
  if (auto length = CheckLength(value, 1, 128, path); !length) return length;
  if (value.starts_with("aws:")) {
    return InvalidArgument(std::string(path) + " " + Quote(value) +
                           " must not start with \"aws:\" (reserved for AWS)");
  }
  if (!AllOf(value, IsTagChar)) {
    return InvalidArgument(std::string(path) + " " + Quote(value) + " may contain only " +
                           std::string(kTagCharset));
  }
  return {};
}

Status CheckTagValue(std::string_view value, std::string_view path) {
  if (auto length = CheckLength(value, 0, 256, path); !length) return length;
  if (!AllOf(value, IsTagChar)) {
    return InvalidArgument(std::string(path) + " " + Quote(value) + " may contain only " +
                           std::string(kTagCharset));
  }
  return {};
}

std::string_view BucketNameOf(std::string_view bucket_arn) {
  const size_t at = bucket_arn.rfind(":s3:::");
  return at == std::string_view::npos ? std::string_view() : bucket_arn.substr(at + 6);
}

}  // namespace sluice::config
