#include "processors/lambda_contract.h"

#include <simdjson.h>

#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/base64.h"
#include "core/json_writer.h"

namespace sluice::processors {
namespace {

struct Violation {
  std::string_view code;
  std::string message;
};

struct ReturnedRecord {
  ProcessResult result = ProcessResult::kOk;
  std::string data;
  PartitionKeys partition_keys;
};

std::string Quoted(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

Violation BadShape(std::string message) {
  return {kLambdaJsonProcessingException,
          "the Lambda response does not follow the transformation contract: " + std::move(message)};
}

std::optional<Violation> ParseReturnedRecord(simdjson::dom::element element, size_t index,
                                             std::string_view& record_id, ReturnedRecord& out) {
  const std::string where = "records[" + std::to_string(index) + "]";
  if (!element.is_object()) return BadShape(where + " is not an object");
  if (element["recordId"].get(record_id) != simdjson::SUCCESS) {
    return BadShape(where + " has no string recordId");
  }
  std::string_view result;
  if (element["result"].get(result) != simdjson::SUCCESS) {
    return BadShape(where + " has no string result");
  }
  if (result == "Ok") {
    out.result = ProcessResult::kOk;
  } else if (result == "Dropped") {
    out.result = ProcessResult::kDropped;
  } else if (result == "ProcessingFailed") {
    out.result = ProcessResult::kProcessingFailed;
  } else {
    return BadShape(where + " result " + Quoted(result) +
                    " is not Ok, Dropped or ProcessingFailed");
  }
  if (out.result != ProcessResult::kOk) return std::nullopt;

  std::string_view data;
  if (element["data"].get(data) != simdjson::SUCCESS) {
    return BadShape(where + " has result Ok but no string data");
  }
  if (!Base64DecodeAppend(data, out.data)) return BadShape(where + " data is not valid base64");
  simdjson::dom::element metadata;
  if (element["metadata"].get(metadata) != simdjson::SUCCESS || metadata.is_null())
    return std::nullopt;
  simdjson::dom::element keys;
  if (metadata["partitionKeys"].get(keys) != simdjson::SUCCESS || keys.is_null())
    return std::nullopt;
  simdjson::dom::object key_object;
  if (keys.get(key_object) != simdjson::SUCCESS) {
    return BadShape(where + " metadata.partitionKeys is not an object");
  }
  for (auto [key, value] : key_object) {
    std::string_view text;
    if (value.get(text) != simdjson::SUCCESS) {
      return BadShape(where + " metadata.partitionKeys." + std::string(key) + " is not a string");
    }
    out.partition_keys[std::string(key)] = std::string(text);
  }
  return std::nullopt;
}

// Parses and checks the whole response; on success `returned` maps every request recordId.
std::optional<Violation> ParseResponse(std::span<const Record> batch, std::string_view response,
                                       std::unordered_map<std::string, ReturnedRecord>& returned) {
  if (response.size() > kMaxLambdaPayloadBytes) {
    return Violation{kLambdaFunctionError,
                     "the Lambda response is " + std::to_string(response.size()) +
                         " bytes, over the " + std::to_string(kMaxLambdaPayloadBytes) +
                         "-byte limit of a synchronous invocation"};
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(response.data(), response.size(), true).get(root); error) {
    return BadShape(std::string("it is not JSON (") + simdjson::error_message(error) + ")");
  }
  simdjson::dom::array records;
  if (root["records"].get(records) != simdjson::SUCCESS)
    return BadShape("it has no array field records");

  std::unordered_set<std::string> requested;
  for (const Record& record : batch) requested.insert(LambdaRecordId(record));
  size_t index = 0;
  for (simdjson::dom::element element : records) {
    std::string_view record_id;
    ReturnedRecord parsed;
    if (auto violation = ParseReturnedRecord(element, index, record_id, parsed)) return violation;
    if (!requested.contains(std::string(record_id))) {
      return Violation{kLambdaMissingRecordId, "the Lambda response returned recordId " +
                                                   Quoted(record_id) +
                                                   ", which was not in the request; every recordId "
                                                   "must come back unchanged"};
    }
    if (!returned.emplace(std::string(record_id), std::move(parsed)).second) {
      return Violation{kLambdaDuplicatedRecordId,
                       "the Lambda response returned recordId " + Quoted(record_id) +
                           " more than once; each must come back exactly once"};
    }
    ++index;
  }
  for (const Record& record : batch) {
    const std::string id = LambdaRecordId(record);
    if (!returned.contains(id)) {
      return Violation{kLambdaMissingRecordId, "the Lambda response did not return recordId " +
                                                   Quoted(id) + " (" +
                                                   std::to_string(returned.size()) + " of " +
                                                   std::to_string(batch.size()) + " returned)"};
    }
  }
  return std::nullopt;
}

}  // namespace

std::string LambdaRecordId(const Record& record) {
  return std::to_string(record.seq) + "." + std::to_string(record.sub_index);
}

Result<std::string> BuildLambdaRequest(const LambdaInvocation& invocation,
                                       std::span<const Record> batch) {
  std::unordered_set<std::string> ids;
  JsonWriter json;
  json.BeginObject()
      .Key("invocationId")
      .String(invocation.invocation_id)
      .Key("deliveryStreamArn")
      .String(invocation.delivery_stream_arn)
      .Key("region")
      .String(invocation.region)
      .Key("records")
      .BeginArray();
  std::string encoded;
  for (const Record& record : batch) {
    std::string id = LambdaRecordId(record);
    encoded.clear();
    Base64EncodeAppend(record.data, encoded);
    json.BeginObject()
        .Key("recordId")
        .String(id)
        .Key("approximateArrivalTimestamp")
        .Int(record.arrival_ms)
        .Key("data")
        .String(encoded)
        .EndObject();
    if (!ids.insert(std::move(id)).second) {
      return InvalidArgument("Lambda batch holds recordId " + LambdaRecordId(record) + " twice");
    }
  }
  json.EndArray().EndObject();
  if (json.str().size() > kMaxLambdaPayloadBytes) {
    return Fail(ErrorCode::kLimitExceeded,
                "Lambda request of " + std::to_string(batch.size()) + " records is " +
                    std::to_string(json.str().size()) + " bytes, over the " +
                    std::to_string(kMaxLambdaPayloadBytes) + "-byte invocation limit");
  }
  return json.Take();
}

std::vector<ProcessedRecord> FailLambdaBatch(std::span<const Record> batch,
                                             std::string_view error_code,
                                             std::string_view error_message) {
  std::vector<ProcessedRecord> out;
  out.reserve(batch.size());
  for (const Record& record : batch) {
    out.push_back(FailedRecord(record, std::string(error_code), std::string(error_message)));
  }
  return out;
}

std::vector<ProcessedRecord> ApplyLambdaResponse(std::span<const Record> batch,
                                                 std::string_view response) {
  std::unordered_map<std::string, ReturnedRecord> returned;
  if (auto violation = ParseResponse(batch, response, returned)) {
    return FailLambdaBatch(batch, violation->code, violation->message);
  }
  std::vector<ProcessedRecord> out;
  out.reserve(batch.size());
  for (const Record& record : batch) {
    ReturnedRecord& answer = returned.at(LambdaRecordId(record));
    switch (answer.result) {
      case ProcessResult::kOk: {
        ProcessedRecord ok = OkRecord(record, std::move(answer.data));
        for (auto& [key, value] : answer.partition_keys) ok.partition_keys[key] = std::move(value);
        out.push_back(std::move(ok));
        break;
      }
      case ProcessResult::kDropped:
        out.push_back(DroppedRecord(record));
        break;
      case ProcessResult::kProcessingFailed:
        out.push_back(
            FailedRecord(record, std::string(kLambdaProcessingFailedStatus),
                         "the Lambda function returned result ProcessingFailed for the record"));
        break;
    }
  }
  return out;
}

}  // namespace sluice::processors
