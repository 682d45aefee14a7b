#include "formats/parquet/schema_tree.h"

#include <optional>

#include "formats/schema/value.h"

namespace sluice::formats::parquet {
namespace {

// Smallest byte count whose signed range holds every decimal of `precision` digits.
int DecimalWidth(int precision) {
  Int128 largest = 1;
  for (int i = 0; i < precision; ++i) largest *= 10;
  largest -= 1;
  int width = 1;
  while (width < 16 && largest >= (Int128{1} << (8 * width - 1))) ++width;
  return width;
}

SchemaNode Build(std::string name, const HiveType& type, const SchemaNode& parent,
                 std::string label, Repetition repetition = Repetition::kOptional) {
  SchemaNode node;
  node.name = std::move(name);
  node.path = parent.path;
  node.path.push_back(node.name);
  node.label = std::move(label);
  node.type = type;
  node.repetition = repetition;
  node.def = parent.def + (repetition == Repetition::kRequired ? 0 : 1);
  node.rep = parent.rep;
  switch (type.kind) {
    case HiveKind::kStruct:
      node.role = SchemaNode::Role::kStruct;
      for (size_t i = 0; i < type.children.size(); ++i) {
        node.children.push_back(Build(type.field_names[i], type.children[i], node,
                                      node.label + "." + type.field_names[i]));
      }
      break;
    case HiveKind::kArray:
    case HiveKind::kMap: {
      const bool is_map = type.kind == HiveKind::kMap;
      node.role = is_map ? SchemaNode::Role::kMap : SchemaNode::Role::kList;
      SchemaNode repeated;
      repeated.role = SchemaNode::Role::kRepeated;
      repeated.name = is_map ? "key_value" : "list";
      repeated.path = node.path;
      repeated.path.push_back(repeated.name);
      repeated.label = node.label;
      repeated.repetition = Repetition::kRepeated;
      repeated.def = node.def + 1;
      repeated.rep = node.rep + 1;
      if (is_map) {
        repeated.children.push_back(
            Build("key", type.children[0], repeated, node.label + "{key}", Repetition::kRequired));
        repeated.children.push_back(Build("value", type.children[1], repeated, node.label + "{}"));
      } else {
        repeated.children.push_back(Build("element", type.children[0], repeated, node.label + "[]"));
      }
      node.children.push_back(std::move(repeated));
      break;
    }
    default:
      node.role = SchemaNode::Role::kPrimitive;
      break;
  }
  return node;
}

void WriteLeafAnnotations(const HiveType& type, PhysicalType physical, CompactWriter& writer) {
  std::optional<ConvertedType> converted;
  switch (type.kind) {
    case HiveKind::kTinyint:
      converted = ConvertedType::kInt8;
      break;
    case HiveKind::kSmallint:
      converted = ConvertedType::kInt16;
      break;
    case HiveKind::kString:
    case HiveKind::kVarchar:
    case HiveKind::kChar:
      converted = ConvertedType::kUtf8;
      break;
    case HiveKind::kDate:
      converted = ConvertedType::kDate;
      break;
    case HiveKind::kDecimal:
      converted = ConvertedType::kDecimal;
      break;
    case HiveKind::kTimestamp:
      if (physical == PhysicalType::kInt64) converted = ConvertedType::kTimestampMillis;
      break;
    default:
      break;
  }
  if (!converted) return;
  writer.FieldI32(6, static_cast<int32_t>(*converted));
  if (type.kind == HiveKind::kDecimal) {
    writer.FieldI32(7, type.scale);
    writer.FieldI32(8, type.precision);
  }
  // LogicalType (field 10), a union: exactly one member struct.
  writer.FieldStructBegin(10);
  switch (*converted) {
    case ConvertedType::kUtf8:
      writer.FieldStructBegin(1);  // STRING
      writer.EndStruct();
      break;
    case ConvertedType::kDate:
      writer.FieldStructBegin(6);  // DATE
      writer.EndStruct();
      break;
    case ConvertedType::kDecimal:
      writer.FieldStructBegin(5);  // DECIMAL
      writer.FieldI32(1, type.scale);
      writer.FieldI32(2, type.precision);
      writer.EndStruct();
      break;
    case ConvertedType::kTimestampMillis:
      writer.FieldStructBegin(8);  // TIMESTAMP
      writer.FieldBool(1, true);   // isAdjustedToUTC
      writer.FieldStructBegin(2);  // unit: TimeUnit union
      writer.FieldStructBegin(1);  // MILLIS
      writer.EndStruct();
      writer.EndStruct();
      writer.EndStruct();
      break;
    case ConvertedType::kInt8:
    case ConvertedType::kInt16:
      writer.FieldStructBegin(10);  // INTEGER
      writer.FieldI8(1, type.kind == HiveKind::kTinyint ? 8 : 16);
      writer.FieldBool(2, true);
      writer.EndStruct();
      break;
    case ConvertedType::kMap:
    case ConvertedType::kList:
      break;
  }
  writer.EndStruct();
}

void WriteNode(const SchemaNode& node, const WriterOptions& options, CompactWriter& writer) {
  writer.BeginStruct();
  if (node.role == SchemaNode::Role::kPrimitive) {
    const PhysicalType physical = PhysicalTypeOf(node.type, options);
    writer.FieldI32(1, static_cast<int32_t>(physical));
    if (physical == PhysicalType::kFixedLenByteArray) {
      writer.FieldI32(2, FixedWidthOf(node.type, options));
    }
  }
  writer.FieldI32(3, static_cast<int32_t>(node.repetition));
  writer.FieldBinary(4, node.name);
  if (node.role == SchemaNode::Role::kPrimitive) {
    WriteLeafAnnotations(node.type, PhysicalTypeOf(node.type, options), writer);
  } else {
    writer.FieldI32(5, static_cast<int32_t>(node.children.size()));
    if (node.role == SchemaNode::Role::kList || node.role == SchemaNode::Role::kMap) {
      const bool is_map = node.role == SchemaNode::Role::kMap;
      writer.FieldI32(6, static_cast<int32_t>(is_map ? ConvertedType::kMap : ConvertedType::kList));
      writer.FieldStructBegin(10);
      writer.FieldStructBegin(is_map ? 2 : 3);  // LogicalType MAP / LIST
      writer.EndStruct();
      writer.EndStruct();
    }
  }
  writer.EndStruct();
  for (const SchemaNode& child : node.children) WriteNode(child, options, writer);
}

}  // namespace

PhysicalType PhysicalTypeOf(const HiveType& type, const WriterOptions& options) {
  switch (type.kind) {
    case HiveKind::kBoolean:
      return PhysicalType::kBoolean;
    case HiveKind::kTinyint:
    case HiveKind::kSmallint:
    case HiveKind::kInt:
    case HiveKind::kDate:
      return PhysicalType::kInt32;
    case HiveKind::kBigint:
      return PhysicalType::kInt64;
    case HiveKind::kFloat:
      return PhysicalType::kFloat;
    case HiveKind::kDouble:
      return PhysicalType::kDouble;
    case HiveKind::kDecimal:
      return PhysicalType::kFixedLenByteArray;
    case HiveKind::kTimestamp:
      return options.timestamp_encoding == TimestampEncoding::kInt96 ? PhysicalType::kInt96
                                                                     : PhysicalType::kInt64;
    default:
      return PhysicalType::kByteArray;
  }
}

int FixedWidthOf(const HiveType& type, const WriterOptions& options) {
  switch (PhysicalTypeOf(type, options)) {
    case PhysicalType::kInt32:
    case PhysicalType::kFloat:
      return 4;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble:
      return 8;
    case PhysicalType::kInt96:
      return 12;
    case PhysicalType::kFixedLenByteArray:
      return DecimalWidth(type.precision);
    default:
      return 0;
  }
}

Result<ParquetSchema> ParquetSchema::Create(const std::vector<ColumnSpec>& columns,
                                            const WriterOptions& options) {
  if (columns.empty()) return InvalidArgument("Parquet schema: the table has no columns");
  ParquetSchema schema;
  schema.options_ = options;
  schema.root_.role = SchemaNode::Role::kStruct;
  schema.root_.name = "hive_schema";
  schema.root_.repetition = Repetition::kRequired;
  for (const ColumnSpec& column : columns) {
    if (column.name.empty()) return InvalidArgument("Parquet schema: a column has an empty name");
    auto type = ParseHiveType(column.type);
    if (!type) {
      return InvalidArgument("Parquet schema: column \"" + column.name + "\": " + type.error().message);
    }
    schema.root_.type.field_names.push_back(column.name);
    schema.root_.children.push_back(Build(column.name, *type, schema.root_, column.name));
  }
  schema.Index(schema.root_);
  return schema;
}

void ParquetSchema::Index(SchemaNode& node) {
  node.id = node_count_++;
  node.first_leaf = static_cast<int>(leaves_.size());
  if (node.role == SchemaNode::Role::kPrimitive) {
    node.leaf = static_cast<int>(leaves_.size());
    leaves_.push_back(&node);
  }
  for (SchemaNode& child : node.children) Index(child);
  node.leaf_end = static_cast<int>(leaves_.size());
}

void ParquetSchema::WriteSchema(CompactWriter& writer) const {
  writer.FieldListBegin(2, CompactType::kStruct, static_cast<uint32_t>(node_count_));
  writer.BeginStruct();  // the root: a name and its children only
  writer.FieldBinary(4, root_.name);
  writer.FieldI32(5, static_cast<int32_t>(root_.children.size()));
  writer.EndStruct();
  for (const SchemaNode& column : root_.children) WriteNode(column, options_, writer);
}

}  // namespace sluice::formats::parquet
