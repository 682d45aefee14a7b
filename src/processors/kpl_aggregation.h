#pragma once
// The Kinesis Producer Library (KPL) aggregated record format:
//   [4 bytes magic F3 89 9A C2][protobuf AggregatedRecord][16 bytes MD5 of the protobuf bytes]
// with (proto2)
//   message AggregatedRecord { repeated string partition_key_table = 1;
//                              repeated string explicit_hash_key_table = 2;
//                              repeated Record records = 3; }
//   message Record { required uint64 partition_key_index = 1; optional uint64
//                    explicit_hash_key_index = 2; required bytes data = 3; repeated Tag tags = 4; }
// Sub-records are returned as their `data`; keys and tags are not needed by Firehose's pipeline.

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sluice::processors {

inline constexpr std::array<unsigned char, 4> kKplMagic = {0xF3, 0x89, 0x9A, 0xC2};
inline constexpr size_t kKplMd5Bytes = 16;

// True if `data` starts with the KPL magic (it may still be malformed).
bool HasKplMagic(std::string_view data);

// The user records' data, in order. Fails (kCorruption, message names the problem) on a missing
// magic, a record too short for the trailer, an MD5 mismatch, malformed protobuf, a sub-record
// without data or with a partition key index outside the table.
Result<std::vector<std::string>> DeaggregateKpl(std::string_view data);

}  // namespace sluice::processors
