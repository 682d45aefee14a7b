// The RLE encoders, checked by decoding their output with the test-only reader's decoders
// (which are checked against the specification's examples and Apache ORC's files).
#include "formats/orc/rle_encoders.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "formats/orc/test_reader/rle_decoders.h"

namespace sluice::formats::orc {
namespace {

using test_reader::DecodeIntRle;
using test_reader::IntRle;

std::vector<std::vector<int64_t>> Sequences() {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  std::vector<std::vector<int64_t>> out = {
      {}, {0}, {7, 7}, {5, 5, 5}, std::vector<int64_t>(10, -3), std::vector<int64_t>(11, 42),
      std::vector<int64_t>(2000, 1), {kMin, kMax, 0, -1, 1}, {kMax, kMax, kMax, kMin, kMin, kMin},
      {1, 2, 3, 4, 5, 100, 99, 98, 97, 0, 0},
  };
  std::vector<int64_t> progression;
  for (int i = 0; i < 1500; ++i) progression.push_back(1000 - 7 * i);
  out.push_back(progression);
  uint64_t state = 99;
  for (unsigned bits : {1u, 3u, 8u, 13u, 24u, 31u, 33u, 47u, 57u, 63u}) {
    std::vector<int64_t> random;
    for (int i = 0; i < 700; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      const auto magnitude = static_cast<int64_t>((state >> 1) >> (63 - bits));
      random.push_back((i % 3 == 0) ? -magnitude : magnitude);
      if (i % 50 == 0) random.insert(random.end(), 4, magnitude);  // runs among literals
    }
    out.push_back(random);
  }
  return out;
}

TEST(OrcRleEncoders, IntRleRoundTripsSignedAndUnsigned) {
  for (const auto& values : Sequences()) {
    for (const bool is_signed : {true, false}) {
      std::vector<int64_t> input = values;
      if (!is_signed) {
        for (auto& v : input) v = v == std::numeric_limits<int64_t>::min() ? 0 : (v < 0 ? -v : v);
      }
      std::string v2;
      EncodeIntRleV2(input, is_signed, v2);
      auto decoded = DecodeIntRle(v2, input.size(), is_signed, IntRle::kV2);
      ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
      EXPECT_EQ(*decoded, input);
      std::string v1;
      EncodeIntRleV1(input, is_signed, v1);
      decoded = DecodeIntRle(v1, input.size(), is_signed, IntRle::kV1);
      ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
      EXPECT_EQ(*decoded, input);
    }
  }
}

TEST(OrcRleEncoders, RunsAreCompact) {
  std::string out;
  EncodeIntRleV2(std::vector<int64_t>(5, 10000), false, out);
  EXPECT_EQ(out, std::string("\x0a\x27\x10", 3));  // the specification's SHORT_REPEAT example
  out.clear();
  EncodeIntRleV2(std::vector<int64_t>(512, 3), true, out);
  EXPECT_EQ(out.size(), 4u);  // one fixed DELTA run
}

TEST(OrcRleEncoders, ByteRleAndBooleansRoundTrip) {
  std::vector<uint8_t> bytes;
  for (int i = 0; i < 1000; ++i) bytes.push_back(static_cast<uint8_t>(i < 300 ? 7 : i * 31));
  std::string out;
  EncodeByteRle(bytes, out);
  auto decoded = test_reader::DecodeByteRle(out, bytes.size());
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, bytes);
  std::vector<uint8_t> bits;
  for (int i = 0; i < 1001; ++i) bits.push_back(static_cast<uint8_t>((i * i) % 3 == 0 ? 1 : 0));
  out.clear();
  EncodeByteRle(PackBooleans(bits), out);
  auto decoded_bits = test_reader::DecodeBooleans(out, bits.size());
  ASSERT_TRUE(decoded_bits.has_value());
  EXPECT_EQ(*decoded_bits, bits);
}

}  // namespace
}  // namespace sluice::formats::orc
