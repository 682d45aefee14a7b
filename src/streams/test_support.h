#pragma once
// Shared fixtures of the streams tests: a temp data dir, bucket reading, gzip, bounded waits.

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <thread>

#include <zlib.h>

#include "core/atomic_file.h"
#include "core/random.h"

namespace sluice::streams::testing {

class TempDir {
 public:
  TempDir() : path_(std::filesystem::temp_directory_path() / ("sluice-test-" + RandomAlnum(12))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Every visible object under `bucket_dir`, by key.
inline std::map<std::string, std::string> ReadObjects(const std::filesystem::path& bucket_dir) {
  std::map<std::string, std::string> objects;
  if (!std::filesystem::exists(bucket_dir)) return objects;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(bucket_dir)) {
    if (!entry.is_regular_file() || entry.path().filename().string().starts_with(".")) continue;
    objects[std::filesystem::relative(entry.path(), bucket_dir).string()] = *ReadFile(entry.path());
  }
  return objects;
}

// gzip (RFC 1952) of `data`, made by zlib.
inline std::string Gzip(std::string_view data) {
  z_stream z{};
  std::string out(data.size() + 64, '\0');
  if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const bool finished = deflate(&z, Z_FINISH) == Z_STREAM_END;
  deflateEnd(&z);
  if (!finished) return {};
  out.resize(out.size() - z.avail_out);
  return out;
}

// Polls `condition` for up to 10 s; the result says whether it became true.
inline bool WaitFor(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

}  // namespace sluice::streams::testing
