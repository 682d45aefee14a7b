#include "formats/orc/orc_writer.h"

#include <algorithm>
#include <cctype>

#include "formats/orc/protobuf_writer.h"

namespace sluice::formats::orc {
namespace {

using simdjson::dom::element;

constexpr std::string_view kMagic = "ORC";
constexpr uint32_t kMaxCompressionBlock = (1u << 23) - 1;
constexpr uint64_t kWriterVersion = 6;  // ORC-135: timestamp statistics are in UTC
constexpr size_t kMaxQuotedValue = 64;

// orc_proto.proto Type.Kind.
uint64_t OrcTypeKind(HiveKind kind) {
  switch (kind) {
    case HiveKind::kBoolean: return 0;
    case HiveKind::kTinyint: return 1;
    case HiveKind::kSmallint: return 2;
    case HiveKind::kInt: return 3;
    case HiveKind::kBigint: return 4;
    case HiveKind::kFloat: return 5;
    case HiveKind::kDouble: return 6;
    case HiveKind::kString: return 7;
    case HiveKind::kBinary: return 8;
    case HiveKind::kTimestamp: return 9;
    case HiveKind::kArray: return 10;
    case HiveKind::kMap: return 11;
    case HiveKind::kStruct: return 12;
    case HiveKind::kDecimal: return 14;
    case HiveKind::kDate: return 15;
    case HiveKind::kVarchar: return 16;
    case HiveKind::kChar: return 17;
  }
  return 7;
}

std::unexpected<Error> NotA(const std::string& label, const HiveType& type, element value,
                            std::string_view what) {
  std::string text = simdjson::to_string(value);
  if (text.size() > kMaxQuotedValue) text = text.substr(0, kMaxQuotedValue) + "...";
  return InvalidArgument("column \"" + label + "\" (" + HiveTypeName(type) + "): value " + text +
                         " is not a JSON " + std::string(what));
}

bool IsFraction(double value) { return value >= 0 && value <= 1; }

}  // namespace

OrcWriter::OrcWriter(const OrcWriterOptions& options, JsonValueConverter converter)
    : options_(options),
      converter_(std::move(converter)),
      compressor_(options.compression, options.compression_block_size) {
  pending_ = kMagic;
  written_ = kMagic.size();
}

Result<std::unique_ptr<OrcWriter>> OrcWriter::Create(const std::vector<ColumnSpec>& columns,
                                                     const OrcWriterOptions& options,
                                                     const JsonInputOptions& input) {
  if (columns.empty()) return InvalidArgument("ORC schema: the table has no columns");
  if (options.row_index_stride < 0) {
    return InvalidArgument("OrcSerDe RowIndexStride must be 0 (no index) or more, got " +
                           std::to_string(options.row_index_stride));
  }
  if (options.stripe_size_bytes < 1) {
    return InvalidArgument("OrcSerDe StripeSizeBytes must be at least 1, got " +
                           std::to_string(options.stripe_size_bytes));
  }
  if (options.compression_block_size < 1 || options.compression_block_size > kMaxCompressionBlock) {
    return InvalidArgument("ORC compression block size must be 1.." +
                           std::to_string(kMaxCompressionBlock) + " bytes, got " +
                           std::to_string(options.compression_block_size));
  }
  if (!IsFraction(options.dictionary_key_threshold) ||
      !IsFraction(options.bloom_filter_false_positive_probability) ||
      !IsFraction(options.padding_tolerance)) {
    return InvalidArgument(
        "OrcSerDe DictionaryKeyThreshold, BloomFilterFalsePositiveProbability and "
        "PaddingTolerance must be between 0 and 1");
  }
  auto converter = JsonValueConverter::Create(input);
  if (!converter) return std::unexpected(converter.error());
  std::unique_ptr<OrcWriter> writer(new OrcWriter(options, std::move(*converter)));
  writer->root_type_.kind = HiveKind::kStruct;
  for (const ColumnSpec& column : columns) {
    auto type = ParseHiveType(column.type);
    if (!type) {
      return InvalidArgument("column \"" + column.name + "\": " + type.error().message);
    }
    writer->root_type_.children.push_back(std::move(*type));
    writer->root_type_.field_names.push_back(column.name);
  }
  if (auto status = writer->AddNodes(writer->root_type_, "", input); !status) {
    return std::unexpected(status.error());
  }
  auto bloom = writer->BloomFilterColumns();
  if (!bloom) return std::unexpected(bloom.error());
  for (size_t id = 0; id < writer->nodes_.size(); ++id) {
    writer->columns_.emplace_back(static_cast<uint32_t>(id), *writer->nodes_[id].type,
                                  writer->options_, (*bloom)[id] != 0);
  }
  writer->marks_.resize(writer->nodes_.size());
  return writer;
}

Result<std::vector<uint8_t>> OrcWriter::BloomFilterColumns() const {
  std::vector<uint8_t> bloom(nodes_.size(), 0);
  const auto lower = [](std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  };
  const Node& root = nodes_[0];
  for (const std::string& name : options_.bloom_filter_columns) {
    const auto& fields = root_type_.field_names;
    const auto it = std::find_if(fields.begin(), fields.end(), [&](const std::string& field) {
      return lower(field) == lower(name);
    });
    if (it == fields.end()) {
      return InvalidArgument("OrcSerDe BloomFilterColumns names \"" + name +
                             "\", which is not a column of the table");
    }
    // The column and everything nested in it (ids are pre-order, so its subtree is contiguous).
    const size_t field = static_cast<size_t>(it - fields.begin());
    const uint32_t first = root.children[field];
    const size_t end = field + 1 < root.children.size() ? root.children[field + 1] : nodes_.size();
    std::fill(bloom.begin() + first, bloom.begin() + static_cast<std::ptrdiff_t>(end), 1);
  }
  return bloom;
}

Status OrcWriter::AddNodes(const HiveType& type, const std::string& label,
                           const JsonInputOptions& input) {
  const auto id = static_cast<uint32_t>(nodes_.size());
  nodes_.push_back(Node{&type, label, {}, std::nullopt, {}, {}});
  if (type.kind == HiveKind::kStruct) {
    auto matcher = KeyMatcher::Create(type.field_names, input, id == 0);
    if (!matcher) {
      if (id == 0) return std::unexpected(matcher.error());
      return InvalidArgument("column \"" + label + "\": " + matcher.error().message);
    }
    nodes_[id].matcher = std::move(*matcher);
    nodes_[id].field_values.resize(type.children.size());
    nodes_[id].field_present.resize(type.children.size());
  }
  for (size_t i = 0; i < type.children.size(); ++i) {
    std::string child_label;
    switch (type.kind) {
      case HiveKind::kStruct:
        child_label = label.empty() ? type.field_names[i] : label + "." + type.field_names[i];
        break;
      case HiveKind::kArray: child_label = label + "[]"; break;
      default: child_label = label + (i == 0 ? ".key" : ".value"); break;
    }
    const auto child_id = static_cast<uint32_t>(nodes_.size());
    nodes_[id].children.push_back(child_id);
    if (auto status = AddNodes(type.children[i], child_label, input); !status) return status;
  }
  return {};
}

Status OrcWriter::Append(element record) {
  if (finished_) return Fail(ErrorCode::kInternal, "ORC writer: Append after Finish");
  simdjson::dom::object object;
  if (record.get_object().get(object) != simdjson::SUCCESS) {
    return InvalidArgument("record is not a JSON object, so it has no fields to match the columns");
  }
  if (options_.row_index_stride > 0 && stripe_rows_ == next_row_group_) {
    for (ColumnWriter& column : columns_) column.StartRowGroup();
    next_row_group_ += options_.row_index_stride;
  }
  for (size_t id = 0; id < columns_.size(); ++id) marks_[id] = columns_[id].mark();
  if (auto status = WriteStruct(0, object); !status) {
    for (size_t id = 0; id < columns_.size(); ++id) columns_[id].Rollback(marks_[id]);
    return status;
  }
  ++rows_;
  ++stripe_rows_;
  if (BufferedBytes() >= static_cast<size_t>(options_.stripe_size_bytes)) return FlushStripe();
  return {};
}

Status OrcWriter::WriteStruct(uint32_t id, simdjson::dom::object object) {
  Node& node = nodes_[id];
  columns_[id].AddPresent();
  std::fill(node.field_present.begin(), node.field_present.end(), 0);
  for (const auto field : object) {
    const int index = node.matcher->Find(field.key);
    if (index == KeyMatcher::kNoField) continue;
    node.field_values[index] = field.value;  // a repeated key: the last one counts
    node.field_present[index] = 1;
  }
  for (size_t i = 0; i < node.children.size(); ++i) {
    if (node.field_present[i] == 0) {
      columns_[node.children[i]].AddNull();
    } else if (auto status = Write(node.children[i], node.field_values[i]); !status) {
      return status;
    }
  }
  return {};
}

Status OrcWriter::Write(uint32_t id, element value) {
  if (value.is_null()) {
    columns_[id].AddNull();
    return {};
  }
  const Node& node = nodes_[id];
  switch (node.type->kind) {
    case HiveKind::kStruct: {
      simdjson::dom::object object;
      if (value.get_object().get(object) != simdjson::SUCCESS) {
        return NotA(node.label, *node.type, value, "object");
      }
      return WriteStruct(id, object);
    }
    case HiveKind::kArray: return WriteList(id, value);
    case HiveKind::kMap: return WriteMap(id, value);
    default: {
      auto converted = converter_.Convert(node.label, *node.type, value);
      if (!converted) return std::unexpected(converted.error());
      columns_[id].AddValue(*converted);
      return {};
    }
  }
}

Status OrcWriter::WriteList(uint32_t id, element value) {
  const Node& node = nodes_[id];
  simdjson::dom::array items;
  if (value.get_array().get(items) != simdjson::SUCCESS) {
    return NotA(node.label, *node.type, value, "array");
  }
  uint64_t count = 0;
  for (const element item : items) {
    if (auto status = Write(node.children[0], item); !status) return status;
    ++count;
  }
  columns_[id].AddPresent();
  columns_[id].AddLength(count);
  return {};
}

Status OrcWriter::WriteMap(uint32_t id, element value) {
  const Node& node = nodes_[id];
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    return NotA(node.label, *node.type, value, "object");
  }
  const uint32_t key_id = node.children[0];
  KeyMatcher& keys = *nodes_[0].matcher;
  uint64_t count = 0;
  for (const auto field : object) {
    auto key = converter_.ConvertKey(nodes_[key_id].label, *nodes_[key_id].type,
                                     keys.MapKey(field.key));
    if (!key) return std::unexpected(key.error());
    columns_[key_id].AddValue(*key);  // copied at once: the key may live in scratch space
    if (auto status = Write(node.children[1], field.value); !status) return status;
    ++count;
  }
  columns_[id].AddPresent();
  columns_[id].AddLength(count);
  return {};
}

