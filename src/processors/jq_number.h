#pragma once
// The text jq 1.6 prints for a number (its `tostring`), so that keys taken without jq match the
// keys jq gives: shortest round-trip digits; plain notation unless the decimal exponent is below
// -4 or the number would need more than 15 trailing zeros (1e3 -> 1000, 1.0 -> 1, 1e17 ->
// 1e+17, 0.00001 -> 1e-05); -0 stays -0; infinities print as +-DBL_MAX and NaN as null.

#include <string>

namespace sluice::processors {

std::string JqNumberText(double value);

}  // namespace sluice::processors
