#include "sinks/bucket/local_bucket_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "core/random.h"
#include "sinks/bucket/direct_file_writer.h"
#include "sinks/bucket/errno_outcome.h"

namespace sluice::sinks {
namespace {

constexpr size_t kMaxKeyBytes = 1024;     // S3's object key limit
constexpr size_t kMaxSegmentBytes = 255;  // NAME_MAX of Linux file systems
constexpr std::string_view kTempPrefix = ".sluice-tmp-";
constexpr size_t kTempRandomChars = 16;
constexpr mode_t kDirMode = 0755;
constexpr mode_t kFileMode = 0644;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string Describe(const Delivery& d) { return "bucket '" + d.bucket + "' key '" + d.key + "'"; }

DeliveryResult Permanent(const Delivery& d, std::string_view why) {
  return {Outcome::kPermanent, Describe(d) + ": " + std::string(why)};
}

DeliveryResult FromErrno(const Delivery& d, std::string_view what, int errno_value) {
  return {OutcomeForErrno(errno_value),
          Describe(d) + ": " + std::string(what) + ": " + std::strerror(errno_value)};
}

// Why `segment` (one directory or file name) cannot be stored, or nullopt if it can.
std::optional<std::string> SegmentProblem(std::string_view segment) {
  if (segment.empty()) return "has an empty path segment (\"//\", or a trailing '/')";
  if (segment == "." || segment == "..") {
    return "has a '" + std::string(segment) + "' path segment, which would leave its folder";
  }
  if (segment.size() > kMaxSegmentBytes) {
    return "has a path segment of " + std::to_string(segment.size()) +
           " bytes; the local store allows at most 255 bytes between slashes";
  }
  if (segment.starts_with(kTempPrefix)) {
    return "has a path segment starting with '.sluice-tmp-', which is reserved for temporary "
           "files";
  }
  return std::nullopt;
}

std::optional<std::string> KeyProblem(std::string_view key) {
  if (key.empty()) return "object key is empty; S3 keys are 1-1024 bytes";
  if (key.size() > kMaxKeyBytes) {
    return "object key is " + std::to_string(key.size()) + " bytes; S3 keys are 1-1024 bytes";
  }
  if (key.find('\0') != std::string_view::npos) return "object key contains a NUL byte";
  if (key.front() == '/') return "object key starts with '/'; the local store needs relative keys";
  size_t start = 0;
  while (true) {
    const size_t slash = key.find('/', start);
    const std::string_view segment =
        key.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (auto problem = SegmentProblem(segment)) return "object key " + *problem;
    if (slash == std::string_view::npos) return std::nullopt;
    start = slash + 1;
  }
}

std::optional<std::string> BucketProblem(std::string_view bucket) {
  if (bucket.find('/') != std::string_view::npos) return "bucket name contains '/'";
  if (bucket.find('\0') != std::string_view::npos) return "bucket name contains a NUL byte";
  if (auto problem = SegmentProblem(bucket)) return "bucket name " + *problem;
  return std::nullopt;
}

// Opens directory `name` inside `parent`, creating it if missing. Never follows a symlink.
// `path` is the directory's path below root, for messages.
std::expected<Fd, DeliveryResult> OpenOrCreateDir(int parent, const std::string& name,
                                                  const std::string& path, const Delivery& d) {
  while (true) {
    const int fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) return Fd(fd);
    const int open_errno = errno;
    if (open_errno == ENOENT) {
      if (::mkdirat(parent, name.c_str(), kDirMode) == 0) {
        // The new directory's entry must be durable before anything inside it is reported.
        if (::fsync(parent) != 0) {
          return std::unexpected(FromErrno(d, "fsync parent of " + path, errno));
        }
      } else if (errno != EEXIST) {  // EEXIST: a concurrent delivery created it first
        return std::unexpected(FromErrno(d, "create folder " + path, errno));
      }
      continue;
    }
    if (open_errno == ENOTDIR || open_errno == ELOOP) {
      struct stat st {};
      if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
        return std::unexpected(Permanent(
            d, "'" + path + "' is a symbolic link; the local bucket store never follows links"));
      }
      return std::unexpected(Permanent(
          d, "'" + path + "' is an existing object, so it cannot also be a folder of this key"));
    }
    return std::unexpected(FromErrno(d, "open folder " + path, open_errno));
  }
}

// A root that cannot be used is a problem of the server's environment, not of the object, so
// it is always kRetryable: the batch waits in the log until an operator fixes the directory.
std::expected<Fd, DeliveryResult> OpenRoot(const std::filesystem::path& root, const Delivery& d) {
  const auto retryable = [&](std::string_view what, int errno_value) {
    return std::unexpected(
        DeliveryResult{Outcome::kRetryable, Describe(d) + ": " + std::string(what) + " " +
                                                root.string() + ": " + std::strerror(errno_value)});
  };
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  if (ec) return retryable("create store root", ec.value());
  const int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return retryable("open store root", errno);
  return Fd(fd);
}

