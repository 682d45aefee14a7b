#include "config/stream_config.h"

#include <set>

#include "config/field_rules.h"
#include "config/json_object.h"

namespace sluice::config {
namespace {

constexpr std::string_view kSupportedMembers[] = {
    "DeliveryStreamName", "DeliveryStreamType", "DirectPutSourceConfiguration",
    "DeliveryStreamEncryptionConfigurationInput", "ExtendedS3DestinationConfiguration",
    "S3DestinationConfiguration", "Tags"};

constexpr std::string_view kUnsupportedDestinations[] = {
    "RedshiftDestinationConfiguration", "ElasticsearchDestinationConfiguration",
    "AmazonopensearchserviceDestinationConfiguration", "SplunkDestinationConfiguration",
    "HttpEndpointDestinationConfiguration", "AmazonOpenSearchServerlessDestinationConfiguration",
    "SnowflakeDestinationConfiguration", "IcebergDestinationConfiguration"};

// Members of the model Sluice rejects for now: other destinations and the non-DirectPut sources.
constexpr std::string_view kUnsupportedMembers[] = {
    "RedshiftDestinationConfiguration", "ElasticsearchDestinationConfiguration",
    "AmazonopensearchserviceDestinationConfiguration", "SplunkDestinationConfiguration",
    "HttpEndpointDestinationConfiguration", "AmazonOpenSearchServerlessDestinationConfiguration",
    "SnowflakeDestinationConfiguration", "IcebergDestinationConfiguration",
    "KinesisStreamSourceConfiguration", "MSKSourceConfiguration", "DatabaseSourceConfiguration"};

constexpr std::string_view kStreamTypes[] = {"DirectPut", "KinesisStreamAsSource", "MSKAsSource",
                                             "DatabaseAsSource"};

Status CheckStreamType(const JsonObject& body, std::string_view type) {
  const std::string path = body.PathOf("DeliveryStreamType");
  if (type == "DirectPut") return {};
  for (const std::string_view known : kStreamTypes) {
    if (type == known) {
      return InvalidArgument(path + " " + Quote(type) +
                             " is not supported yet by Sluice: only DirectPut streams are "
                             "supported for now");
    }
  }
  return InvalidArgument(path + " " + Quote(type) +
                         " must be one of DirectPut, KinesisStreamAsSource, MSKAsSource, "
                         "DatabaseAsSource");
}

// Exactly one destination block; returns whether it is the extended one.
Result<bool> FindDestination(const JsonObject& body) {
  std::vector<std::string_view> present;
  for (const std::string_view member :
       {"ExtendedS3DestinationConfiguration", "S3DestinationConfiguration"}) {
    if (body.Has(member)) present.push_back(member);
  }
  for (const std::string_view member : kUnsupportedDestinations) {
    if (body.Has(member)) present.push_back(member);
  }
  const std::string where = body.path().empty() ? "the request" : body.path();
  if (present.empty()) {
    return InvalidArgument(where +
                           " must have a destination: ExtendedS3DestinationConfiguration (or "
                           "the deprecated S3DestinationConfiguration)");
  }
  if (present.size() > 1) {
    return InvalidArgument(where + " must have exactly one destination configuration, got " +
                           std::string(present[0]) + " and " + std::string(present[1]));
  }
  return present[0] == "ExtendedS3DestinationConfiguration";
}

Result<std::optional<int>> ParseDirectPutSource(const JsonObject& body) {
  auto object = body.Object("DirectPutSourceConfiguration");
  if (!object) return std::unexpected(object.error());
  if (!*object) return std::nullopt;
  static constexpr std::string_view kMembers[] = {"ThroughputHintInMBs"};
  if (auto members = (*object)->CheckMembers(kMembers, {}); !members) {
    return std::unexpected(members.error());
  }
  auto hint = Required((*object)->Int("ThroughputHintInMBs", 1, 100), **object,
                       "ThroughputHintInMBs");
  if (!hint) return std::unexpected(hint.error());
  return static_cast<int>(*hint);
}

}  // namespace

std::string_view KeyTypeName(KeyType type) {
  return type == KeyType::kAwsOwnedCmk ? "AWS_OWNED_CMK" : "CUSTOMER_MANAGED_CMK";
}

Result<EncryptionInput> ParseEncryptionInput(simdjson::dom::element value, std::string path) {
  auto object = JsonObject::From(value, std::move(path));
  if (!object) return std::unexpected(object.error());
  static constexpr std::string_view kMembers[] = {"KeyType", "KeyARN"};
  if (auto members = object->CheckMembers(kMembers, {}); !members) {
    return std::unexpected(members.error());
  }
  auto type = Required(object->String("KeyType"), *object, "KeyType");
  if (!type) return std::unexpected(type.error());
  EncryptionInput input;
  if (*type == "AWS_OWNED_CMK") {
    input.key_type = KeyType::kAwsOwnedCmk;
  } else if (*type == "CUSTOMER_MANAGED_CMK") {
    input.key_type = KeyType::kCustomerManagedCmk;
  } else {
    return InvalidArgument(object->PathOf("KeyType") + " " + Quote(*type) +
                           " must be one of AWS_OWNED_CMK, CUSTOMER_MANAGED_CMK");
  }
  auto arn = object->String("KeyARN");
  if (!arn) return std::unexpected(arn.error());
  const std::string arn_path = object->PathOf("KeyARN");
  if (input.key_type == KeyType::kAwsOwnedCmk) {
    if (*arn) {
      return InvalidArgument(arn_path + " must not be given when KeyType is AWS_OWNED_CMK");
    }
    return input;
  }
  if (!*arn) return InvalidArgument(arn_path + " is required when KeyType is CUSTOMER_MANAGED_CMK");
  if (auto ok = CheckKmsKeyArn(**arn, /*allow_alias=*/false, arn_path); !ok) {
    return std::unexpected(ok.error());
  }
  input.key_arn = std::string(**arn);
  return input;
}

Result<std::vector<Tag>> ParseTags(simdjson::dom::element value, std::string_view path,
                                   size_t max_tags) {
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    return InvalidArgument(std::string(path) + " must be an array, got " +
                           std::string(JsonTypeName(value)));
  }
  const size_t count = array.size();
  if (count < 1 || count > max_tags) {
    return InvalidArgument(std::string(path) + " must have 1 to " + std::to_string(max_tags) +
                           " tags, got " + std::to_string(count));
  }
  std::vector<Tag> tags;
  std::set<std::string, std::less<>> keys;
  static constexpr std::string_view kMembers[] = {"Key", "Value"};
  for (const simdjson::dom::element entry : array) {
    auto object = JsonObject::From(entry, std::string(path) + "[" + std::to_string(tags.size()) + "]");
    if (!object) return std::unexpected(object.error());
    if (auto members = object->CheckMembers(kMembers, {}); !members) {
      return std::unexpected(members.error());
    }
    auto key = Required(object->String("Key"), *object, "Key");
    if (!key) return std::unexpected(key.error());
    if (auto ok = CheckTagKey(*key, object->PathOf("Key")); !ok) return std::unexpected(ok.error());
    auto tag_value = object->String("Value");
    if (!tag_value) return std::unexpected(tag_value.error());
    const std::string_view text = tag_value->value_or("");
    if (auto ok = CheckTagValue(text, object->PathOf("Value")); !ok) {
      return std::unexpected(ok.error());
    }
    if (!keys.emplace(*key).second) {
      return InvalidArgument(object->PathOf("Key") + " " + Quote(*key) +
                             " repeats an earlier tag key; keys must be distinct");
    }
    tags.push_back({std::string(*key), std::string(text)});
  }
  return tags;
}

