#include "core/base64.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(Base64Test, RoundTripsEveryByteValueAndEveryTailLength) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t len = 0; len <= all.size(); ++len) {
    const std::string input = all.substr(0, len);
    std::string decoded;
    ASSERT_TRUE(Base64DecodeAppend(Base64Encode(input), decoded)) << len;
    EXPECT_EQ(decoded, input);
  }
}

TEST(Base64Test, MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(Base64Test, RejectsMalformedInputAndLeavesOutputUntouched) {
  for (const char* bad : {"Zg=", "Zm9", "Z===", "Zm9v!A==", "Zg==Zg==", "=Zg=", "Zm 9v", "Zm9\n"}) {
    std::string out = "keep";
    EXPECT_FALSE(Base64DecodeAppend(bad, out)) << bad;
    EXPECT_EQ(out, "keep") << bad;
  }
}

TEST(Base64Test, AppendsAfterExistingBytes) {
  std::string out = "ab";
  ASSERT_TRUE(Base64DecodeAppend("Zm9v", out));
  EXPECT_EQ(out, "abfoo");
  EXPECT_EQ(Base64DecodedSize("Zm8="), 2u);
}

}  // namespace
}  // namespace sluice
