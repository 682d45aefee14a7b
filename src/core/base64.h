#pragma once
// Standard base64 (RFC 4648, alphabet A-Z a-z 0-9 + /, with '=' padding), as the AWS JSON
// protocol uses for blob members.

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice {

// Appends the decoded bytes of `text` to `out`. Returns false (and leaves `out` as it was) if
// `text` is not canonical padded base64: wrong length, a character outside the alphabet, or
// padding anywhere but the end.
bool Base64DecodeAppend(std::string_view text, std::string& out);

// The decoded size of well-formed `text` (no validation).
size_t Base64DecodedSize(std::string_view text);

void Base64EncodeAppend(std::string_view bytes, std::string& out);
std::string Base64Encode(std::string_view bytes);

}  // namespace sluice
