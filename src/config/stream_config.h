#pragma once
// The typed model of a CreateDeliveryStream input: one validator for every door a stream comes
// through (the API and the server config file). Sluice implements DirectPut streams with an S3
// destination for now; other sources and destinations are rejected with a "not supported yet"
// message naming the member.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "config/s3_destination.h"
#include "core/result.h"

namespace sluice::config {

struct Tag {
  std::string key;
  std::string value;
  bool operator==(const Tag&) const = default;
};

// DeliveryStreamEncryptionConfigurationInput (server-side encryption of the stream itself).
enum class KeyType { kAwsOwnedCmk, kCustomerManagedCmk };
std::string_view KeyTypeName(KeyType type);

struct EncryptionInput {
  KeyType key_type = KeyType::kAwsOwnedCmk;
  std::optional<std::string> key_arn;  // set exactly when key_type is kCustomerManagedCmk
  bool operator==(const EncryptionInput&) const = default;
};

struct StreamConfig {
  std::string name;
  std::string type = "DirectPut";
  std::optional<int> throughput_hint_mbs;  // DirectPutSourceConfiguration.ThroughputHintInMBs
  std::optional<EncryptionInput> encryption;
  S3Destination destination;
  std::vector<Tag> tags;
  bool operator==(const StreamConfig&) const = default;
};

// Validates everything. `path` prefixes every member path in messages: "" for the API,
// "streams[2]" for the config file.
Result<StreamConfig> ParseCreateDeliveryStream(simdjson::dom::element body,
                                               std::string_view path = {});

// Shared with the API's other operations (field_rules.h has the stream-name check).
// A Tags list of 1 to `max_tags` entries with valid, distinct keys (TagDeliveryStream reuses it).
Result<std::vector<Tag>> ParseTags(simdjson::dom::element value, std::string_view path,
                                   size_t max_tags = 50);
// StartDeliveryStreamEncryption reuses it.
Result<EncryptionInput> ParseEncryptionInput(simdjson::dom::element value, std::string path);

}  // namespace sluice::config
