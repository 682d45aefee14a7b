#pragma once
// AppendDelimiterToRecord: appends a delimiter (newline unless configured) to every record, so the
// records of a delivered object are separated.

#include <string>
#include <string_view>
#include <vector>

#include "processors/processor.h"

namespace sluice::processors {

// Firehose takes the Delimiter parameter in JSON-escaped form: the ParameterValue `\n` (backslash,
// n) means a newline. Accepts the JSON escapes \n \r \t \b \f \\ \" \/ and \uXXXX (UTF-8 encoded,
// surrogate pairs combined); any other character stands for itself. The message says what is wrong.
Result<std::string> UnescapeDelimiter(std::string_view value);

class AppendDelimiterProcessor final : public Processor {
 public:
  explicit AppendDelimiterProcessor(std::string delimiter = "\n")
      : delimiter_(std::move(delimiter)) {}

  std::string_view Type() const override { return "AppendDelimiterToRecord"; }
  Result<std::vector<ProcessedRecord>> Process(std::vector<Record> batch) override;

 private:
  std::string delimiter_;
};

}  // namespace sluice::processors
