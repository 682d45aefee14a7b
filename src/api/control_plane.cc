// The control-plane operations: create, describe, list, update, delete, tags.

#include <algorithm>

#include "api/operations.h"
#include "api/request_json.h"
#include "config/stream_config.h"
#include "config/stream_config_json.h"
#include "core/json_writer.h"

namespace sluice::api {
namespace {

constexpr std::string_view kDestinationId = "destinationId-000000000001";

std::unexpected<ApiError> Failed(const Error& error) { return std::unexpected(ToApiError(error)); }

std::string EmptyObject() { return "{}"; }

double EpochSeconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

}  // namespace

void CreateDeliveryStream(const OperationContext& context, simdjson::dom::object,
                          OperationDone done) {
  auto config = config::ParseCreateDeliveryStream(context.request);
  if (!config) return done(Failed(config.error()));
  auto arn = context.registry.Create(std::move(*config));
  if (!arn) return done(Failed(arn.error()));
  JsonWriter writer;
  writer.BeginObject().Key("DeliveryStreamARN").String(*arn).EndObject();
  done(writer.Take());
}

void DeleteDeliveryStream(const OperationContext& context, simdjson::dom::object body,
                          OperationDone done) {
  if (auto checked = CheckMembers(body, {"DeliveryStreamName", "AllowForceDelete"}, "DeleteDeliveryStream");
      !checked) {
    return done(std::unexpected(checked.error()));
  }
  auto name = StreamName(body);
  if (!name) return done(std::unexpected(name.error()));
  if (auto force = OptionalBool(body, "AllowForceDelete"); !force) {
    return done(std::unexpected(force.error()));
  }
  if (auto deleted = context.registry.Delete(*name); !deleted) return done(Failed(deleted.error()));
  done(EmptyObject());
}

void DescribeDeliveryStream(const OperationContext& context, simdjson::dom::object body,
                            OperationDone done) {
  if (auto checked = CheckMembers(body, {"DeliveryStreamName", "Limit", "ExclusiveStartDestinationId"},
                                  "DescribeDeliveryStream");
      !checked) {
    return done(std::unexpected(checked.error()));
  }
  auto name = StreamName(body);
  if (!name) return done(std::unexpected(name.error()));
  auto limit = OptionalIntInRange(body, "Limit", 1, 10000);
  if (!limit) return done(std::unexpected(limit.error()));
  auto start = OptionalString(body, "ExclusiveStartDestinationId");
  if (!start) return done(std::unexpected(start.error()));
  auto view = context.registry.Describe(*name);
  if (!view) return done(Failed(view.error()));
  // Destination ids sort after the exclusive start; ours is the only one.
  const bool list_destination = !*start || **start < kDestinationId;

  const auto& config = view->config;
  JsonWriter w;
  w.BeginObject().Key("DeliveryStreamDescription").BeginObject();
  w.Key("DeliveryStreamName").String(config.name);
  w.Key("DeliveryStreamARN").String(view->arn);
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
  w.Key("VersionId").String(std::to_string(view->meta.version));
  w.Key("CreateTimestamp").Double(EpochSeconds(view->meta.create_ms));
  if (view->meta.last_update_ms != 0) {
    w.Key("LastUpdateTimestamp").Double(EpochSeconds(view->meta.last_update_ms));
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
  done(w.Take());
}

void ListDeliveryStreams(const OperationContext& context, simdjson::dom::object body,
                         OperationDone done) {
  if (auto checked = CheckMembers(body, {"Limit", "DeliveryStreamType", "ExclusiveStartDeliveryStreamName"},
                                  "ListDeliveryStreams");
      !checked) {
    return done(std::unexpected(checked.error()));
  }
  auto limit = OptionalIntInRange(body, "Limit", 1, 10000);
  if (!limit) return done(std::unexpected(limit.error()));
  auto type = OptionalString(body, "DeliveryStreamType");
  if (!type) return done(std::unexpected(type.error()));
  constexpr std::string_view kTypes[] = {"DirectPut", "KinesisStreamAsSource", "MSKAsSource",
                                         "DatabaseAsSource"};
  if (*type && std::find(std::begin(kTypes), std::end(kTypes), **type) == std::end(kTypes)) {
    return done(Failed({ErrorCode::kInvalidArgument,
                        "DeliveryStreamType \"" + std::string(**type) +
                            "\" must be one of DirectPut, KinesisStreamAsSource, MSKAsSource, "
                            "DatabaseAsSource"}));
  }
  auto start = OptionalString(body, "ExclusiveStartDeliveryStreamName");
  if (!start) return done(std::unexpected(start.error()));

  const size_t max = static_cast<size_t>(limit->value_or(10));
  // Every stream served today is DirectPut.
  const bool type_matches = !*type || **type == "DirectPut";
  std::vector<std::string> names = type_matches ? context.registry.Names() : std::vector<std::string>{};
  auto first = names.begin();
  if (*start) first = std::upper_bound(names.begin(), names.end(), std::string(**start));
  JsonWriter w;
  w.BeginObject().Key("DeliveryStreamNames").BeginArray();
  size_t listed = 0;
  for (auto it = first; it != names.end() && listed < max; ++it, ++listed) w.String(*it);
  w.EndArray();
  w.Key("HasMoreDeliveryStreams").Bool(static_cast<size_t>(names.end() - first) > listed);
  w.EndObject();
  done(w.Take());
}

void UpdateDestination(const OperationContext& context, simdjson::dom::object body,
                       OperationDone done) {
  static constexpr std::string_view kOtherUpdates[] = {
      "RedshiftDestinationUpdate", "ElasticsearchDestinationUpdate",
      "AmazonopensearchserviceDestinationUpdate", "SplunkDestinationUpdate",
      "HttpEndpointDestinationUpdate", "AmazonOpenSearchServerlessDestinationUpdate",
      "SnowflakeDestinationUpdate", "IcebergDestinationUpdate"};
  for (const auto other : kOtherUpdates) {
    if (body.at_key(other).error() == simdjson::SUCCESS) {
      return done(Failed({ErrorCode::kInvalidArgument,
                          std::string(other) + " is not supported yet: Sluice streams deliver to S3 "
                                               "buckets (ExtendedS3DestinationUpdate or S3DestinationUpdate)"}));
    }
  }
  if (auto checked = CheckMembers(body,
                                  {"DeliveryStreamName", "CurrentDeliveryStreamVersionId", "DestinationId",
                                   "ExtendedS3DestinationUpdate", "S3DestinationUpdate"},
                                  "UpdateDestination");
      !checked) {
    return done(std::unexpected(checked.error()));
  }
  auto name = StreamName(body);
  if (!name) return done(std::unexpected(name.error()));
  auto version = RequiredString(body, "CurrentDeliveryStreamVersionId");
  if (!version) return done(std::unexpected(version.error()));
  if (version->empty() || version->size() > 50 ||
      !std::all_of(version->begin(), version->end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return done(Failed({ErrorCode::kInvalidArgument, "CurrentDeliveryStreamVersionId \"" + std::string(*version) +
                                                         "\" must be 1 to 50 digits"}));
  }
  auto destination_id = RequiredString(body, "DestinationId");
  if (!destination_id) return done(std::unexpected(destination_id.error()));
  simdjson::dom::element extended, plain;
  const bool has_extended = body["ExtendedS3DestinationUpdate"].get(extended) == simdjson::SUCCESS;
  const bool has_plain = body["S3DestinationUpdate"].get(plain) == simdjson::SUCCESS;
  if (has_extended == has_plain) {
    return done(Failed({ErrorCode::kInvalidArgument,
                        "UpdateDestination needs exactly one of ExtendedS3DestinationUpdate and "
                        "S3DestinationUpdate"}));
  }
  auto update = has_extended ? config::ParseS3DestinationUpdate(extended, "ExtendedS3DestinationUpdate")
                             : config::ParseS3DestinationUpdate(plain, "S3DestinationUpdate");
  if (!update) return done(Failed(update.error()));
  if (auto updated = context.registry.UpdateDestination(*name, *version, *destination_id, *update); !updated) {
    return done(Failed(updated.error()));
  }
  done(EmptyObject());
}

void TagDeliveryStream(const OperationContext& context, simdjson::dom::object body, OperationDone done) {
  if (auto checked = CheckMembers(body, {"DeliveryStreamName", "Tags"}, "TagDeliveryStream"); !checked) {
    return done(std::unexpected(checked.error()));
  }
  auto name = StreamName(body);
  if (!name) return done(std::unexpected(name.error()));
  simdjson::dom::element tags_json;
  if (body["Tags"].get(tags_json) != simdjson::SUCCESS) {
    return done(Failed({ErrorCode::kInvalidArgument, "missing required member Tags"}));
  }
  auto tags = config::ParseTags(tags_json, "Tags");
  if (!tags) return done(Failed(tags.error()));
  if (auto tagged = context.registry.Tag(*name, *tags); !tagged) return done(Failed(tagged.error()));
  done(EmptyObject());
}

void UntagDeliveryStream(const OperationContext& context, simdjson::dom::object body, OperationDone done) {
  if (auto checked = CheckMembers(body, {"DeliveryStreamName", "TagKeys"}, "UntagDeliveryStream"); !checked) {
    return done(std::unexpected(checked.error()));
  }
  auto name = StreamName(body);
  if (!name) return done(std::unexpected(name.error()));
  auto keys_json = OptionalArray(body, "TagKeys");
  if (!keys_json) return done(std::unexpected(keys_json.error()));
  if (!*keys_json) return done(Failed({ErrorCode::kInvalidArgument, "missing required member TagKeys"}));
  const size_t count = (*keys_json)->size();
  if (count == 0 || count > 50) {
    return done(Failed({ErrorCode::kInvalidArgument,
                        "TagKeys must hold 1 to 50 keys, got " + std::to_string(count)}));
  }
  std::vector<std::string> keys;
  for (const auto key : **keys_json) {
    std::string_view text;
    if (key.get_string().get(text) != simdjson::SUCCESS) {
      return done(std::unexpected(SerializationError("TagKeys must be an array of strings")));
    }
    if (text.empty() || text.size() > 128) {
      return done(Failed({ErrorCode::kInvalidArgument,
                          "each of TagKeys must be 1 to 128 characters, got " + std::to_string(text.size())}));
    }
    keys.emplace_back(text);
  }
  if (auto untagged = context.registry.Untag(*name, keys); !untagged) return done(Failed(untagged.error()));
  done(EmptyObject());
}

void ListTagsForDeliveryStream(const OperationContext& context, simdjson::dom::object body,
                               OperationDone done) {
  if (auto checked = CheckMembers(body, {"DeliveryStreamName", "ExclusiveStartTagKey", "Limit"},
                                  "ListTagsForDeliveryStream");
      !checked) {
    return done(std::unexpected(checked.error()));
  }
  auto name = StreamName(body);
  if (!name) return done(std::unexpected(name.error()));
  auto limit = OptionalIntInRange(body, "Limit", 1, 50);
  if (!limit) return done(std::unexpected(limit.error()));
  auto start = OptionalString(body, "ExclusiveStartTagKey");
  if (!start) return done(std::unexpected(start.error()));
  auto tags = context.registry.Tags(*name);
  if (!tags) return done(Failed(tags.error()));
  // Tags are listed in key order; the exclusive start key skips up to and including it.
  std::sort(tags->begin(), tags->end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  auto first = tags->begin();
  if (*start) {
    first = std::upper_bound(tags->begin(), tags->end(), **start,
                             [](std::string_view key, const config::Tag& tag) { return key < tag.key; });
  }
  const size_t max = static_cast<size_t>(limit->value_or(50));
  JsonWriter w;
  w.BeginObject().Key("Tags").BeginArray();
  size_t listed = 0;
  for (auto it = first; it != tags->end() && listed < max; ++it, ++listed) {
    w.BeginObject().Key("Key").String(it->key).Key("Value").String(it->value).EndObject();
  }
  w.EndArray().Key("HasMoreTags").Bool(static_cast<size_t>(tags->end() - first) > listed);
  w.EndObject();
  done(w.Take());
}

}  // namespace sluice::api
