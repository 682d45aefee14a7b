#include "api/operations.h"

#include <array>
#include <utility>

#include "config/field_rules.h"

namespace sluice::api {

Operation FindOperation(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, Operation>, 10> kOperations{{
      {"CreateDeliveryStream", &CreateDeliveryStream},
      {"DeleteDeliveryStream", &DeleteDeliveryStream},
      {"DescribeDeliveryStream", &DescribeDeliveryStream},
      {"ListDeliveryStreams", &ListDeliveryStreams},
      {"UpdateDestination", &UpdateDestination},
      {"TagDeliveryStream", &TagDeliveryStream},
      {"UntagDeliveryStream", &UntagDeliveryStream},
      {"ListTagsForDeliveryStream", &ListTagsForDeliveryStream},
      {"PutRecord", &PutRecord},
      {"PutRecordBatch", &PutRecordBatch},
  }};
  for (const auto& [operation_name, operation] : kOperations) {
    if (operation_name == name) return operation;
  }
  return nullptr;
}

Result<std::string_view> StreamName(const config::JsonObject& fields) {
  auto name = config::Required(fields.String("DeliveryStreamName"), fields, "DeliveryStreamName");
  if (!name) return name;
  if (auto checked = config::CheckStreamName(*name, "DeliveryStreamName"); !checked) {
    return std::unexpected(checked.error());
  }
  return name;
}

}  // namespace sluice::api
