#pragma once
// Freshness: watches a local bucket directory and notes when each tagged JSON record becomes
// visible in a delivered object (polling every few milliseconds, so sightings are late by at
// most one poll period plus the time to read the object; each poll lists the whole directory,
// so its cost grows with the objects delivered). Objects may be plain, `.gz` or `.zst`;
// `.parquet` objects are counted by rows only (their records cannot be traced by tag).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace sluice::bench {

struct Sighting {
  uint64_t tag;
  int64_t steady_ns;  // when the object holding the record was first seen
};

// A buffer aligned for O_DIRECT reads.
struct AlignedBuffer {
  std::unique_ptr<char, void (*)(void*)> data{nullptr, &std::free};
  size_t size = 0;
};

class BucketWatcher {
 public:
  BucketWatcher(std::filesystem::path dir, std::chrono::milliseconds poll_period)
      : dir_(std::move(dir)), poll_period_(poll_period) {}
  ~BucketWatcher();
  BucketWatcher(const BucketWatcher&) = delete;
  BucketWatcher& operator=(const BucketWatcher&) = delete;

  void Start();
  // Keeps polling until `records` records have been seen or `timeout_s` has passed, then stops.
  void StopAfter(uint64_t records, double timeout_s);

  // Valid after StopAfter.
  const std::vector<Sighting>& sightings() const { return sightings_; }
  // Rows of Parquet objects: delivered, but with no sighting per record.
  uint64_t untraced_records() const { return untraced_; }
  // When the last object holding records was first seen (0 if none).
  int64_t last_seen_ns() const { return last_seen_ns_; }
  uint64_t objects() const { return objects_; }
  // Objects whose body could not be read, decompressed or (Parquet) counted.
  uint64_t unreadable_objects() const { return unreadable_; }

 private:
  void Poll();
  void ScanObject(const std::filesystem::path& path, int64_t seen_ns);

  std::filesystem::path dir_;
  std::chrono::milliseconds poll_period_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> seen_records_{0};
  // Owned by the polling thread until it is joined.
  std::unordered_set<std::string> known_;
  std::vector<Sighting> sightings_;
  uint64_t untraced_ = 0;
  int64_t last_seen_ns_ = 0;
  uint64_t objects_ = 0;
  uint64_t unreadable_ = 0;
  AlignedBuffer raw_;  // the object being scanned, as stored
  std::string body_;   // its records, decompressed
};

}  // namespace sluice::bench
