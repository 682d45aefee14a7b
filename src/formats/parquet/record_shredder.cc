#include "formats/parquet/record_shredder.h"

namespace sluice::formats::parquet {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr size_t kMaxQuotedValue = 64;

std::unexpected<Error> NotA(const SchemaNode& node, element value, std::string_view what) {
  std::string text = simdjson::to_string(value);
  if (text.size() > kMaxQuotedValue) text = text.substr(0, kMaxQuotedValue) + "...";
  return InvalidArgument("column \"" + node.label + "\" (" + HiveTypeName(node.type) + "): value " +
                         text + " is not a JSON " + std::string(what));
}

// Parquet levels are stored in a byte per entry here; Hive types nest far less deep.
constexpr int kMaxLevel = 255;

void CollectStructs(const SchemaNode& node, std::vector<const SchemaNode*>& out) {
  if (node.role == SchemaNode::Role::kStruct) out.push_back(&node);
  for (const SchemaNode& child : node.children) CollectStructs(child, out);
}

}  // namespace

Result<RecordShredder> RecordShredder::Create(const ParquetSchema& schema,
                                              const JsonInputOptions& options) {
  auto converter = JsonValueConverter::Create(options);
  if (!converter) return std::unexpected(converter.error());
  RecordShredder shredder(schema, std::move(*converter));
  const auto nodes = static_cast<size_t>(schema.node_count());
  shredder.matchers_.resize(nodes);
  shredder.field_values_.resize(nodes);
  shredder.field_present_.resize(nodes);
  std::vector<const SchemaNode*> structs;
  CollectStructs(schema.root(), structs);
  for (const SchemaNode* node : structs) {
    auto matcher = KeyMatcher::Create(node->type.field_names, options, node == &schema.root());
    if (!matcher) {
      if (node == &schema.root()) return std::unexpected(matcher.error());
      return InvalidArgument("column \"" + node->label + "\": " + matcher.error().message);
    }
    shredder.matchers_[node->id] = std::move(*matcher);
    shredder.field_values_[node->id].resize(node->children.size());
    shredder.field_present_[node->id].resize(node->children.size());
  }
  for (const SchemaNode* leaf : schema.leaves()) {
    if (leaf->def > kMaxLevel || leaf->rep > kMaxLevel) {
      return InvalidArgument("column \"" + leaf->label + "\" is nested too deeply");
    }
  }
  shredder.entries_.resize(schema.leaves().size());
  return shredder;
}

Status RecordShredder::Shred(element record) {
  simdjson::dom::object object;
  if (record.get_object().get(object) != simdjson::SUCCESS) {
    return InvalidArgument("record is not a JSON object, so it has no fields to match the columns");
  }
  for (auto& leaf_entries : entries_) leaf_entries.clear();
  return WriteStruct(schema_->root(), object, 0);
}

void RecordShredder::WriteNull(const SchemaNode& node, int def, int rep) {
  for (int leaf = node.first_leaf; leaf < node.leaf_end; ++leaf) {
    entries_[leaf].push_back({static_cast<uint8_t>(def), static_cast<uint8_t>(rep), Value()});
  }
}

Status RecordShredder::WriteStruct(const SchemaNode& node, simdjson::dom::object object, int rep) {
  KeyMatcher& matcher = *matchers_[node.id];
  auto& values = field_values_[node.id];
  auto& present = field_present_[node.id];
  std::fill(present.begin(), present.end(), 0);
  for (const auto field : object) {
    const int index = matcher.Find(field.key);
    if (index == KeyMatcher::kNoField) continue;
    values[index] = field.value;  // a repeated key: the last one counts
    present[index] = 1;
  }
  for (size_t i = 0; i < node.children.size(); ++i) {
    const SchemaNode& child = node.children[i];
    if (!present[i]) {
      WriteNull(child, node.def, rep);
      continue;
    }
    if (auto written = Write(child, values[i], rep); !written) return written;
  }
  return {};
}

Status RecordShredder::Write(const SchemaNode& node, element value, int rep) {
  const element_type type = value.type();
  if (type == element_type::NULL_VALUE) {
    WriteNull(node, node.def - 1, rep);
    return {};
  }
  switch (node.role) {
    case SchemaNode::Role::kPrimitive: {
      auto converted = converter_.Convert(node.label, node.type, value);
      if (!converted) return std::unexpected(converted.error());
      entries_[node.leaf].push_back(
          {static_cast<uint8_t>(node.def), static_cast<uint8_t>(rep), std::move(*converted)});
      return {};
    }
    case SchemaNode::Role::kStruct: {
      simdjson::dom::object object;
      if (value.get_object().get(object) != simdjson::SUCCESS) return NotA(node, value, "object");
      return WriteStruct(node, object, rep);
    }
    case SchemaNode::Role::kList:
    case SchemaNode::Role::kMap:
      return WriteRepeated(node, value, rep);
    case SchemaNode::Role::kRepeated:
      break;
  }
  return Fail(ErrorCode::kInternal, "record shredder: unexpected schema node " + node.label);
}

Status RecordShredder::WriteRepeated(const SchemaNode& node, element value, int rep) {
  const SchemaNode& repeated = node.children[0];
  const bool is_map = node.role == SchemaNode::Role::kMap;
  simdjson::dom::array items;
  simdjson::dom::object object;
  if (is_map ? value.get_object().get(object) != simdjson::SUCCESS
             : value.get_array().get(items) != simdjson::SUCCESS) {
    return NotA(node, value, is_map ? "object" : "array");
  }
  int element_rep = rep;
  bool empty = true;
  if (!is_map) {
    for (const element item : items) {
      if (auto written = Write(repeated.children[0], item, element_rep); !written) return written;
      element_rep = repeated.rep;
      empty = false;
    }
  } else {
    const SchemaNode& key = repeated.children[0];
    KeyMatcher& matcher = *matchers_[schema_->root().id];
    for (const auto field : object) {
      auto converted = converter_.ConvertKey(key.label, key.type, matcher.MapKey(field.key));
      if (!converted) return std::unexpected(converted.error());
      if (const auto* text = std::get_if<std::string_view>(&*converted);
          text != nullptr && text->data() != field.key.data()) {
        *converted = OwnedText{std::string(*text)};  // the key was rewritten in scratch space
      }
      entries_[key.leaf].push_back(
          {static_cast<uint8_t>(key.def), static_cast<uint8_t>(element_rep), std::move(*converted)});
      if (auto written = Write(repeated.children[1], field.value, element_rep); !written) {
        return written;
      }
      element_rep = repeated.rep;
      empty = false;
    }
  }
  if (empty) WriteNull(repeated, node.def, rep);
  return {};
}

}  // namespace sluice::formats::parquet
