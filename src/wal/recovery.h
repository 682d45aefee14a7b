#pragma once
// Recovery: turns whatever a crash left in a log directory into a consistent set of segments.
// The rules are in docs/wal-format.md ("Recovery"); in short, every segment is verified frame by
// frame and cut at its first bad frame, later segments are kept, and nothing unverifiable is
// ever handed out.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "wal/file_io.h"
#include "wal/segment.h"

namespace sluice::wal {

struct PendingSeal {
  uint64_t first_seq;
  uint64_t last_seq;
  std::string descriptor;
};

struct RecoveryReport {
  uint64_t delivered_through = 0;  // the cursor
  uint64_t next_seq = 1;           // seq the next appended record gets
  std::vector<PendingSeal> pending_seals;  // sealed, not delivered, in log order
  // Records above the cursor and above every pending seal's last seq.
  uint64_t unsealed_records = 0;
  uint64_t unsealed_bytes = 0;
  int64_t oldest_unsealed_arrival_ms = 0;  // arrival of the first unsealed record; 0 if none
  uint64_t torn_bytes_cut = 0;             // bytes removed by cuts, all segments
  uint64_t corrupt_tails = 0;              // number of cuts
  // Undelivered seqs missing between surviving records (lost with a cut in an earlier segment).
  uint64_t missing_records = 0;
  // Seal frames not reported because some of their records are missing.
  uint64_t dropped_seals = 0;
  // The cursor file was unreadable and recovery started from 0: nothing is lost, but batches
  // still in the log may be delivered again.
  bool cursor_unreadable = false;
};

struct Recovered {
  RecoveryReport report;
  std::vector<Segment> segments;  // sorted by base_seq; segment files opened read-write
};

// Creates `dir` if missing and recovers it. Does not create or delete segments.
Result<Recovered> Recover(FileIo& io, const std::filesystem::path& dir);

}  // namespace sluice::wal
