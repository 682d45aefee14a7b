#pragma once
// Lambda: sends records to a transformation function under Firehose's contract
// (lambda_contract.h) through an injected transport, in invocations of at most BufferSizeInMBs of
// record data, retrying a failed invocation NumberOfRetries times.

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "processors/lambda_contract.h"
#include "processors/processor.h"

namespace sluice::processors {

struct LambdaSettings {
  std::string function_arn;
  std::string role_arn;  // empty if not configured
  int number_of_retries = 3;
  size_t buffer_size_bytes = 1024 * 1024;
  int buffer_interval_seconds = 60;
};

struct LambdaInvokeResult {
  enum class Status {
    kOk,              // the function answered; `payload` is its response
    kFunctionError,   // the function failed (X-Amz-Function-Error); retried
    kRetryableError,  // timeout, throttling, network; retried
    kPermanentError,  // access denied, function not found; not retried
  };
  Status status = Status::kOk;
  std::string payload;
  std::string error_code;  // Firehose's name for non-kOk, e.g. "Lambda.InvokeAccessDenied"
  std::string error_message;
};

// Invokes `function_arn` synchronously with `payload`. Must be safe to call from the thread that
// runs Process; it applies its own timeout.
using LambdaInvoker =
    std::function<LambdaInvokeResult(const std::string& function_arn, const std::string& payload)>;

class LambdaProcessor final : public Processor {
 public:
  LambdaProcessor(LambdaSettings settings, std::string delivery_stream_arn, std::string region,
                  LambdaInvoker invoker);

  std::string_view Type() const override { return "Lambda"; }
  // Never fails as a whole: an invocation that still fails after its retries fails its records.
  // Retries follow each other at once; pacing is the invoker's (it sees every attempt).
  Result<std::vector<ProcessedRecord>> Process(std::vector<Record> batch) override;

  const LambdaSettings& settings() const { return settings_; }

 private:
  std::vector<ProcessedRecord> Invoke(std::span<const Record> chunk);

  LambdaSettings settings_;
  std::string delivery_stream_arn_;
  std::string region_;
  LambdaInvoker invoker_;
};

}  // namespace sluice::processors
