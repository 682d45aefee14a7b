#pragma once
// The load generator's workload: a fixed-seed pool of records and the PutRecordBatch request
// bodies built from them. Every record carries a 12-digit tag (the id of the request that sends
// it) at a fixed, base64-aligned offset, so a body can be re-tagged in place without re-encoding
// and delivered objects can be traced back to the request that was acknowledged.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::bench {

enum class RecordKind { kJsonLog, kBinary };

// Bytes [kTagOffset, kTagOffset + kTagDigits) of every record are the decimal tag. Both are
// multiples of 3, so the tag maps to whole base64 characters.
inline constexpr size_t kTagOffset = 9;
inline constexpr size_t kTagDigits = 12;
// What precedes the tag in a JSON record; delivered objects are scanned for it.
inline constexpr std::string_view kJsonTagPrefix = "{\"rqid\":\"";

struct WorkloadOptions {
  RecordKind kind = RecordKind::kJsonLog;
  uint64_t seed = 1;
  size_t record_size = 1024;  // binary records only; JSON records vary around ~1 KiB
  size_t batch_records = 500;
  size_t pool_batches = 16;
};

// One PutRecordBatch body. The tag of every record can be rewritten with SetTag.
class BatchBody {
 public:
  BatchBody(std::string_view stream, const std::vector<std::string>& records);

  const std::string& body() const { return body_; }
  size_t records() const { return data_offsets_.size(); }
  uint64_t payload_bytes() const { return payload_bytes_; }
  // Writes `tag` (mod 10^12) into every record of the body.
  void SetTag(uint64_t tag);
  // A body holding only the records at `indexes` (as they are tagged now), for resending the
  // entries a partial failure refused.
  std::string Subset(std::string_view stream, const std::vector<size_t>& indexes) const;
  uint64_t SubsetPayloadBytes(const std::vector<size_t>& indexes) const;

 private:
  std::string body_;
  std::vector<size_t> data_offsets_;  // where each record's base64 starts in body_
  std::vector<size_t> data_lengths_;  // its base64 length
  std::vector<size_t> record_sizes_;  // its decoded length
  uint64_t payload_bytes_ = 0;
};

// Generates pool_batches * batch_records records from the seed.
std::vector<std::string> GenerateRecords(const WorkloadOptions& options);

// Returns the request bodies for `records`, batch_records per body.
std::vector<BatchBody> BuildBodies(std::string_view stream, const std::vector<std::string>& records,
                                   size_t batch_records);

}  // namespace sluice::bench
