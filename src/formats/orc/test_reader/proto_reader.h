#pragma once
// Test-only: a minimal reader of the protobuf wire format (varints, length-delimited fields,
// fixed32/64), enough to decode ORC's PostScript, Footer, Metadata and StripeFooter messages.

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sluice::formats::orc::test_reader {

// Reads one base-128 varint from the front of `in` and consumes it.
Result<uint64_t> ReadVarint(std::string_view& in);

class ProtoReader {
 public:
  explicit ProtoReader(std::string_view message) : rest_(message) {}

  // Moves to the next field. Returns false at the end of the message.
  Result<bool> Next();

  uint32_t field() const { return field_; }
  // The value of a varint, fixed32 or fixed64 field.
  uint64_t number() const { return number_; }
  // The payload of a length-delimited field.
  std::string_view bytes() const { return bytes_; }
  bool is_length_delimited() const { return wire_type_ == 2; }

  // A repeated varint field, packed or not: appends its value(s) to `out`.
  Status AppendVarints(std::vector<uint64_t>& out) const;

 private:
  std::string_view rest_;
  uint32_t field_ = 0;
  uint32_t wire_type_ = 0;
  uint64_t number_ = 0;
  std::string_view bytes_;
};

}  // namespace sluice::formats::orc::test_reader
