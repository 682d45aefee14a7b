#include "processors/lambda_processor.h"

#include <utility>

#include "core/random.h"

namespace sluice::processors {
namespace {

// Room for the request envelope and per-record fields around the base64 data, so that a chunk
// sized by this estimate always fits the payload limit.
constexpr size_t kRecordOverheadBytes = 128;
constexpr size_t kEnvelopeBytes = 4096;

size_t EstimatedRequestBytes(const Record& record) {
  return (record.data.size() + 2) / 3 * 4 + kRecordOverheadBytes;
}

}  // namespace

LambdaProcessor::LambdaProcessor(LambdaSettings settings, std::string delivery_stream_arn,
                                 std::string region, LambdaInvoker invoker)
    : settings_(std::move(settings)),
      delivery_stream_arn_(std::move(delivery_stream_arn)),
      region_(std::move(region)),
      invoker_(std::move(invoker)) {}

Result<std::vector<ProcessedRecord>> LambdaProcessor::Process(std::vector<Record> batch) {
  std::vector<ProcessedRecord> out;
  out.reserve(batch.size());
  size_t begin = 0;
  while (begin < batch.size()) {
    size_t end = begin;
    size_t data_bytes = 0;
    size_t request_bytes = kEnvelopeBytes;
    // At least one record per invocation, even one larger than the buffer size.
    do {
      data_bytes += batch[end].data.size();
      request_bytes += EstimatedRequestBytes(batch[end]);
      ++end;
    } while (end < batch.size() &&
             data_bytes + batch[end].data.size() <= settings_.buffer_size_bytes &&
             request_bytes + EstimatedRequestBytes(batch[end]) <= kMaxLambdaPayloadBytes);
    for (ProcessedRecord& outcome :
         Invoke(std::span<const Record>(batch).subspan(begin, end - begin))) {
      out.push_back(std::move(outcome));
    }
    // Their bytes are held once: as the input until their invocation is over, then as outcomes.
    for (size_t i = begin; i < end; ++i) std::string().swap(batch[i].data);
    begin = end;
  }
  return out;
}

std::vector<ProcessedRecord> LambdaProcessor::Invoke(std::span<const Record> chunk) {
  LambdaInvokeResult last;
  for (int attempt = 0; attempt <= settings_.number_of_retries; ++attempt) {
    auto request = BuildLambdaRequest({RandomUuid(), delivery_stream_arn_, region_}, chunk);
    if (!request)
      return FailLambdaBatch(chunk, kLambdaJsonProcessingException, request.error().message);
    last = invoker_(settings_.function_arn, *request);
    if (last.status == LambdaInvokeResult::Status::kOk)
      return ApplyLambdaResponse(chunk, last.payload);
    if (last.status == LambdaInvokeResult::Status::kPermanentError) break;
  }
  if (last.error_code.empty()) last.error_code = std::string(kLambdaFunctionError);
  return FailLambdaBatch(chunk, last.error_code, last.error_message);
}

}  // namespace sluice::processors
