#include "core/base64.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>

namespace sluice {
namespace {

// A deliberately simple one-character-at-a-time decoder with the contract of
// Base64DecodeAppend, as the oracle for the table-driven one.
bool ReferenceDecode(std::string_view text, std::string& out) {
  if (text.size() % 4 != 0) return false;
  std::string decoded;
  for (size_t q = 0; q < text.size(); q += 4) {
    const bool last = q + 4 == text.size();
    int padding = 0;
    if (last && text[q + 3] == '=') padding = text[q + 2] == '=' ? 2 : 1;
    uint32_t triple = 0;
    for (size_t i = 0; i < 4; ++i) {
      const char c = text[q + i];
      const bool pad_slot = static_cast<int>(i) >= 4 - padding;
      int value;
      if (pad_slot) {
        value = 0;
      } else if (c >= 'A' && c <= 'Z') {
        value = c - 'A';
      } else if (c >= 'a' && c <= 'z') {
        value = c - 'a' + 26;
      } else if (c >= '0' && c <= '9') {
        value = c - '0' + 52;
      } else if (c == '+') {
        value = 62;
      } else if (c == '/') {
        value = 63;
      } else {
        return false;
      }
      triple = (triple << 6) | static_cast<uint32_t>(value);
    }
    for (int b = 0; b < 3 - padding; ++b) decoded += static_cast<char>(triple >> (16 - 8 * b));
  }
  out += decoded;
  return true;
}

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

TEST(Base64Test, DecoderAgreesWithTheReferenceOnRandomInput) {
  // Mostly-valid text with occasional padding and invalid characters in random places, so
  // both the accepting and the rejecting paths are exercised at every position.
  static constexpr std::string_view kChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  // '\xc1' is 'A' with the top bit set: a table indexed by the low 7 bits alone would take it.
  static constexpr std::array<char, 7> kOdd{'=', '-', '_', ' ', '\0', '\xff', '\xc1'};
  std::mt19937 rng(20261130);
  size_t accepted = 0, rejected = 0;
  for (int round = 0; round < 20000; ++round) {
    // Up to 400 characters, so the 64- and 32-character vector steps and the scalar tail all run.
    const size_t length = rng() % 400;
    std::string text;
    for (size_t i = 0; i < length; ++i) text += kChars[rng() % kChars.size()];
    switch (rng() % 4) {
      case 0: break;  // as generated
      case 1:         // canonical padding
        if (length >= 4 && length % 4 == 0) text.back() = '=';
        if (length >= 4 && length % 4 == 0 && rng() % 2 == 0) text[length - 2] = '=';
        break;
      default:  // one odd character anywhere
        if (length > 0) text[rng() % length] = kOdd[rng() % kOdd.size()];
    }
    std::string expected = "prefix";
    std::string actual = "prefix";
    const bool expected_ok = ReferenceDecode(text, expected);
    ASSERT_EQ(Base64DecodeAppend(text, actual), expected_ok) << text;
    ASSERT_EQ(actual, expected) << text;
    (expected_ok ? accepted : rejected)++;
  }
  EXPECT_GT(accepted, 2000u);
  EXPECT_GT(rejected, 2000u);
}

TEST(Base64Test, DecodesLongInputThatRoundTrips) {
  std::mt19937 rng(7);
  std::string bytes(100'003, '\0');
  for (auto& byte : bytes) byte = static_cast<char>(rng());
  std::string decoded;
  ASSERT_TRUE(Base64DecodeAppend(Base64Encode(bytes), decoded));
  EXPECT_EQ(decoded, bytes);
}

}  // namespace
}  // namespace sluice
