#pragma once
// Fixture builders for the processors' tests, written from the formats' specifications so that
// the code under test is checked against independent encoders (zlib for gzip, OpenSSL for MD5).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "processors/processor.h"

namespace sluice::processors::testing {

Record MakeRecord(uint64_t seq, std::string data, int64_t arrival_ms = 1700000000000);

// gzip (RFC 1952) of `data` made by zlib's deflate.
std::string Gzip(std::string_view data);

// A protobuf length-delimited field.
void AppendBytesField(std::string& out, uint32_t field, std::string_view bytes);
void AppendVarintField(std::string& out, uint32_t field, uint64_t value);

struct KplSubRecord {
  uint64_t partition_key_index;
  std::string data;
};

// The AggregatedRecord protobuf message for `partition_keys` and `records`.
std::string KplMessage(const std::vector<std::string>& partition_keys,
                       const std::vector<KplSubRecord>& records);
// magic + message + MD5(message).
std::string KplRecord(std::string_view message);

// A CloudWatch Logs subscription envelope holding `messages` (JSON, not compressed).
std::string CloudWatchDataMessage(const std::vector<std::string>& messages);

std::vector<std::string> DataOf(const std::vector<ProcessedRecord>& outcomes);
std::vector<ProcessResult> ResultsOf(const std::vector<ProcessedRecord>& outcomes);

}  // namespace sluice::processors::testing
