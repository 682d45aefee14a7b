#pragma once
// Random identifiers: object-key UUIDs, record ids, the `!{firehose:random-string}` value.
// Thread-safe (one generator per thread, seeded from the OS).

#include <string>

namespace sluice {

// A random version-4 UUID in its 36-character text form.
std::string RandomUuid();

// `length` random characters from [0-9a-z].
std::string RandomAlnum(size_t length);

}  // namespace sluice