Result<StreamConfig> ParseCreateDeliveryStream(simdjson::dom::element value,
                                               std::string_view path) {
  auto body = JsonObject::From(value, std::string(path));
  if (!body) return std::unexpected(body.error());
  StreamConfig config;

  auto name = Required(body->String("DeliveryStreamName"), *body, "DeliveryStreamName");
  if (!name) return std::unexpected(name.error());
  if (auto ok = CheckStreamName(*name, body->PathOf("DeliveryStreamName")); !ok) {
    return std::unexpected(ok.error());
  }
  config.name = std::string(*name);

  auto type = body->String("DeliveryStreamType");
  if (!type) return std::unexpected(type.error());
  if (*type) {
    if (auto ok = CheckStreamType(*body, **type); !ok) return std::unexpected(ok.error());
  }

  auto extended = FindDestination(*body);
  if (!extended) return std::unexpected(extended.error());
  if (auto members = body->CheckMembers(
          kSupportedMembers, kUnsupportedMembers,
          "Sluice supports DirectPut streams with ExtendedS3DestinationConfiguration or "
          "S3DestinationConfiguration for now");
      !members) {
    return std::unexpected(members.error());
  }

  auto hint = ParseDirectPutSource(*body);
  if (!hint) return std::unexpected(hint.error());
  config.throughput_hint_mbs = *hint;

  if (auto member = body->Member("DeliveryStreamEncryptionConfigurationInput")) {
    auto encryption =
        ParseEncryptionInput(*member, body->PathOf("DeliveryStreamEncryptionConfigurationInput"));
    if (!encryption) return std::unexpected(encryption.error());
    config.encryption = std::move(*encryption);
  }

  const std::string_view destination_member =
      *extended ? "ExtendedS3DestinationConfiguration" : "S3DestinationConfiguration";
  auto destination = ParseS3DestinationConfiguration(*body->Member(destination_member), *extended,
                                                     body->PathOf(destination_member));
  if (!destination) return std::unexpected(destination.error());
  config.destination = std::move(*destination);

  if (auto member = body->Member("Tags")) {
    auto tags = ParseTags(*member, body->PathOf("Tags"));
    if (!tags) return std::unexpected(tags.error());
    config.tags = std::move(*tags);
  }
  return config;
}

}  // namespace sluice::config
