#pragma once
// The distinct BYTE_ARRAY values of a column chunk, numbered in first-seen order, for dictionary
// encoding. Values are kept PLAIN-encoded (4-byte little-endian length, then the bytes) in one
// buffer that is the dictionary page's content, and found through an open-addressing hash table,
// so adding a value allocates nothing once the buffers have grown.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::formats::parquet {

class ByteDictionary {
 public:
  // The index of `value`, adding it if new.
  uint32_t Add(std::string_view value);

  size_t size() const { return offsets_.size(); }
  std::string_view ValueAt(uint32_t index) const;
  // The PLAIN encoding of every value, in index order.
  std::string_view plain() const { return plain_; }
  // Empties the dictionary, keeping its memory.
  void Clear();

 private:
  static uint64_t Hash(std::string_view value);
  void Grow();

  std::string plain_;
  std::vector<uint32_t> offsets_;  // where each value's length prefix starts in plain_
  std::vector<uint64_t> hashes_;   // each value's hash
  std::vector<uint32_t> slots_;    // value index + 1, or 0 for an empty slot; size a power of 2
};

}  // namespace sluice::formats::parquet
