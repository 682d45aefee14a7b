// PutRecord and PutRecordBatch: validate the whole request first (so a bad request changes
// nothing), decode every record into one buffer, append them to the stream's log in one call,
// and answer once the log reports them durable.

#include <array>
#include <memory>
#include <span>
#include <vector>

#include "api/operations.h"
#include "config/json_object.h"
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

// Validates `record` ({"Data": base64}) and returns its still-encoded Data. `path` names it
// in our messages ("Record", "Records[3]"); `aws_path` in the AWS-style validation message
// ("record", "records.4.member").
Result<std::string_view> EncodedData(simdjson::dom::element record, const std::string& path,
                                     std::string_view aws_path) {
  static constexpr std::array<std::string_view, 1> kKnown{"Data"};
  auto fields = config::JsonObject::From(record, path);
  if (!fields) return std::unexpected(fields.error());
  if (auto checked = fields->CheckMembers(kKnown, {}); !checked) return std::unexpected(checked.error());
  auto data = config::Required(fields->String("Data"), *fields, "Data");
  if (!data) return std::unexpected(data.error());
  if (data->size() % 4 == 0 && Base64DecodedSize(*data) > kMaxRecordBytes) {
    return Fail(ErrorCode::kInvalidArgument,
                "1 validation error detected: Value at '" + std::string(aws_path) +
                    ".data' failed to satisfy constraint: Member must have length less than or equal to " +
                    std::to_string(kMaxRecordBytes) + " (" + path + ".Data decodes to " +
                    std::to_string(Base64DecodedSize(*data)) + " bytes)");
  }
  return *data;
}

// Decodes every validated Data into one arena sized up front (no regrowth copies).
// `path_of(i)` names record i in the message for invalid base64.
template <typename PathOf>
Status DecodeAll(std::span<const std::string_view> encoded, PathOf path_of, DecodedRecords& out) {
  size_t total = 0;
  for (const auto data : encoded) total += data.size() / 4 * 3;
  out.arena.reserve(total);
  out.ends.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (!Base64DecodeAppend(encoded[i], out.arena)) {
      return InvalidArgument(path_of(i) + ".Data is not valid base64 (standard alphabet, padded to a multiple of 4 "
                             "characters)");
    }
    out.ends.push_back(out.arena.size());
  }
  return {};
}

void AppendHex16(std::string& out, uint64_t value) {
  static constexpr char kHex[] = "0123456789abcdef";
  char hex[16];
  for (int i = 0; i < 16; ++i) hex[i] = kHex[(value >> (60 - 4 * i)) & 0xF];
  out.append(hex, sizeof hex);
}

// A RecordId as a quoted JSON string: 32 hex digits, the stream's creation time and the
// record's sequence number. Unique per stream incarnation, and it tells an operator where the
// record sits in the log. Hex digits need no escaping, so it is written directly.
void AppendQuotedRecordId(std::string& out, int64_t stream_created_ms, uint64_t seq) {
  out += '"';
  AppendHex16(out, static_cast<uint64_t>(stream_created_ms));
  AppendHex16(out, seq);
  out += '"';
}

// The RequestResponses array of a fully successful call: [{"RecordId":"..."}, ...].
std::string RecordIdArray(int64_t stream_created_ms, uint64_t first_seq, size_t count) {
  static constexpr std::string_view kKey = "{\"RecordId\":";
  std::string out;
  out.reserve(2 + count * (kKey.size() + 34 + 2));
  out += '[';
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out += ',';
    out += kKey;
    AppendQuotedRecordId(out, stream_created_ms, first_seq + i);
    out += '}';
  }
  out += ']';
  return out;
}