size_t OrcWriter::BufferedBytes() const {
  size_t total = 0;
  for (const ColumnWriter& column : columns_) total += column.buffered_bytes();
  return total;
}

Status OrcWriter::FlushStripe() {
  if (stripe_rows_ == 0) return {};
  StripeStreams streams;
  ProtobufWriter statistics;
  for (ColumnWriter& column : columns_) {
    if (auto status = column.EncodeStripe(compressor_, streams); !status) return status;
    statistics.Bytes(1, column.stripe_statistics().Serialize());
  }
  ProtobufWriter footer;
  for (const std::string& stream : streams.index_streams) footer.Bytes(1, stream);
  for (const std::string& stream : streams.data_streams) footer.Bytes(1, stream);
  for (const std::string& encoding : streams.encodings) footer.Bytes(2, encoding);
  footer.Bytes(3, "UTC");
  std::string footer_bytes;
  if (auto status = compressor_.Append(footer.bytes(), footer_bytes); !status) return status;

  ProtobufWriter information;
  information.Varint(1, written_);
  information.Varint(2, streams.index.size());
  information.Varint(3, streams.data.size());
  information.Varint(4, footer_bytes.size());
  information.Varint(5, static_cast<uint64_t>(stripe_rows_));
  stripe_information_.push_back(information.Take());
  stripe_statistics_.push_back(statistics.Take());

  pending_.append(streams.index);
  pending_.append(streams.data);
  pending_.append(footer_bytes);
  written_ += streams.index.size() + streams.data.size() + footer_bytes.size();
  stripe_rows_ = 0;
  next_row_group_ = 0;
  return {};
}

