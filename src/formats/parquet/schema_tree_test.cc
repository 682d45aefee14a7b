#include "formats/parquet/schema_tree.h"

#include <gtest/gtest.h>

namespace sluice::formats::parquet {
namespace {

TEST(SchemaTreeTest, LevelsAndPathsOfNestedLeaves) {
  auto schema = ParquetSchema::Create(
      {{"id", "int"}, {"geo", "struct<lat:double,tags:array<string>>"}, {"m", "map<string,int>"}},
      {});
  ASSERT_TRUE(schema) << schema.error().message;
  // Nodes: root, id, geo, lat, tags, list, element, m, key_value, key, value.
  EXPECT_EQ(schema->node_count(), 11);
  const auto& leaves = schema->leaves();
  ASSERT_EQ(leaves.size(), 5u);
  const auto check = [&](size_t i, std::vector<std::string> path, int def, int rep,
                         const std::string& label) {
    EXPECT_EQ(leaves[i]->path, path) << i;
    EXPECT_EQ(leaves[i]->def, def) << i;
    EXPECT_EQ(leaves[i]->rep, rep) << i;
    EXPECT_EQ(leaves[i]->label, label) << i;
    EXPECT_EQ(leaves[i]->leaf, static_cast<int>(i));
  };
  check(0, {"id"}, 1, 0, "id");
  check(1, {"geo", "lat"}, 2, 0, "geo.lat");
  check(2, {"geo", "tags", "list", "element"}, 4, 1, "geo.tags[]");
  check(3, {"m", "key_value", "key"}, 2, 1, "m{key}");
  check(4, {"m", "key_value", "value"}, 3, 1, "m{}");
  const SchemaNode& geo = schema->root().children[1];
  EXPECT_EQ(geo.first_leaf, 1);
  EXPECT_EQ(geo.leaf_end, 3);
}

TEST(SchemaTreeTest, SchemaListStartsWithTheRoot) {
  auto schema = ParquetSchema::Create({{"a", "array<int>"}}, {});
  ASSERT_TRUE(schema);
  std::string out;
  CompactWriter writer(out);
  schema->WriteSchema(writer);
  // Field 2, list of 4 structs; the root: name "hive_schema" (field 4), num_children 1 (field 5).
  EXPECT_EQ(out.substr(0, 2), std::string("\x29\x4c", 2));
  EXPECT_EQ(out.substr(2, 13), std::string("\x48\x0bhive_schema", 13));
  EXPECT_EQ(out.substr(15, 3), std::string("\x15\x02\x00", 3));
  EXPECT_NE(out.find("list"), std::string::npos);
  EXPECT_NE(out.find("element"), std::string::npos);
}

TEST(SchemaTreeTest, RefusesBadColumns) {
  EXPECT_EQ(ParquetSchema::Create({}, {}).error().message, "Parquet schema: the table has no columns");
  EXPECT_EQ(ParquetSchema::Create({{"m", "map<array<int>,int>"}}, {}).error().message,
            "Parquet schema: column \"m\": column type \"map<array<int>,int>\": map keys must be a "
            "primitive type, not array<int> at position 5");
}

}  // namespace
}  // namespace sluice::formats::parquet
