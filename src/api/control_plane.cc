// The control-plane operations: create, describe, list, update, delete, tags.

#include <algorithm>
#include <array>

#include "api/operations.h"
#include "config/field_rules.h"
#include "config/stream_config.h"
#include "config/stream_config_json.h"
#include "core/json_writer.h"

namespace sluice::api {
namespace {

constexpr std::string_view kDestinationId = "destinationId-000000000001";

std::string EmptyObject() { return "{}"; }

double EpochSeconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

template <size_t N>
Status CheckMembers(const config::JsonObject& fields, const std::array<std::string_view, N>& known) {
  return fields.CheckMembers(known, {});
}

void WriteDescription(JsonWriter& w, const streams::StreamView& view, bool list_destination) {
  const auto& config = view.config;
  w.BeginObject().Key("DeliveryStreamDescription").BeginObject();
  w.Key("DeliveryStreamName").String(config.name);
  w.Key("DeliveryStreamARN").String(view.arn);
  w.Key("DeliveryStreamStatus").String("ACTIVE");
  w.Key("DeliveryStreamType").String(config.type);
  w.Key("DeliveryStreamEncryptionConfiguration").BeginObject();
  if (config.encryption) {
    if (config.encryption->key_arn) w.Key("KeyARN").String(*config.encryption->key_arn);
    w.Key("KeyType").String(config::KeyTypeName(config.encryption->key_type));
    w.Key("Status").String("ENABLED");
  } else {
    w.Key("Status").String("DISABLED");
  }
  w.EndObject();
  w.Key("VersionId").String(std::to_string(view.meta.version));
  w.Key("CreateTimestamp").Double(EpochSeconds(view.meta.create_ms));
  if (view.meta.last_update_ms != 0) {
    w.Key("LastUpdateTimestamp").Double(EpochSeconds(view.meta.last_update_ms));
  }
  if (config.throughput_hint_mbs) {
    w.Key("Source").BeginObject().Key("DirectPutSourceDescription").BeginObject();
    w.Key("ThroughputHintInMBs").Int(*config.throughput_hint_mbs).EndObject().EndObject();
  }
  w.Key("Destinations").BeginArray();
  if (list_destination) {
    w.BeginObject().Key("DestinationId").String(kDestinationId);
    config::WriteDestinationDescriptions(w, config);
    w.EndObject();
  }
  w.EndArray();
  w.Key("HasMoreDestinations").Bool(false);
  w.EndObject().EndObject();
}

}  // namespace

void CreateDeliveryStream(const OperationContext& context, simdjson::dom::element request,
                          const config::JsonObject&, OperationDone done) {
  auto config = config::ParseCreateDeliveryStream(request);
  if (!config) return done(Failed(config.error()));
  auto arn = context.registry.Create(std::move(*config));
  if (!arn) return done(Failed(arn.error()));
  JsonWriter writer;
  writer.BeginObject().Key("DeliveryStreamARN").String(*arn).EndObject();
  done(writer.Take());
}

void DeleteDeliveryStream(const OperationContext& context, simdjson::dom::element,
                          const config::JsonObject& fields, OperationDone done) {
  static constexpr std::array<std::string_view, 2> kKnown{"DeliveryStreamName", "AllowForceDelete"};
  if (auto checked = CheckMembers(fields, kKnown); !checked) return done(Failed(checked.error()));
  auto name = StreamName(fields);
  if (!name) return done(Failed(name.error()));
  if (auto force = fields.Bool("AllowForceDelete"); !force) return done(Failed(force.error()));
  if (auto deleted = context.registry.Delete(*name); !deleted) return done(Failed(deleted.error()));
  done(EmptyObject());
}

void DescribeDeliveryStream(const OperationContext& context, simdjson::dom::element,
                            const config::JsonObject& fields, OperationDone done) {
  static constexpr std::array<std::string_view, 3> kKnown{"DeliveryStreamName", "Limit",
                                                          "ExclusiveStartDestinationId"};
  if (auto checked = CheckMembers(fields, kKnown); !checked) return done(Failed(checked.error()));
  auto name = StreamName(fields);
  if (!name) return done(Failed(name.error()));
  if (auto limit = fields.Int("Limit", 1, 10000); !limit) return done(Failed(limit.error()));
  auto start = fields.String("ExclusiveStartDestinationId");
  if (!start) return done(Failed(start.error()));
  auto view = context.registry.Describe(*name);
  if (!view) return done(Failed(view.error()));
  // Destinations are listed after the exclusive start id; a stream has one destination.
  const bool list_destination = !*start || **start < kDestinationId;
  JsonWriter writer;
  WriteDescription(writer, *view, list_destination);
  done(writer.Take());
}

void ListDeliveryStreams(const OperationContext& context, simdjson::dom::element,
                         const config::JsonObject& fields, OperationDone done) {
  static constexpr std::array<std::string_view, 3> kKnown{"Limit", "DeliveryStreamType",
                                                          "ExclusiveStartDeliveryStreamName"};
  if (auto checked = CheckMembers(fields, kKnown); !checked) return done(Failed(checked.error()));
  auto limit = fields.Int("Limit", 1, 10000);
  if (!limit) return done(Failed(limit.error()));
  auto type = fields.String("DeliveryStreamType");
  if (!type) return done(Failed(type.error()));
  static constexpr std::array<std::string_view, 4> kTypes{"DirectPut", "KinesisStreamAsSource",
                                                          "MSKAsSource", "DatabaseAsSource"};
  if (*type && std::find(kTypes.begin(), kTypes.end(), **type) == kTypes.end()) {
    return done(Failed({ErrorCode::kInvalidArgument,
                        "DeliveryStreamType " + config::Quote(**type) +
                            " must be one of DirectPut, KinesisStreamAsSource, MSKAsSource, DatabaseAsSource"}));
  }
  auto start = fields.String("ExclusiveStartDeliveryStreamName");
  if (!start) return done(Failed(start.error()));

  // Every stream served today is DirectPut.
  const bool type_matches = !*type || **type == "DirectPut";
  const std::vector<std::string> names = type_matches ? context.registry.Names() : std::vector<std::string>{};
  auto first = names.begin();
  if (*start) first = std::upper_bound(names.begin(), names.end(), **start);
  const size_t max = static_cast<size_t>(limit->value_or(10));
  const size_t listed = std::min(max, static_cast<size_t>(names.end() - first));
  JsonWriter w;
  w.BeginObject().Key("DeliveryStreamNames").BeginArray();
  for (auto it = first; it != first + static_cast<ptrdiff_t>(listed); ++it) w.String(*it);
  w.EndArray();
  w.Key("HasMoreDeliveryStreams").Bool(first + static_cast<ptrdiff_t>(listed) != names.end());
  w.EndObject();
  done(w.Take());
}

void UpdateDestination(const OperationContext& context, simdjson::dom::element,
                       const config::JsonObject& fields, OperationDone done) {
  static constexpr std::array<std::string_view, 5> kKnown{
      "DeliveryStreamName", "CurrentDeliveryStreamVersionId", "DestinationId",
      "ExtendedS3DestinationUpdate", "S3DestinationUpdate"};
  static constexpr std::array<std::string_view, 8> kOtherDestinations{
      "RedshiftDestinationUpdate", "ElasticsearchDestinationUpdate",
      "AmazonopensearchserviceDestinationUpdate", "SplunkDestinationUpdate",
      "HttpEndpointDestinationUpdate", "AmazonOpenSearchServerlessDestinationUpdate",
      "SnowflakeDestinationUpdate", "IcebergDestinationUpdate"};
  if (auto checked = fields.CheckMembers(kKnown, kOtherDestinations,
                                         "streams deliver to S3 buckets: use ExtendedS3DestinationUpdate");
      !checked) {
    return done(Failed(checked.error()));
  }
  auto name = StreamName(fields);
  if (!name) return done(Failed(name.error()));
  auto version = config::Required(fields.String("CurrentDeliveryStreamVersionId"), fields,
                                  "CurrentDeliveryStreamVersionId");
  if (!version) return done(Failed(version.error()));
  if (version->empty() || version->size() > 50 ||
      !std::all_of(version->begin(), version->end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return done(Failed({ErrorCode::kInvalidArgument,
                        "CurrentDeliveryStreamVersionId " + config::Quote(*version) + " must be 1 to 50 digits"}));
  }
  auto destination_id = config::Required(fields.String("DestinationId"), fields, "DestinationId");
  if (!destination_id) return done(Failed(destination_id.error()));
  const auto extended = fields.Member("ExtendedS3DestinationUpdate");
  const auto plain = fields.Member("S3DestinationUpdate");
  if (extended.has_value() == plain.has_value()) {
    return done(Failed({ErrorCode::kInvalidArgument,
                        "UpdateDestination needs exactly one of ExtendedS3DestinationUpdate and S3DestinationUpdate"}));
  }
  auto update = extended ? config::ParseS3DestinationUpdate(*extended, "ExtendedS3DestinationUpdate")
                         : config::ParseS3DestinationUpdate(*plain, "S3DestinationUpdate");
  if (!update) return done(Failed(update.error()));
  if (auto updated = context.registry.UpdateDestination(*name, *version, *destination_id, *update); !updated) {
    return done(Failed(updated.error()));
  }
  done(EmptyObject());
}

void TagDeliveryStream(const OperationContext& context, simdjson::dom::element,
                       const config::JsonObject& fields, OperationDone done) {
  static constexpr std::array<std::string_view, 2> kKnown{"DeliveryStreamName", "Tags"};
  if (auto checked = CheckMembers(fields, kKnown); !checked) return done(Failed(checked.error()));
  auto name = StreamName(fields);
  if (!name) return done(Failed(name.error()));
  const auto tags_json = fields.Member("Tags");
  if (!tags_json) return done(Failed({ErrorCode::kInvalidArgument, "Tags is required"}));
  auto tags = config::ParseTags(*tags_json, "Tags");
  if (!tags) return done(Failed(tags.error()));
  if (auto tagged = context.registry.Tag(*name, *tags); !tagged) return done(Failed(tagged.error()));
  done(EmptyObject());
}

void UntagDeliveryStream(const OperationContext& context, simdjson::dom::element,
                         const config::JsonObject& fields, OperationDone done) {
  static constexpr std::array<std::string_view, 2> kKnown{"DeliveryStreamName", "TagKeys"};
  if (auto checked = CheckMembers(fields, kKnown); !checked) return done(Failed(checked.error()));
  auto name = StreamName(fields);
  if (!name) return done(Failed(name.error()));
  auto keys_json = config::Required(fields.Array("TagKeys"), fields, "TagKeys");
  if (!keys_json) return done(Failed(keys_json.error()));
  if (keys_json->size() == 0 || keys_json->size() > 50) {
    return done(Failed({ErrorCode::kInvalidArgument,
                        "TagKeys must hold 1 to 50 keys, got " + std::to_string(keys_json->size())}));
  }
  std::vector<std::string> keys;
  for (const auto key : *keys_json) {
    const std::string path = "TagKeys[" + std::to_string(keys.size()) + "]";
    std::string_view text;
    if (key.get_string().get(text) != simdjson::SUCCESS) {
      return done(Failed({ErrorCode::kInvalidArgument, path + " must be a string"}));
    }
    if (auto checked = config::CheckTagKey(text, path); !checked) return done(Failed(checked.error()));
    keys.emplace_back(text);
  }
  if (auto untagged = context.registry.Untag(*name, keys); !untagged) return done(Failed(untagged.error()));
  done(EmptyObject());
}

void ListTagsForDeliveryStream(const OperationContext& context, simdjson::dom::element,
                               const config::JsonObject& fields, OperationDone done) {
  static constexpr std::array<std::string_view, 3> kKnown{"DeliveryStreamName", "ExclusiveStartTagKey", "Limit"};
  if (auto checked = CheckMembers(fields, kKnown); !checked) return done(Failed(checked.error()));
  auto name = StreamName(fields);
  if (!name) return done(Failed(name.error()));
  auto limit = fields.Int("Limit", 1, 50);
  if (!limit) return done(Failed(limit.error()));
  auto start = fields.String("ExclusiveStartTagKey");
  if (!start) return done(Failed(start.error()));
  auto tags = context.registry.Tags(*name);
  if (!tags) return done(Failed(tags.error()));
  // Tags are listed in key order; the exclusive start key skips up to and including it.
  std::sort(tags->begin(), tags->end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  auto first = tags->begin();
  if (*start) {
    first = std::upper_bound(tags->begin(), tags->end(), **start,
                             [](std::string_view key, const config::Tag& tag) { return key < tag.key; });
  }
  const size_t listed = std::min(static_cast<size_t>(limit->value_or(50)), static_cast<size_t>(tags->end() - first));
  JsonWriter w;
  w.BeginObject().Key("Tags").BeginArray();
  for (auto it = first; it != first + static_cast<ptrdiff_t>(listed); ++it) {
    w.BeginObject().Key("Key").String(it->key).Key("Value").String(it->value).EndObject();
  }
  w.EndArray().Key("HasMoreTags").Bool(first + static_cast<ptrdiff_t>(listed) != tags->end());
  w.EndObject();
  done(w.Take());
}

}  // namespace sluice::api
