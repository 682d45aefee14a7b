#include "loadgen/watcher.h"

#include <fcntl.h>
#include <libdeflate.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <charconv>
#include <chrono>
#include <optional>

#include "loadgen/parquet_rows.h"
#include "loadgen/workload.h"

namespace sluice::bench {
namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

constexpr size_t kDirectAlignment = 4096;

// The whole file, read into `buffer` (aligned, grown as needed, reused from object to object)
// around the page cache where the file system allows: the watcher reads every object the server
// writes (GBs in the flatness scenario), and on the benchmark VM filling the page cache with
// them, or a fresh buffer per object, cost the machine more CPU than the server's own work,
// growing as the run went on.
std::optional<std::string_view> ReadFile(const std::filesystem::path& path, AlignedBuffer& buffer) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_DIRECT);
  if (fd < 0 && errno == EINVAL) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0;
  const size_t size = ok ? static_cast<size_t>(st.st_size) : 0;
  const size_t padded = (size + kDirectAlignment - 1) / kDirectAlignment * kDirectAlignment;
  if (ok && buffer.size < padded) {
    buffer.data.reset(static_cast<char*>(std::aligned_alloc(kDirectAlignment, padded)));
    buffer.size = buffer.data ? padded : 0;
    ok = buffer.data != nullptr;
  }
  size_t at = 0;
  while (ok && at < size) {
    const ssize_t n = ::pread(fd, buffer.data.get() + at, padded - at, static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) at += static_cast<size_t>(n);
  }
  ::close(fd);
  if (!ok) return std::nullopt;
  return std::string_view(buffer.data.get(), size);
}

// Gzip members back to back (the server's GZIP codec writes one per 8 MiB of records), each
// decompressed after the previous one; `out` grows as a member needs.
bool Gunzip(std::string_view in, std::string& out) {
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
bool Unzstd(std::string_view in, std::string& out) {
  const unsigned long long size = ZSTD_getFrameContentSize(in.data(), in.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) return false;
  out.resize(size);
  return ZSTD_decompress(out.data(), out.size(), in.data(), in.size()) == size;
}

// The object's records as concatenated text, decompressed by its extension into `scratch`
// (an uncompressed object is its own text).
std::optional<std::string_view> Decode(const std::filesystem::path& path, std::string_view raw, std::string& scratch) {
  const auto extension = path.extension();
  if (extension == ".gz") return Gunzip(raw, scratch) ? std::optional<std::string_view>(scratch) : std::nullopt;
  if (extension == ".zst") return Unzstd(raw, scratch) ? std::optional<std::string_view>(scratch) : std::nullopt;
  return raw;
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
  const auto raw = ReadFile(path, raw_);
  if (!raw) {
    ++unreadable_;
    return;
  }
  if (path.extension() == ".parquet") {
    const auto rows = ParquetRowCount(*raw);
    if (!rows) {
      ++unreadable_;
      return;
    }
    untraced_ += *rows;
    if (*rows > 0) last_seen_ns_ = std::max(last_seen_ns_, seen_ns);
    seen_records_ += *rows;
    return;
  }
  const auto decoded = Decode(path, *raw, body_);
  if (!decoded) {
    ++unreadable_;
    return;
  }
  const std::string_view body = *decoded;
  uint64_t found = 0;
  for (size_t at = body.find(kJsonTagPrefix); at != std::string_view::npos;
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
