#include "wal/format.h"

#include <gtest/gtest.h>

#include <string>

#include "core/crc32c.h"
#include "wal/segment.h"

namespace sluice::wal {
namespace {

TEST(FormatTest, RecordFrameLayoutIsExact) {
  std::string out;
  AppendFrame(out, FrameKind::kRecord, 0x0102030405060708, -2, "ab");
  ASSERT_EQ(out.size(), FrameSize(2));
  EXPECT_EQ(out.size(), 27u);
  EXPECT_EQ(GetU32(out.data()), 17u + 2u);
  EXPECT_EQ(GetU32(out.data() + 4), Crc32c(std::string_view(out).substr(8)));
  EXPECT_EQ(out.substr(8, 8), std::string("\x08\x07\x06\x05\x04\x03\x02\x01", 8));
  EXPECT_EQ(out.substr(16, 8), std::string("\xFE\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 8));
  EXPECT_EQ(out[24], '\x01');
  EXPECT_EQ(out.substr(25), "ab");
}

TEST(FormatTest, ParsesWhatItWrites) {
  std::string out;
  AppendSealFrame(out, 5, 9, 0, "desc");
  FrameView frame;
  size_t needed = 0;
  ASSERT_EQ(ParseFrame(out, frame, needed), ParseStatus::kOk);
  EXPECT_EQ(frame.kind, FrameKind::kSeal);
  EXPECT_EQ(frame.seq, 5u);
  EXPECT_EQ(frame.size, out.size());
  SealPayload seal;
  ASSERT_TRUE(ParseSealPayload(frame.payload, seal));
  EXPECT_EQ(seal.last_seq, 9u);
  EXPECT_EQ(seal.descriptor, "desc");
  EXPECT_FALSE(ParseSealPayload("short", seal));
}

TEST(FormatTest, ReportsIncompleteAndBadFrames) {
  std::string out;
  AppendFrame(out, FrameKind::kRecord, 1, 0, "payload");
  FrameView frame;
  size_t needed = 0;
  EXPECT_EQ(ParseFrame(std::string_view(out).substr(0, 3), frame, needed),
            ParseStatus::kIncomplete);
  EXPECT_EQ(needed, kFramePrefixBytes);
  EXPECT_EQ(ParseFrame(std::string_view(out).substr(0, 10), frame, needed),
            ParseStatus::kIncomplete);
  EXPECT_EQ(needed, out.size());

  std::string flipped = out;
  flipped.back() ^= 1;
  EXPECT_EQ(ParseFrame(flipped, frame, needed), ParseStatus::kBad);

  std::string huge = out;
  huge[3] = '\x7F';  // length far above kMaxFrameLength
  EXPECT_EQ(ParseFrame(huge, frame, needed), ParseStatus::kBad);

  std::string tiny = out;
  tiny[0] = 3;
  tiny[1] = tiny[2] = tiny[3] = 0;
  EXPECT_EQ(ParseFrame(tiny, frame, needed), ParseStatus::kBad);

  std::string unknown;
  AppendFrame(unknown, static_cast<FrameKind>(7), 1, 0, "x");
  EXPECT_EQ(ParseFrame(unknown, frame, needed), ParseStatus::kBad);
}

TEST(FormatTest, SegmentNames) {
  EXPECT_EQ(SegmentFileName(42), "00000000000000000042.seg");
  EXPECT_EQ(ParseSegmentFileName("00000000000000000042.seg"), 42u);
  EXPECT_EQ(ParseSegmentFileName("18446744073709551615.seg"), 18446744073709551615ull);
  EXPECT_FALSE(ParseSegmentFileName("18446744073709551616.seg"));  // overflows u64
  EXPECT_FALSE(ParseSegmentFileName("0000000000000000042.seg"));
  EXPECT_FALSE(ParseSegmentFileName("0000000000000000004a.seg"));
  EXPECT_FALSE(ParseSegmentFileName("00000000000000000042.tmp"));
  EXPECT_FALSE(ParseSegmentFileName("cursor"));
}

}  // namespace
}  // namespace sluice::wal