// Looks the stream up and appends; the decoded records live until the log has copied them.
void Append(const OperationContext& context, std::string_view name,
            std::shared_ptr<DecodedRecords> records, OperationDone done,
            std::function<std::string(int64_t created_ms, uint64_t first_seq)> render) {
  auto stream = context.registry.Find(name);
  if (!stream) return done(Failed(stream.error()));
  const int64_t created_ms = (*stream)->meta().create_ms;
  const auto views = records->Views();
  (*stream)->Put(views, context.clock.NowMs(),
                 [records, done = std::move(done), render = std::move(render), created_ms](
                     Result<uint64_t> first_seq) {
                   if (!first_seq) return done(Failed(first_seq.error()));
                   done(render(created_ms, *first_seq));
                 });
}

}  // namespace

void PutRecord(const OperationContext& context, simdjson::dom::element,
               const config::JsonObject& fields, OperationDone done) {
  static constexpr std::array<std::string_view, 2> kKnown{"DeliveryStreamName", "Record"};
  if (auto checked = fields.CheckMembers(kKnown, {}); !checked) return done(Failed(checked.error()));
  auto name = StreamName(fields);
  if (!name) return done(Failed(name.error()));
  const auto record = fields.Member("Record");
  if (!record) return done(Failed({ErrorCode::kInvalidArgument, "Record is required"}));
  auto data = EncodedData(*record, "Record", "record");
  if (!data) return done(Failed(data.error()));
  auto records = std::make_shared<DecodedRecords>();
  if (auto decoded = DecodeAll(std::span(&*data, 1), [](size_t) { return std::string("Record"); }, *records);
      !decoded) {
    return done(Failed(decoded.error()));
  }
  Append(context, *name, std::move(records), std::move(done), [](int64_t created_ms, uint64_t seq) {
    std::string id;
    AppendQuotedRecordId(id, created_ms, seq);
    JsonWriter writer;
    writer.BeginObject().Key("RecordId").Raw(id);
    writer.Key("Encrypted").Bool(false).EndObject();
    return writer.Take();
  });
}

void PutRecordBatch(const OperationContext& context, simdjson::dom::element,
                    const config::JsonObject& fields, OperationDone done) {
  static constexpr std::array<std::string_view, 2> kKnown{"DeliveryStreamName", "Records"};
  if (auto checked = fields.CheckMembers(kKnown, {}); !checked) return done(Failed(checked.error()));
  auto name = StreamName(fields);
  if (!name) return done(Failed(name.error()));
  auto array = config::Required(fields.Array("Records"), fields, "Records");
  if (!array) return done(Failed(array.error()));
  const size_t count = array->size();
  if (count == 0 || count > kMaxBatchRecords) {
    return done(Failed({ErrorCode::kInvalidArgument,
                        "1 validation error detected: Value at 'records' failed to satisfy constraint: Member "
                        "must have length between 1 and " + std::to_string(kMaxBatchRecords) + " (Records holds " +
                            std::to_string(count) + " records)"}));
  }
  const auto path_of = [](size_t index) { return "Records[" + std::to_string(index) + "]"; };
  std::vector<std::string_view> encoded;
  encoded.reserve(count);
  for (const auto record : *array) {
    const size_t index = encoded.size();
    auto data = EncodedData(record, path_of(index), "records." + std::to_string(index + 1) + ".member");
    if (!data) return done(Failed(data.error()));
    encoded.push_back(*data);
  }
  auto records = std::make_shared<DecodedRecords>();
  if (auto decoded = DecodeAll(encoded, path_of, *records); !decoded) return done(Failed(decoded.error()));
  if (records->arena.size() > kMaxBatchBytes) {
    return done(Failed({ErrorCode::kInvalidArgument,
                        "Records size exceeds 4 MB limit: the " + std::to_string(count) + " records hold " +
                            std::to_string(records->arena.size()) + " bytes, the limit is " +
                            std::to_string(kMaxBatchBytes) + " bytes per PutRecordBatch call"}));
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
           writer.Key("RequestResponses").Raw(RecordIdArray(created_ms, first_seq, count)).EndObject();
           return writer.Take();
         });
}

}  // namespace sluice::api
