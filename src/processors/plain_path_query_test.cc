#include "processors/plain_path_query.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::processors {
namespace {

using Members = std::vector<std::pair<std::string, std::vector<std::string>>>;

Members MembersOf(std::string_view query) {
  auto parsed = ParsePlainPathQuery(query);
  EXPECT_TRUE(parsed) << query;
  Members out;
  if (parsed) {
    for (const auto& member : parsed->members) out.emplace_back(member.key, member.path);
  }
  return out;
}

TEST(ParsePlainPathQueryTest, ReadsObjectsOfPlainPaths) {
  EXPECT_EQ(MembersOf("{customer_id:.customer_id}"), (Members{{"customer_id", {"customer_id"}}}));
  EXPECT_EQ(MembersOf(" {\n  a: .x.y ,\t\"b c\": .\"d e\".f, g, \"h i\" }\n"),
            (Members{{"a", {"x", "y"}}, {"b c", {"d e", "f"}}, {"g", {"g"}}, {"h i", {"h i"}}}));
  EXPECT_EQ(MembersOf("{\"ключ\": .\"поле\"}"), (Members{{"ключ", {"поле"}}}));
  EXPECT_EQ(MembersOf("{if: .and}"), (Members{{"if", {"and"}}}));
  EXPECT_EQ(MembersOf("{}"), Members{});
}

TEST(ParsePlainPathQueryTest, LeavesEverythingElseToJq) {
  for (std::string_view query :
       {"{year: .ts|strftime(\"%Y\")}", "{a: .a?}", "{a: .[\"a\"]}", "{a: .a[0]}", "{a: .}", "{a: . a}",
        "{a: .a .b}", "{a: .a, a: .b}", "{a, a}", "{\"a\\u0041\": .a}", "{\"\\(.x)\": .a}", "{a: .a} # c",
        "{a: .a,}", "{a: $x}", "{(.k): .a}", "{a: .a} | .", ".a", "{a: .a", "{\"a\n\": .a}", "{1a: .a}",
        "{a: .a::b}", "{\"\xff\": .a}", "[.a]", ""}) {
    EXPECT_FALSE(ParsePlainPathQuery(query)) << query;
  }
}

std::map<std::string, QueryValue> Evaluate(std::string_view query, std::string_view json, bool* by_jq) {
  static simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  simdjson::dom::element root = parser.parse(padded).value_unsafe();
  auto members = EvaluatePlainPaths(*ParsePlainPathQuery(query), simdjson::dom::object(root));
  *by_jq = !members;
  return members ? *members : std::map<std::string, QueryValue>{};
}

TEST(EvaluatePlainPathsTest, ReadsLikeJq) {
  bool by_jq = false;
  auto members = Evaluate("{a: .a, n: .x.n, s: .x.s, b: .b, m: .missing, mm: .missing.deeper, z: .z.deeper}",
                          R"({"a":"A","x":{"n":1.50,"s":"\u00e9"},"b":false,"z":null})", &by_jq);
  EXPECT_FALSE(by_jq);
  EXPECT_EQ(members["a"].text, "A");
  EXPECT_EQ(members["n"].text, "1.5");
  EXPECT_EQ(members["n"].kind, JsonKind::kNumber);
  EXPECT_EQ(members["s"].text, "\xC3\xA9");
  EXPECT_EQ(members["b"].text, "false");
  EXPECT_EQ(members["m"].kind, JsonKind::kNull);
  EXPECT_EQ(members["mm"].kind, JsonKind::kNull);
  EXPECT_EQ(members["z"].kind, JsonKind::kNull);
  EXPECT_EQ(Evaluate("{a}", R"({"a":1,"a":2})", &by_jq)["a"].text, "2");  // the last duplicate
  EXPECT_EQ(Evaluate("{a}", R"({"a":[1]})", &by_jq)["a"].kind, JsonKind::kArray);
}

TEST(EvaluatePlainPathsTest, LeavesIndexingANonObjectToJq) {
  bool by_jq = false;
  Evaluate("{a: .a.b}", R"({"a":"text"})", &by_jq);
  EXPECT_TRUE(by_jq);
  Evaluate("{a: .a.b}", R"({"a":[1]})", &by_jq);
  EXPECT_TRUE(by_jq);
}

}  // namespace
}  // namespace sluice::processors
