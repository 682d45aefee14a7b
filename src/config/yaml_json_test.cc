#include "config/yaml_json.h"

#include <gtest/gtest.h>

namespace sluice::config {
namespace {

std::string Convert(const std::string& yaml) {
  auto json = YamlToJson(YAML::Load(yaml));
  EXPECT_TRUE(json.has_value()) << json.error().message;
  return json.value_or("");
}

TEST(YamlJsonTest, PlainScalarsResolveLikeYamlCoreSchema) {
  EXPECT_EQ(Convert("[42, -7, +3, 007, 1.5, .5, 2e3, true, False, null, ~, , yes, 0x10, .inf]"),
            R"([42,-7,3,7,1.5,0.5,2000,true,false,null,null,null,"yes","0x10",".inf"])");
}

TEST(YamlJsonTest, QuotedAndTaggedScalarsStayStrings) {
  EXPECT_EQ(Convert(R"(["42", '1.5', "true", !!str 7, "null"])"),
            R"(["42","1.5","true","7","null"])");
}

TEST(YamlJsonTest, IntegersBeyondInt64StayStrings) {
  EXPECT_EQ(Convert("[99999999999999999999]"), R"(["99999999999999999999"])");
}

TEST(YamlJsonTest, MappingsAndNestingKeepOrderAndEscape) {
  EXPECT_EQ(Convert("b: {x: [1, {y: \"a\\\"b\"}]}\na: multi word\n"),
            R"({"b":{"x":[1,{"y":"a\"b"}]},"a":"multi word"})");
}

TEST(YamlJsonTest, RejectsNonScalarKeys) {
  auto json = YamlToJson(YAML::Load("? [a, b]\n: 1\n"));
  ASSERT_FALSE(json.has_value());
  EXPECT_EQ(json.error().message, "line 1: mapping keys must be plain text");
}

}  // namespace
}  // namespace sluice::config
