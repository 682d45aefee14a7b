// Encoding vectors from the ORC specification (orc.apache.org/specification/ORCv1).
#include "formats/orc/test_reader/rle_decoders.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::formats::orc::test_reader {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

TEST(OrcTestReaderRle, ByteRleRunAndLiterals) {
  auto run = DecodeByteRle(Bytes({0x61, 0x00}), 100);
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(*run, std::vector<uint8_t>(100, 0));
  auto literals = DecodeByteRle(Bytes({0xfe, 0x44, 0x45}), 2);
  ASSERT_TRUE(literals.has_value());
  EXPECT_EQ(*literals, (std::vector<uint8_t>{0x44, 0x45}));
}

TEST(OrcTestReaderRle, BooleansAreMostSignificantBitFirst) {
  auto bits = DecodeBooleans(Bytes({0xff, 0x80}), 8);
  ASSERT_TRUE(bits.has_value());
  EXPECT_EQ(*bits, (std::vector<uint8_t>{1, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(OrcTestReaderRle, IntRleV1) {
  auto run = DecodeIntRle(Bytes({0x61, 0x00, 0x07}), 100, false, IntRle::kV1);
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(*run, std::vector<int64_t>(100, 7));
  auto delta = DecodeIntRle(Bytes({0x61, 0xff, 0x64}), 100, false, IntRle::kV1);
  ASSERT_TRUE(delta.has_value());
  EXPECT_EQ(delta->front(), 100);
  EXPECT_EQ(delta->back(), 1);
  auto literals = DecodeIntRle(Bytes({0xfb, 0x02, 0x03, 0x06, 0x07, 0xb}), 5, false, IntRle::kV1);
  ASSERT_TRUE(literals.has_value());
  EXPECT_EQ(*literals, (std::vector<int64_t>{2, 3, 6, 7, 11}));
}

TEST(OrcTestReaderRle, IntRleV2ShortRepeatAndDirect) {
  auto repeat = DecodeIntRle(Bytes({0x0a, 0x27, 0x10}), 5, false, IntRle::kV2);
  ASSERT_TRUE(repeat.has_value());
  EXPECT_EQ(*repeat, std::vector<int64_t>(5, 10000));
  auto direct = DecodeIntRle(Bytes({0x5e, 0x03, 0x5c, 0xa1, 0xab, 0x1e, 0xde, 0xad, 0xbe, 0xef}),
                             4, false, IntRle::kV2);
  ASSERT_TRUE(direct.has_value());
  EXPECT_EQ(*direct, (std::vector<int64_t>{23713, 43806, 57005, 48879}));
}

TEST(OrcTestReaderRle, IntRleV2PatchedBase) {
  auto values = DecodeIntRle(
      Bytes({0x8e, 0x13, 0x2b, 0x21, 0x07, 0xd0, 0x1e, 0x00, 0x14, 0x70, 0x28, 0x32, 0x3c, 0x46,
             0x50, 0x5a, 0x64, 0x6e, 0x78, 0x82, 0x8c, 0x96, 0xa0, 0xaa, 0xb4, 0xbe, 0xfc, 0xe8}),
      20, false, IntRle::kV2);
  ASSERT_TRUE(values.has_value());
  EXPECT_EQ(*values, (std::vector<int64_t>{2030, 2000, 2020, 1000000, 2040, 2050, 2060, 2070,
                                           2080, 2090, 2100, 2110, 2120, 2130, 2140, 2150, 2160,
                                           2170, 2180, 2190}));
}

TEST(OrcTestReaderRle, IntRleV2Delta) {
  auto values = DecodeIntRle(Bytes({0xc6, 0x09, 0x02, 0x02, 0x22, 0x42, 0x42, 0x46}), 10, false,
                             IntRle::kV2);
  ASSERT_TRUE(values.has_value());
  EXPECT_EQ(*values, (std::vector<int64_t>{2, 3, 5, 7, 11, 13, 17, 19, 23, 29}));
}

TEST(OrcTestReaderRle, TruncatedStreamsFailCleanly) {
  EXPECT_FALSE(DecodeIntRle(Bytes({0x5e, 0x03, 0x5c}), 4, false, IntRle::kV2).has_value());
  EXPECT_FALSE(DecodeIntRle(Bytes({0x0a, 0x27, 0x10}), 6, false, IntRle::kV2).has_value());
  EXPECT_FALSE(DecodeByteRle(Bytes({0xfe, 0x44}), 2).has_value());
}

}  // namespace
}  // namespace sluice::formats::orc::test_reader
