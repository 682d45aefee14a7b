#pragma once
// Test helper: a byte string from byte values, for exact-encoding expectations.

#include <initializer_list>
#include <string>

namespace sluice::formats::parquet {

inline std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

}  // namespace sluice::formats::parquet
