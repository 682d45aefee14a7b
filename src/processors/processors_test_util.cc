#include "processors/processors_test_util.h"

#include <openssl/evp.h>
#include <zlib.h>

#include <stdexcept>

#include "core/json_writer.h"

namespace sluice::processors::testing {

Record MakeRecord(uint64_t seq, std::string data, int64_t arrival_ms) {
  return Record{seq, 0, arrival_ms, std::move(data), {}, {}};
}

std::string Gzip(std::string_view data) {
  z_stream stream{};
  if (deflateInit2(&stream, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2");
  }
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int code = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (code != Z_STREAM_END) throw std::runtime_error("deflate");
  return out;
}

namespace {

void AppendVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

}  // namespace

void AppendBytesField(std::string& out, uint32_t field, std::string_view bytes) {
  AppendVarint(out, (static_cast<uint64_t>(field) << 3) | 2);
  AppendVarint(out, bytes.size());
  out.append(bytes);
}

void AppendVarintField(std::string& out, uint32_t field, uint64_t value) {
  AppendVarint(out, static_cast<uint64_t>(field) << 3);
  AppendVarint(out, value);
}

std::string KplMessage(const std::vector<std::string>& partition_keys,
                       const std::vector<KplSubRecord>& records) {
  std::string message;
  for (const std::string& key : partition_keys) AppendBytesField(message, 1, key);
  for (const KplSubRecord& record : records) {
    std::string sub;
    AppendVarintField(sub, 1, record.partition_key_index);
    AppendBytesField(sub, 3, record.data);
    std::string tag;  // a Tag {key, value}, which readers skip
    AppendBytesField(tag, 1, "k");
    AppendBytesField(tag, 2, "v");
    AppendBytesField(sub, 4, tag);
    AppendBytesField(message, 3, sub);
  }
  return message;
}

std::string KplRecord(std::string_view message) {
  std::string out("\xF3\x89\x9A\xC2", 4);
  out.append(message);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(message.data(), message.size(), digest, &size, EVP_md5(), nullptr);
  out.append(reinterpret_cast<const char*>(digest), size);
  return out;
}

std::string CloudWatchDataMessage(const std::vector<std::string>& messages) {
  JsonWriter json;
  json.BeginObject()
      .Key("messageType")
      .String("DATA_MESSAGE")
      .Key("owner")
      .String("123456789012")
      .Key("logGroup")
      .String("/aws/lambda/app")
      .Key("logStream")
      .String("2026/11/30/[$LATEST]abc")
      .Key("subscriptionFilters")
      .BeginArray()
      .String("to-firehose")
      .EndArray()
      .Key("logEvents")
      .BeginArray();
  int64_t timestamp = 1510109208016;
  for (const std::string& message : messages) {
    const std::string id =
        "3195310660696698337880902507980421114328961542429822156" + std::to_string(timestamp % 10);
    json.BeginObject()
        .Key("id")
        .String(id)
        .Key("timestamp")
        .Int(timestamp++)
        .Key("message")
        .String(message)
        .EndObject();
  }
  json.EndArray().EndObject();
  return json.Take();
}

std::vector<std::string> DataOf(const std::vector<ProcessedRecord>& outcomes) {
  std::vector<std::string> data;
  for (const ProcessedRecord& outcome : outcomes) data.push_back(outcome.data);
  return data;
}

std::vector<ProcessResult> ResultsOf(const std::vector<ProcessedRecord>& outcomes) {
  std::vector<ProcessResult> results;
  for (const ProcessedRecord& outcome : outcomes) results.push_back(outcome.result);
  return results;
}

}  // namespace sluice::processors::testing
