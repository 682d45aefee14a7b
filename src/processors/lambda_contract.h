#pragma once
// Firehose's Lambda data-transformation contract as pure functions: the invocation payload sent to
// the function and the validation of its answer. No transport here.
//
// Request:  {"invocationId", "deliveryStreamArn", "region",
//            "records": [{"recordId", "approximateArrivalTimestamp" (epoch ms), "data" (base64)}]}
// Response: {"records": [{"recordId", "result": "Ok"|"Dropped"|"ProcessingFailed",
//                         "data" (base64, required for Ok), "metadata": {"partitionKeys": {k:
//                         v}}}]}

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "processors/processor.h"

namespace sluice::processors {

// AWS Lambda's limit on a synchronous invocation's request and response payloads (6 MB).
inline constexpr size_t kMaxLambdaPayloadBytes = 6 * 1024 * 1024;

// Error codes Firehose writes in `errorCode` of processing-failed records.
inline constexpr std::string_view kLambdaMissingRecordId = "Lambda.MissingRecordId";
inline constexpr std::string_view kLambdaDuplicatedRecordId = "Lambda.DuplicatedRecordId";
inline constexpr std::string_view kLambdaJsonProcessingException = "Lambda.JsonProcessingException";
inline constexpr std::string_view kLambdaProcessingFailedStatus = "Lambda.ProcessingFailedStatus";
inline constexpr std::string_view kLambdaFunctionError = "Lambda.FunctionError";

struct LambdaInvocation {
  std::string invocation_id;  // fresh for every attempt
  std::string delivery_stream_arn;
  std::string region;
};

// "<seq>.<sub_index>": unique within a batch that went through Chain, stable across retries.
std::string LambdaRecordId(const Record& record);

// The request payload. Fails (kInvalidArgument) if two records share a recordId, or
// (kLimitExceeded) if the payload exceeds kMaxLambdaPayloadBytes; the caller then splits the batch.
Result<std::string> BuildLambdaRequest(const LambdaInvocation& invocation,
                                       std::span<const Record> batch);

// One outcome per record of `batch`, in its order. A response that breaks the contract fails
// every record of the batch with the code Firehose uses (the function's answer cannot be paired
// with the records reliably): over kMaxLambdaPayloadBytes -> Lambda.FunctionError; not JSON, no
// records array, a result other than Ok/Dropped/ProcessingFailed, Ok without data, data not
// base64, partitionKeys not an object of strings -> Lambda.JsonProcessingException; a recordId
// returned twice -> Lambda.DuplicatedRecordId; a request recordId not returned or an unknown one
// returned -> Lambda.MissingRecordId. Otherwise: Ok records carry the decoded data and the
// returned partition keys (merged over the record's own); ProcessingFailed records fail with
// Lambda.ProcessingFailedStatus.
std::vector<ProcessedRecord> ApplyLambdaResponse(std::span<const Record> batch,
                                                 std::string_view response);

// Every record of `batch` failed with `error_code` (e.g. after the invocation retries ran out).
std::vector<ProcessedRecord> FailLambdaBatch(std::span<const Record> batch,
                                             std::string_view error_code,
                                             std::string_view error_message);

}  // namespace sluice::processors
