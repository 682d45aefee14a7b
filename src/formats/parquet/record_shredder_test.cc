#include "formats/parquet/record_shredder.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace sluice::formats::parquet {
namespace {

// (repetition, definition) of every entry of one leaf, and its non-null values as text.
using Levels = std::vector<std::pair<int, int>>;

class RecordShredderTest : public ::testing::Test {
 protected:
  void Build(const std::vector<ColumnSpec>& columns, const JsonInputOptions& options = {}) {
    auto schema = ParquetSchema::Create(columns, {});
    ASSERT_TRUE(schema) << schema.error().message;
    schema_.emplace(std::move(*schema));
    auto shredder = RecordShredder::Create(*schema_, options);
    ASSERT_TRUE(shredder) << shredder.error().message;
    shredder_.emplace(std::move(*shredder));
  }
  Status Shred(const std::string& json) {
    json_ = json;
    return shredder_->Shred(parser_.parse(json_).value());
  }
  Levels LevelsOf(size_t leaf) const {
    Levels out;
    for (const auto& entry : shredder_->entries()[leaf]) out.emplace_back(entry.rep, entry.def);
    return out;
  }

  simdjson::dom::parser parser_;
  std::string json_;
  std::optional<ParquetSchema> schema_;
  std::optional<RecordShredder> shredder_;
};

TEST_F(RecordShredderTest, ListsDistinguishNullEmptyAndNullElements) {
  Build({{"a", "array<int>"}});
  const auto levels = [&](const std::string& json) {
    EXPECT_TRUE(Shred(json)) << json;
    return LevelsOf(0);
  };
  EXPECT_EQ(levels(R"({})"), (Levels{{0, 0}}));
  EXPECT_EQ(levels(R"({"a": null})"), (Levels{{0, 0}}));
  EXPECT_EQ(levels(R"({"a": []})"), (Levels{{0, 1}}));
  EXPECT_EQ(levels(R"({"a": [null]})"), (Levels{{0, 2}}));
  EXPECT_EQ(levels(R"({"a": [1, null, 3]})"), (Levels{{0, 3}, {1, 2}, {1, 3}}));
  EXPECT_EQ(std::get<int64_t>(shredder_->entries()[0][2].value), 3);
}

TEST_F(RecordShredderTest, StructInListInStruct) {
  // Leaves: s.l[].x (def 5, rep 1), s.l[].y (def 5, rep 1), s.z (def 2).
  Build({{"s", "struct<l:array<struct<x:int,y:string>>,z:boolean>"}});
  ASSERT_TRUE(Shred(R"({"s": {"l": [{"x": 1}, null, {}, {"y": "q"}], "z": true}})"));
  EXPECT_EQ(LevelsOf(0), (Levels{{0, 5}, {1, 3}, {1, 4}, {1, 4}}));
  EXPECT_EQ(LevelsOf(1), (Levels{{0, 4}, {1, 3}, {1, 4}, {1, 5}}));
  EXPECT_EQ(LevelsOf(2), (Levels{{0, 2}}));
  ASSERT_TRUE(Shred(R"({"s": {}})"));
  EXPECT_EQ(LevelsOf(0), (Levels{{0, 1}}));
  EXPECT_EQ(LevelsOf(2), (Levels{{0, 1}}));
}

TEST_F(RecordShredderTest, MapsAndListsOfLists) {
  Build({{"m", "map<int,array<string>>"}, {"ll", "array<array<int>>"}});
  ASSERT_TRUE(Shred(R"({"m": {"7": ["a", "b"], "8": null, "9": []}, "ll": [[1, 2], [], null, [3]]})"));
  // Keys: required, so their full level is the key_value group's (2).
  EXPECT_EQ(LevelsOf(0), (Levels{{0, 2}, {1, 2}, {1, 2}}));
  EXPECT_EQ(std::get<int64_t>(shredder_->entries()[0][1].value), 8);
  EXPECT_EQ(LevelsOf(1), (Levels{{0, 5}, {2, 5}, {1, 2}, {1, 3}}));
  EXPECT_EQ(LevelsOf(2), (Levels{{0, 5}, {2, 5}, {1, 3}, {1, 2}, {1, 5}}));
  ASSERT_TRUE(Shred(R"({"m": {}})"));
  EXPECT_EQ(LevelsOf(0), (Levels{{0, 1}}));
  EXPECT_EQ(LevelsOf(1), (Levels{{0, 1}}));
}

TEST_F(RecordShredderTest, RepeatedKeyKeepsTheLastValue) {
  Build({{"a", "int"}});
  ASSERT_TRUE(Shred(R"({"a": 1, "A": 2})"));
  EXPECT_EQ(std::get<int64_t>(shredder_->entries()[0][0].value), 2);
}

TEST_F(RecordShredderTest, ErrorsNameThePath) {
  Build({{"s", "struct<l:array<map<string,int>>>"}});
  EXPECT_EQ(Shred(R"({"s": {"l": [{"k": "x"}]}})").error().message,
            "column \"s.l[]{}\" (int): value \"x\" is not an integer");
  EXPECT_EQ(Shred(R"({"s": {"l": {}}})").error().message,
            "column \"s.l\" (array<map<string,int>>): value {} is not a JSON array");
  EXPECT_EQ(Shred(R"([])").error().message,
            "record is not a JSON object, so it has no fields to match the columns");
}

TEST_F(RecordShredderTest, NestedFieldsFollowTheSerDeKeyRules) {
  JsonInputOptions options;
  options.convert_dots_to_underscores = true;
  Build({{"s", "struct<a_b:int>"}, {"m", "map<string,int>"}}, options);
  ASSERT_TRUE(Shred(R"({"S": {"A.B": 4}, "m": {"K.K": 1}})"));
  EXPECT_EQ(std::get<int64_t>(shredder_->entries()[0][0].value), 4);
  EXPECT_EQ(std::get<OwnedText>(shredder_->entries()[1][0].value).text, "k_k");
  JsonInputOptions hive;
  hive.serde = JsonInputOptions::SerDe::kHive;
  Build({{"m", "map<string,int>"}}, hive);
  ASSERT_TRUE(Shred(R"({"m": {"K.K": 1}})"));
  EXPECT_EQ(std::get<std::string_view>(shredder_->entries()[0][0].value), "K.K");
}

}  // namespace
}  // namespace sluice::formats::parquet
