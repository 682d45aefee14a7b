#pragma once
// A client of the Lambda Invoke API (`POST /2015-03-31/functions/NAME/invocations`, SigV4
// service "lambda"), as the invoker of the Lambda transformation processor: the same function
// runs on AWS Lambda, serverless-offline or any server speaking that API.

#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "processors/lambda_processor.h"
#include "sinks/s3/http_transport.h"
#include "sinks/s3/sigv4.h"

namespace sluice::lambda {

struct InvokeEndpoint {
  std::string endpoint;  // http(s)://host[:port]; empty: https://lambda.<region>.amazonaws.com
  std::string region = "us-east-1";
  sinks::s3::Credentials credentials;
};

// The invoker. Outcomes: HTTP 200 → kOk with the function's answer, or kFunctionError when the
// answer carries X-Amz-Function-Error; no answer, 429 and 5xx → kRetryableError; other
// statuses (403, 404, ...) → kPermanentError. Error codes are Firehose's Lambda.* names.
processors::LambdaInvoker MakeInvoker(InvokeEndpoint endpoint,
                                      std::shared_ptr<sinks::s3::HttpTransport> transport,
                                      const Clock& clock = SystemClock::Instance());

// "arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]" → {NAME, QUALIFIER}; a plain name
// is taken as it is. nullopt for an ARN of something else.
struct FunctionRef {
  std::string name;
  std::string qualifier;
};
std::optional<FunctionRef> ParseFunction(std::string_view function_arn);

}  // namespace sluice::lambda