// Opens the folder of `d.key` (creating missing ones) and returns it with the key's last
// segment.
std::expected<std::pair<Fd, std::string>, DeliveryResult> OpenKeyDir(const std::filesystem::path& root_path,
                                                                      const Delivery& d) {
  if (auto problem = BucketProblem(d.bucket)) return std::unexpected(Permanent(d, *problem));
  if (auto problem = KeyProblem(d.key)) return std::unexpected(Permanent(d, *problem));

  auto root = OpenRoot(root_path, d);
  if (!root) return std::unexpected(root.error());
  auto dir = OpenOrCreateDir(root->get(), d.bucket, d.bucket, d);
  if (!dir) return std::unexpected(dir.error());

  std::string path = d.bucket;
  size_t start = 0;
  for (size_t slash = d.key.find('/'); slash != std::string::npos;
       start = slash + 1, slash = d.key.find('/', start)) {
    const std::string segment = d.key.substr(start, slash - start);
    path += '/';
    path += segment;
    auto child = OpenOrCreateDir(dir->get(), segment, path, d);
    if (!child) return std::unexpected(child.error());
    dir.emplace(std::move(*child));
  }
  return std::pair<Fd, std::string>(std::move(*dir), d.key.substr(start));
}

// Writes the body, as it comes, under a temporary name in the key's folder; Finish fsyncs it
// and renames it to the key. Anything short of a successful Finish removes the temporary file.
class LocalObjectWriter final : public ObjectWriter {
 public:
  LocalObjectWriter(const std::filesystem::path& root, const Delivery& d) : d_{d.bucket, d.key, {}} {
    auto dir = OpenKeyDir(root, d_);
    if (!dir) {
      failed_ = dir.error();
      return;
    }
    dir_.emplace(std::move(dir->first));
    leaf_ = std::move(dir->second);
    temp_ = std::string(kTempPrefix) + RandomAlnum(kTempRandomChars);
    const int fd = DirectFileWriter::OpenNew(dir_->get(), temp_.c_str(), kFileMode);
    if (fd < 0) {
      failed_ = FromErrno(d_, "create temporary file", errno);
      return;
    }
    file_.emplace(fd);
    writer_.emplace(fd);
  }

  ~LocalObjectWriter() override {
    if (file_) Discard();
  }

  DeliveryResult Write(std::string_view bytes) override {
    if (failed_) return *failed_;
    if (!writer_->Write(bytes)) return Fail("write temporary file", errno);
    return {Outcome::kOk, ""};
  }

  DeliveryResult Finish() override {
    if (failed_) return *failed_;
    if (!writer_->Finish()) return Fail("write temporary file", errno);
    if (::fsync(file_->get()) != 0) return Fail("fsync temporary file", errno);
    writer_.reset();
    file_.reset();
    if (::renameat(dir_->get(), temp_.c_str(), dir_->get(), leaf_.c_str()) != 0) {
      const int failure = errno;
      ::unlinkat(dir_->get(), temp_.c_str(), 0);
      if (failure == EISDIR) return *(failed_ = Permanent(d_, "the key is already a folder of other objects"));
      return *(failed_ = FromErrno(d_, "rename temporary file", failure));
    }
    if (::fsync(dir_->get()) != 0) return *(failed_ = FromErrno(d_, "fsync folder", errno));
    return {Outcome::kOk, ""};
  }

 private:
  void Discard() {
    writer_.reset();
    file_.reset();
    ::unlinkat(dir_->get(), temp_.c_str(), 0);
  }

  DeliveryResult Fail(std::string_view what, int errno_value) {
    Discard();
    failed_ = FromErrno(d_, what, errno_value);
    return *failed_;
  }

  const Delivery d_;  // bucket and key, for messages
  std::optional<Fd> dir_;
  std::string leaf_;
  std::string temp_;
  std::optional<Fd> file_;  // the temporary file while it is being written
  std::optional<DirectFileWriter> writer_;  // writes file_
  std::optional<DeliveryResult> failed_;  // set once the object has ended, however
};

}  // namespace

LocalBucketStore::LocalBucketStore(std::filesystem::path root) : root_(std::move(root)) {}

DeliveryResult LocalBucketStore::Deliver(const Delivery& d) {
  const auto writer = Begin(d);
  if (auto written = writer->Write(d.body); written.outcome != Outcome::kOk) return written;
  return writer->Finish();
}

std::unique_ptr<ObjectWriter> LocalBucketStore::Begin(const Delivery& d) {
  return std::make_unique<LocalObjectWriter>(root_, d);
}

}  // namespace sluice::sinks
