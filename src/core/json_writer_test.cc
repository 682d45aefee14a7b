#include "core/json_writer.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(JsonWriterTest, PlacesCommasAndNestsContainers) {
  JsonWriter w;
  w.BeginObject().Key("a").Int(-1).Key("b").BeginArray().String("x").Bool(true).Null().EndArray();
  w.Key("c").BeginObject().EndObject().Key("d").Uint(18446744073709551615ULL).EndObject();
  EXPECT_EQ(w.str(), R"({"a":-1,"b":["x",true,null],"c":{},"d":18446744073709551615})");
}

TEST(JsonWriterTest, EscapesControlCharactersQuotesAndBackslashes) {
  std::string out;
  AppendJsonString(out, std::string("q\"b\\n\n\x01\x1f\xc3\xa9", 10));
  EXPECT_EQ(out, "\"q\\\"b\\\\n\\n\\u0001\\u001f\xc3\xa9\"");
}

TEST(JsonWriterTest, WritesDoublesShortestAndRaw) {
  JsonWriter w;
  w.BeginArray().Double(1700000000.123).Double(2).Raw("{\"x\":1}").EndArray();
  EXPECT_EQ(w.str(), "[1700000000.123,2,{\"x\":1}]");
}

}  // namespace
}  // namespace sluice
