#pragma once
// The Parquet schema of a Hive table, as Hive writes it: every column and struct field OPTIONAL,
// array<T> as the standard 3-level LIST (optional group (LIST) { repeated group list { optional
// element } }) and map<K,V> as the standard MAP (optional group (MAP) { repeated group key_value
// { required key; optional value } }), per parquet-format LogicalTypes.md. Nodes carry the
// definition and repetition levels the record shredder and the column writers use.

#include <string>
#include <vector>

#include "core/result.h"
#include "formats/parquet/parquet_enums.h"
#include "formats/parquet/thrift_compact.h"
#include "formats/parquet/writer_options.h"
#include "formats/record_writer.h"
#include "formats/schema/hive_type.h"

namespace sluice::formats::parquet {

struct SchemaNode {
  enum class Role { kPrimitive, kStruct, kList, kMap, kRepeated };

  Role role = Role::kPrimitive;
  std::string name;
  std::vector<std::string> path;  // names from the column down: path_in_schema for a leaf
  std::string label;  // for messages: "geo.lat", "tags[]", "attrs{}" (a map's value), "attrs{key}"
  HiveType type;     // the Hive type this node stores (unused for kRepeated)
  Repetition repetition = Repetition::kOptional;
  int def = 0;  // definition level of this node when its value is present
  int rep = 0;  // repetition level of the innermost repeated node at or above this one
  int id = 0;   // position in depth-first order, the root being 0
  int leaf = -1;  // index among the leaves (primitive nodes), in depth-first order
  int first_leaf = 0, leaf_end = 0;  // leaves under this node: [first_leaf, leaf_end)
  std::vector<SchemaNode> children;
};

// Physical type and width of a primitive Hive type's leaf.
PhysicalType PhysicalTypeOf(const HiveType& type, const WriterOptions& options);
int FixedWidthOf(const HiveType& type, const WriterOptions& options);  // 0 for variable width

class ParquetSchema {
 public:
  // Fails (kInvalidArgument) for an empty table or a type ParseHiveType refuses, naming the column.
  static Result<ParquetSchema> Create(const std::vector<ColumnSpec>& columns,
                                      const WriterOptions& options);

  const SchemaNode& root() const { return root_; }
  const std::vector<const SchemaNode*>& leaves() const { return leaves_; }
  int node_count() const { return node_count_; }

  // parquet.thrift's list<SchemaElement> (FileMetaData field 2).
  void WriteSchema(CompactWriter& writer) const;

  ParquetSchema(ParquetSchema&&) = default;
  ParquetSchema& operator=(ParquetSchema&&) = default;

 private:
  ParquetSchema() = default;
  void Index(SchemaNode& node);

  WriterOptions options_;
  SchemaNode root_;
  std::vector<const SchemaNode*> leaves_;
  int node_count_ = 0;
};

}  // namespace sluice::formats::parquet
