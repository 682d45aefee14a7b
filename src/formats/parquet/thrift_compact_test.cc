#include "formats/parquet/thrift_compact.h"
#include "formats/parquet/test_bytes.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice::formats::parquet {
namespace {

TEST(ThriftCompactTest, ZigZagMapsSignedToUnsigned) {
  EXPECT_EQ(ZigZag(0), 0u);
  EXPECT_EQ(ZigZag(-1), 1u);
  EXPECT_EQ(ZigZag(1), 2u);
  EXPECT_EQ(ZigZag(-2), 3u);
  EXPECT_EQ(ZigZag(2147483647), 4294967294u);
  EXPECT_EQ(ZigZag(-2147483648LL), 4294967295u);
  EXPECT_EQ(ZigZag(INT64_MIN), UINT64_MAX);
}

TEST(ThriftCompactTest, Uleb128) {
  std::string out;
  AppendUleb128(0, out);
  AppendUleb128(127, out);
  AppendUleb128(128, out);
  AppendUleb128(300, out);
  EXPECT_EQ(out, Bytes({0x00, 0x7F, 0x80, 0x01, 0xAC, 0x02}));
}

TEST(ThriftCompactTest, ShortAndLongFieldHeaders) {
  std::string out;
  CompactWriter writer(out);
  writer.BeginStruct();
  writer.FieldI32(1, 3);      // delta 1, type 5; zigzag(3) = 6
  writer.FieldI64(5, -1);     // delta 4, type 6; zigzag(-1) = 1
  writer.FieldI32(100, 0);    // delta 95: type byte, then zigzag(100) = 200 as varint
  writer.FieldBool(101, true);
  writer.FieldBool(102, false);
  writer.EndStruct();
  EXPECT_EQ(out, Bytes({0x15, 0x06, 0x46, 0x01, 0x05, 0xC8, 0x01, 0x00, 0x11, 0x12, 0x00}));
}

TEST(ThriftCompactTest, NestedStructRestoresFieldIdContext) {
  std::string out;
  CompactWriter writer(out);
  writer.BeginStruct();
  writer.FieldI32(2, 1);
  writer.FieldStructBegin(3);
  writer.FieldI8(1, -1);
  writer.EndStruct();
  writer.FieldBinary(4, "ab");  // delta 1 from field 3, not from the inner field 1
  writer.EndStruct();
  EXPECT_EQ(out, Bytes({0x25, 0x02, 0x1C, 0x13, 0xFF, 0x00, 0x18, 0x02, 'a', 'b', 0x00}));
}

TEST(ThriftCompactTest, ListHeaders) {
  std::string out;
  CompactWriter writer(out);
  writer.BeginStruct();
  writer.FieldListBegin(1, CompactType::kI32, 2);
  writer.ElementI32(1);
  writer.ElementI32(-1);
  writer.FieldListBegin(2, CompactType::kBinary, 15);
  writer.EndStruct();
  EXPECT_EQ(out, Bytes({0x19, 0x25, 0x02, 0x01, 0x19, 0xF8, 0x0F, 0x00}));
}

}  // namespace
}  // namespace sluice::formats::parquet
