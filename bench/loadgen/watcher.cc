#include "loadgen/watcher.h"

#include <fcntl.h>
#include <libdeflate.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>

#include "loadgen/parquet_rows.h"
#include "loadgen/workload.h"

namespace sluice::bench {
namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The whole file into `out`, whose memory is reused from object to object: the watcher reads
// every object the server writes (GBs in the flatness scenario), and a fresh buffer per object
// would cost the machine page faults that the server's figures would show.
bool ReadFile(const std::filesystem::path& path, std::string& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0;
  if (ok) out.resize(static_cast<size_t>(st.st_size));
  for (size_t at = 0; ok && at < out.size();) {
    const ssize_t n = ::pread(fd, out.data() + at, out.size() - at, static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) at += static_cast<size_t>(n);
  }
  ::close(fd);
  return ok;
}

// Gzip members back to back (the server's GZIP codec writes one per 8 MiB of records), each
// decompressed after the previous one; `out` grows as a member needs.
bool Gunzip(const std::string& in, std::string& out) {
  if (in.size() < 18) return false;
  libdeflate_decompressor* decompressor = libdeflate_alloc_decompressor();
  out.clear();
  size_t room = 16 << 20;
  auto result = LIBDEFLATE_SUCCESS;
  for (size_t pos = 0; pos < in.size() && result == LIBDEFLATE_SUCCESS;) {
    const size_t start = out.size();
    out.resize(start + room);
    size_t used = 0;
    size_t produced = 0;
    result = libdeflate_gzip_decompress_ex(decompressor, in.data() + pos, in.size() - pos, out.data() + start, room,
                                           &used, &produced);
    if (result == LIBDEFLATE_INSUFFICIENT_SPACE) {
      out.resize(start);
      room *= 2;
      result = LIBDEFLATE_SUCCESS;
      continue;
    }
    out.resize(start + produced);
    pos += used;
  }
  libdeflate_free_decompressor(decompressor);
  return result == LIBDEFLATE_SUCCESS;
}

// One zstd frame whose header gives the decompressed size (the server's ZSTD codec writes it).
bool Unzstd(const std::string& in, std::string& out) {
  const unsigned long long size = ZSTD_getFrameContentSize(in.data(), in.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) return false;
  out.resize(size);
  return ZSTD_decompress(out.data(), out.size(), in.data(), in.size()) == size;
}

// The object's records as concatenated text, decompressed by its extension (an uncompressed
// object's bytes are swapped into `out`, so both buffers keep their memory).
bool Decode(const std::filesystem::path& path, std::string& raw, std::string& out) {
  const auto extension = path.extension();
  if (extension == ".gz") return Gunzip(raw, out);
  if (extension == ".zst") return Unzstd(raw, out);
  out.swap(raw);
  return true;
}

}  // namespace

BucketWatcher::~BucketWatcher() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void BucketWatcher::Start() {
  thread_ = std::thread([this] {
    while (!stop_) {
      Poll();
      std::this_thread::sleep_for(poll_period_);
    }
    Poll();
  });
}

void BucketWatcher::StopAfter(uint64_t records, double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(timeout_s));
  while (seen_records_ < records && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(poll_period_);
  }
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void BucketWatcher::Poll() {
  std::error_code error;
  if (!std::filesystem::exists(dir_, error)) return;
  const int64_t now = NowNs();
  for (auto it = std::filesystem::recursive_directory_iterator(dir_, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with('.') || !it->is_regular_file(error)) continue;
    if (known_.insert(it->path().string()).second) ScanObject(it->path(), now);
  }
}

void BucketWatcher::ScanObject(const std::filesystem::path& path, int64_t seen_ns) {
  ++objects_;
  std::string& raw = raw_;
  if (!ReadFile(path, raw)) {
    ++unreadable_;
    return;
  }
  if (path.extension() == ".parquet") {
    const auto rows = ParquetRowCount(raw);
    if (!rows) {
      ++unreadable_;
      return;
    }
    untraced_ += *rows;
    if (*rows > 0) last_seen_ns_ = std::max(last_seen_ns_, seen_ns);
    seen_records_ += *rows;
    return;
  }
  std::string& body = body_;
  if (!Decode(path, raw, body)) {
    ++unreadable_;
    return;
  }
  uint64_t found = 0;
  for (size_t at = body.find(kJsonTagPrefix); at != std::string::npos;
       at = body.find(kJsonTagPrefix, at + 1)) {
    const char* digits = body.data() + at + kJsonTagPrefix.size();
    uint64_t tag = 0;
    if (at + kJsonTagPrefix.size() + kTagDigits > body.size()) break;
    std::from_chars(digits, digits + kTagDigits, tag);
    sightings_.push_back({tag, seen_ns});
    ++found;
  }
  if (found > 0) last_seen_ns_ = std::max(last_seen_ns_, seen_ns);
  seen_records_ += found;
}

}  // namespace sluice::bench
