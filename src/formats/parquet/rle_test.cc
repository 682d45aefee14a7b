#include "formats/parquet/rle.h"
#include "formats/parquet/test_bytes.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace sluice::formats::parquet {
namespace {

// An independent decoder written from the spec, to check round trips.
std::vector<uint32_t> Decode(const std::string& data, int bit_width, size_t count) {
  std::vector<uint32_t> out;
  size_t pos = 0;
  while (out.size() < count && pos < data.size()) {
    uint64_t header = 0;
    for (int shift = 0;; shift += 7) {
      const auto byte = static_cast<uint8_t>(data.at(pos++));
      header |= uint64_t{byte & 0x7Fu} << shift;
      if ((byte & 0x80) == 0) break;
    }
    if (header & 1) {
      const size_t values = (header >> 1) * 8;
      for (size_t i = 0; i < values; ++i) {
        uint32_t value = 0;
        for (int bit = 0; bit < bit_width; ++bit) {
          const size_t index = i * bit_width + bit;
          if ((static_cast<uint8_t>(data.at(pos + index / 8)) >> (index % 8)) & 1) value |= 1u << bit;
        }
        if (out.size() < count) out.push_back(value);
      }
      pos += (header >> 1) * bit_width;
    } else {
      uint32_t value = 0;
      for (int byte = 0; byte < (bit_width + 7) / 8; ++byte) {
        value |= static_cast<uint32_t>(static_cast<uint8_t>(data.at(pos++))) << (8 * byte);
      }
      out.insert(out.end(), header >> 1, value);
    }
  }
  EXPECT_EQ(pos, data.size());
  return out;
}

TEST(RleTest, BitWidth) {
  EXPECT_EQ(BitWidth(0), 0);
  EXPECT_EQ(BitWidth(1), 1);
  EXPECT_EQ(BitWidth(7), 3);
  EXPECT_EQ(BitWidth(255), 8);
  EXPECT_EQ(BitWidth(256), 9);
}

TEST(RleTest, SpecBitPackingExample) {
  // Encodings.md: 0..7 at bit width 3 pack to 10001000 11000110 11111010.
  const std::vector<uint32_t> values{0, 1, 2, 3, 4, 5, 6, 7};
  std::string out;
  AppendRleHybrid(values, 3, out);
  EXPECT_EQ(out, Bytes({0x03, 0x88, 0xC6, 0xFA}));
}

TEST(RleTest, RepeatedRun) {
  const std::vector<uint32_t> values(10, 5);
  std::string out;
  AppendRleHybrid(values, 3, out);
  EXPECT_EQ(out, Bytes({0x14, 0x05}));
  out.clear();
  AppendRleHybrid(std::vector<uint32_t>(300, 0x1234), 13, out);
  EXPECT_EQ(out, Bytes({0xD8, 0x04, 0x34, 0x12}));  // 300 << 1 = 600 as varint, 2 value bytes
}

TEST(RleTest, ShortRunsArePackedAndFinalGroupPadded) {
  const std::vector<uint32_t> values{1, 0, 1};
  std::string out;
  AppendRleHybrid(values, 1, out);
  EXPECT_EQ(out, Bytes({0x03, 0x05}));
}

TEST(RleTest, PackedRunBeforeRepeatHoldsWholeGroups) {
  // 3 distinct values then 10 equal: the packed run borrows 5 to fill its group; 5 remain, too
  // few for a repeat run, so everything is packed.
  std::vector<uint32_t> values{1, 2, 3};
  values.insert(values.end(), 10, 7);
  std::string out;
  AppendRleHybrid(values, 3, out);
  EXPECT_EQ(out[0], 0x05);  // two groups of 8
  EXPECT_EQ(Decode(out, 3, values.size()), values);

  values.insert(values.end(), 10, 7);  // now 20 sevens: 8 packed (3 + 5), then a run of 15
  out.clear();
  AppendRleHybrid(values, 3, out);
  EXPECT_EQ(out.substr(0, 1), Bytes({0x03}));
  EXPECT_EQ(out.substr(4), Bytes({0x1E, 0x07}));
  EXPECT_EQ(Decode(out, 3, values.size()), values);
}

TEST(RleTest, ZeroBitWidth) {
  std::string out;
  AppendRleHybrid(std::vector<uint32_t>(20, 0), 0, out);
  EXPECT_EQ(out, Bytes({0x28}));
  out.clear();
  AppendRleHybrid(std::vector<uint32_t>(3, 0), 0, out);
  EXPECT_EQ(out, Bytes({0x03}));
}

TEST(RleTest, EncoderHoldsRunsPackedAndStartsOverAfterFinish) {
  // 10,000 alternating levels never make an RLE run: one bit-packed run, held at a bit a value.
  RleHybridEncoder encoder(1);
  std::vector<uint32_t> values;
  for (uint32_t i = 0; i < 10'000; ++i) {
    values.push_back(i % 2);
    encoder.Add(i % 2);
  }
  EXPECT_LE(encoder.held_bytes(), 10'000u / 8);
  std::string out = "x";
  encoder.Finish(out);
  EXPECT_EQ(out.substr(1), [&] {
    std::string expected;
    AppendRleHybrid(values, 1, expected);
    return expected;
  }());
  EXPECT_EQ(Decode(out.substr(1), 1, values.size()), values);
  EXPECT_EQ(encoder.held_bytes(), 0u);
  // The next values are encoded on their own.
  for (int i = 0; i < 10; ++i) encoder.Add(1);
  out.clear();
  encoder.Finish(out);
  EXPECT_EQ(out, Bytes({0x14, 0x01}));
}

TEST(RleTest, RandomRoundTrips) {
  std::mt19937 random(7);
  for (int bit_width : {1, 2, 5, 8, 13, 20, 32}) {
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<uint32_t> values(random() % 300);
      const uint64_t limit = bit_width == 32 ? 0x100000000ull : (1ull << bit_width);
      for (auto& value : values) {
        // Mostly runs, sometimes noise.
        value = (random() % 4 == 0 || values.empty()) ? static_cast<uint32_t>(random() % limit)
                                                      : static_cast<uint32_t>((trial * 31) % limit);
      }
      std::string out;
      AppendRleHybrid(values, bit_width, out);
      EXPECT_EQ(Decode(out, bit_width, values.size()), values) << bit_width;
    }
  }
}

}  // namespace
}  // namespace sluice::formats::parquet
