#include "api/operations.h"

#include <array>
#include <utility>

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

}  // namespace sluice::api
