// PutRecord and PutRecordBatch: validate the whole request first (so a bad request changes
// nothing), decode every record into one buffer, append them to the stream's log in one call,
// and answer once the log reports them durable.

#include <cinttypes>
#include <cstdio>
#include <memory>
#include <vector>

#include "api/operations.h"
#include "api/request_json.h"
#include "core/base64.h"
#include "core/json_writer.h"

namespace sluice::api {
namespace {

constexpr size_t kMaxRecordBytes = 1'024'000;
constexpr size_t kMaxBatchRecords = 500;
constexpr size_t kMaxBatchBytes = 4 * 1024 * 1024;

// Decoded records of one request: one allocation for all payloads.
struct DecodedRecords {
  std::string arena;
  std::vector<size_t> ends;  // end offset of each record in arena

  std::vector<std::string_view> Views() const {
    std::vector<std::string_view> views;
    views.reserve(ends.size());
    size_t begin = 0;
    for (const size_t end : ends) {
      views.emplace_back(arena.data() + begin, end - begin);
      begin = end;
    }
    return views;
  }
};

// Validates `record` ({"Data": base64}) at `path` and appends its bytes.
ApiResult<void> DecodeRecord(simdjson::dom::element record, std::string_view path, DecodedRecords& out) {
  simdjson::dom::object object;
  if (record.get_object().get(object) != simdjson::SUCCESS) {
    return std::unexpected(SerializationError(std::string(path) + " must be an object"));
  }
  for (const auto field : object) {
    if (field.key != "Data") {
      return std::unexpected(SerializationError("unknown member \"" + std::string(field.key) +
                                                "\" in " + std::string(path)));
    }
  }
  auto data = OptionalString(object, "Data");
  if (!data) return std::unexpected(data.error());
  if (!*data) {
    return std::unexpected(ValidationError("1 validation error detected: Value null at '" +
                                           std::string(path) +
                                           ".data' failed to satisfy constraint: Member must not be null"));
  }
  const std::string_view text = **data;
  if (text.size() % 4 == 0 && Base64DecodedSize(text) > kMaxRecordBytes) {
    return std::unexpected(ValidationError(
        "1 validation error detected: Value at '" + std::string(path) +
        ".data' failed to satisfy constraint: Member must have length less than or equal to " +
        std::to_string(kMaxRecordBytes) + " (the decoded record is " +
        std::to_string(Base64DecodedSize(text)) + " bytes)"));
  }
  if (!Base64DecodeAppend(text, out.arena)) {
    return std::unexpected(SerializationError(std::string(path) +
                                              ".Data is not valid base64 (standard alphabet, padded "
                                              "to a multiple of 4 characters)"));
  }
  out.ends.push_back(out.arena.size());
  return {};
}

// 32 hex digits: the stream's creation time and the record's sequence number. Unique per
// stream incarnation, and it tells an operator where the record sits in the log.
void AppendRecordId(JsonWriter& writer, int64_t stream_created_ms, uint64_t seq) {
  char id[33];
  std::snprintf(id, sizeof id, "%016" PRIx64 "%016" PRIx64, static_cast<uint64_t>(stream_created_ms), seq);
  writer.String(std::string_view(id, 32));
}


// Looks the stream up and appends; the decoded records live until the log has copied them.
void Append(const OperationContext& context, std::string_view name,
            std::shared_ptr<DecodedRecords> records, OperationDone done,
            std::function<std::string(int64_t created_ms, uint64_t first_seq)> render) {
  auto stream = context.registry.Find(name);
  if (!stream) return done(std::unexpected(ToApiError(stream.error())));
  const int64_t created_ms = (*stream)->meta().create_ms;
  const auto views = records->Views();
  (*stream)->Put(views, context.clock.NowMs(),
                 [records, done = std::move(done), render = std::move(render), created_ms](
                     Result<uint64_t> first_seq) {
                   if (!first_seq) return done(std::unexpected(ToApiError(first_seq.error())));
                   done(render(created_ms, *first_seq));
                 });
}

}  // namespace

void PutRecord(const OperationContext& context, simdjson::dom::object body, OperationDone done) {
  if (auto checked = CheckMembers(body, {"DeliveryStreamName", "Record"}, "PutRecord"); !checked) {
    return done(std::unexpected(checked.error()));
  }
  auto name = StreamName(body);
  if (!name) return done(std::unexpected(name.error()));
  simdjson::dom::element record;
  if (body["Record"].get(record) != simdjson::SUCCESS) {
    return done(std::unexpected(ToApiError({ErrorCode::kInvalidArgument, "missing required member Record"})));
  }
  auto records = std::make_shared<DecodedRecords>();
  if (auto decoded = DecodeRecord(record, "record", *records); !decoded) {
    return done(std::unexpected(decoded.error()));
  }
  Append(context, *name, std::move(records), std::move(done), [](int64_t created_ms, uint64_t seq) {
    JsonWriter writer;
    writer.BeginObject().Key("RecordId");
    AppendRecordId(writer, created_ms, seq);
    writer.Key("Encrypted").Bool(false).EndObject();
    return writer.Take();
  });
}

void PutRecordBatch(const OperationContext& context, simdjson::dom::object body, OperationDone done) {
  if (auto checked = CheckMembers(body, {"DeliveryStreamName", "Records"}, "PutRecordBatch"); !checked) {
    return done(std::unexpected(checked.error()));
  }
  auto name = StreamName(body);
  if (!name) return done(std::unexpected(name.error()));
  auto array = OptionalArray(body, "Records");
  if (!array) return done(std::unexpected(array.error()));
  if (!*array) {
    return done(std::unexpected(ToApiError({ErrorCode::kInvalidArgument, "missing required member Records"})));
  }
  const size_t count = (*array)->size();
  if (count == 0 || count > kMaxBatchRecords) {
    return done(std::unexpected(ValidationError(
        "1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have "
        "length between 1 and " + std::to_string(kMaxBatchRecords) + " (got " + std::to_string(count) +
        " records)")));
  }
  auto records = std::make_shared<DecodedRecords>();
  records->ends.reserve(count);
  size_t index = 0;
  for (const auto record : **array) {
    ++index;
    if (auto decoded = DecodeRecord(record, "records." + std::to_string(index) + ".member", *records);
        !decoded) {
      return done(std::unexpected(decoded.error()));
    }
  }
  if (records->arena.size() > kMaxBatchBytes) {
    return done(std::unexpected(ToApiError(
        {ErrorCode::kInvalidArgument, "Records size exceeds 4 MB limit: the " + std::to_string(count) +
                                          " records hold " + std::to_string(records->arena.size()) +
                                          " bytes, the limit is " + std::to_string(kMaxBatchBytes) +
                                          " bytes per PutRecordBatch call"})));
  }
  // Quota and I/O failures come back per entry (HTTP 200, FailedPutCount), as Firehose
  // reports throttling inside a batch; callers resend only the failed entries.
  auto per_entry_done = [done, count](std::expected<std::string, ApiError> result) {
    if (result) return done(std::move(result));
    const ApiError& error = result.error();
    if (error.status != 503 && error.status != 500) return done(std::move(result));
    JsonWriter writer;
    writer.BeginObject().Key("FailedPutCount").Uint(count).Key("Encrypted").Bool(false);
    writer.Key("RequestResponses").BeginArray();
    const std::string code = error.status == 503 ? "ServiceUnavailableException" : "InternalFailure";
    for (size_t i = 0; i < count; ++i) {
      writer.BeginObject().Key("ErrorCode").String(code).Key("ErrorMessage").String(error.message).EndObject();
    }
    writer.EndArray().EndObject();
    done(writer.Take());
  };
  Append(context, *name, std::move(records), std::move(per_entry_done),
         [count](int64_t created_ms, uint64_t first_seq) {
           JsonWriter writer;
           writer.BeginObject().Key("FailedPutCount").Int(0).Key("Encrypted").Bool(false);
           writer.Key("RequestResponses").BeginArray();
           for (uint64_t i = 0; i < count; ++i) {
             writer.BeginObject().Key("RecordId");
             AppendRecordId(writer, created_ms, first_seq + i);
             writer.EndObject();
           }
           writer.EndArray().EndObject();
           return writer.Take();
         });
}

}  // namespace sluice::api