Result<std::string> OrcWriter::Tail() {
  ProtobufWriter metadata;
  for (const std::string& stripe : stripe_statistics_) metadata.Bytes(1, stripe);
  std::string metadata_bytes;
  if (auto status = compressor_.Append(metadata.bytes(), metadata_bytes); !status) {
    return std::unexpected(status.error());
  }

  ProtobufWriter footer;
  footer.Varint(1, kMagic.size());
  footer.Varint(2, written_);
  for (const std::string& stripe : stripe_information_) footer.Bytes(3, stripe);
  for (const Node& node : nodes_) {
    ProtobufWriter type;
    type.Varint(1, OrcTypeKind(node.type->kind));
    if (!node.children.empty()) type.PackedVarints(2, node.children);
    for (const std::string& name : node.type->field_names) type.Bytes(3, name);
    if (node.type->kind == HiveKind::kVarchar || node.type->kind == HiveKind::kChar) {
      type.Varint(4, static_cast<uint64_t>(node.type->length));
    }
    if (node.type->kind == HiveKind::kDecimal) {
      type.Varint(5, static_cast<uint64_t>(node.type->precision));
      type.Varint(6, static_cast<uint64_t>(node.type->scale));
    }
    footer.Bytes(4, type.bytes());
  }
  footer.Varint(6, static_cast<uint64_t>(rows_));
  for (const ColumnWriter& column : columns_) {
    footer.Bytes(7, column.file_statistics().Serialize());
  }
  footer.Varint(8, static_cast<uint64_t>(options_.row_index_stride));
  std::string footer_bytes;
  if (auto status = compressor_.Append(footer.bytes(), footer_bytes); !status) {
    return std::unexpected(status.error());
  }

  ProtobufWriter postscript;
  postscript.Varint(1, footer_bytes.size());
  postscript.Varint(2, static_cast<uint64_t>(options_.compression));
  postscript.Varint(3, options_.compression_block_size);
  const uint64_t version[] = {0, options_.format_version == FormatVersion::kV0_11 ? 11u : 12u};
  postscript.PackedVarints(4, version);
  postscript.Varint(5, metadata_bytes.size());
  postscript.Varint(6, kWriterVersion);
  postscript.Bytes(8000, kMagic);

  std::string tail = std::move(metadata_bytes);
  tail.append(footer_bytes);
  tail.append(postscript.bytes());
  tail.push_back(static_cast<char>(postscript.bytes().size()));
  return tail;
}

std::string OrcWriter::TakeBytes() { return std::exchange(pending_, std::string()); }

Status OrcWriter::Finish() {
  if (finished_) return Fail(ErrorCode::kInternal, "ORC writer: Finish called twice");
  if (auto status = FlushStripe(); !status) return status;
  auto tail = Tail();
  if (!tail) return std::unexpected(tail.error());
  finished_ = true;
  pending_.append(*tail);
  return {};
}

}  // namespace sluice::formats::orc
