#include "sinks/bucket/local_bucket_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <thread>
#include <vector>

#include "core/random.h"

namespace sluice::sinks {
namespace {

namespace fs = std::filesystem;

class StoreTest : public ::testing::Test {
 protected:
  StoreTest() { fs::create_directories(outside_); }
  ~StoreTest() override {
    ::chmod(root_.c_str(), 0755);
    fs::remove_all(base_);
  }

  DeliveryResult Put(std::string bucket, std::string key, std::string_view body) {
    return store_.Deliver(Delivery{std::move(bucket), std::move(key), body});
  }

  static std::string ReadFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }

  // Every regular file and symlink under `dir`, relative to it.
  static std::vector<std::string> Entries(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (!e.is_directory() || e.is_symlink()) out.push_back(fs::relative(e.path(), dir).string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  static void ExpectPermanent(const DeliveryResult& r, const std::string& message) {
    EXPECT_EQ(r.outcome, Outcome::kPermanent) << r.message;
    EXPECT_EQ(r.message, message);
  }

  const fs::path base_ = fs::temp_directory_path() / ("sluice-sinks-" + RandomAlnum(12));
  const fs::path root_ = base_ / "buckets";     // does not exist until the first delivery
  const fs::path outside_ = base_ / "outside";  // must stay empty: nothing escapes root
  LocalBucketStore store_{root_};
};

TEST_F(StoreTest, WritesObjectCreatingRootBucketAndFolders) {
  const auto r = Put("logs", "2024/01/02/03/stream-1-2024-01-02-03-04-05-uuid.gz", "body\n");
  ASSERT_EQ(r.outcome, Outcome::kOk) << r.message;
  EXPECT_EQ(r.message, "");
  EXPECT_EQ(ReadFile(root_ / "logs/2024/01/02/03/stream-1-2024-01-02-03-04-05-uuid.gz"), "body\n");
  EXPECT_EQ(Entries(root_),
            std::vector<std::string>{"logs/2024/01/02/03/stream-1-2024-01-02-03-04-05-uuid.gz"});
}

TEST_F(StoreTest, RedeliveryOverwritesWithoutDuplicatesOrTempFiles) {
  ASSERT_EQ(Put("b", "k/obj", "first attempt, longer body").outcome, Outcome::kOk);
  ASSERT_EQ(Put("b", "k/obj", "second").outcome, Outcome::kOk);
  EXPECT_EQ(ReadFile(root_ / "b/k/obj"), "second");
  EXPECT_EQ(Entries(root_), std::vector<std::string>{"b/k/obj"});
}

TEST_F(StoreTest, AnObjectWrittenPieceByPieceAppearsWholeOnlyAtFinish) {
  const auto writer = store_.Begin({"logs", "a/part.gz", {}});
  std::string body;
  for (const size_t size : {size_t{1}, size_t{0}, size_t{4097}, size_t{3} << 20}) {
    const std::string piece = RandomAlnum(size);
    ASSERT_EQ(writer->Write(piece).outcome, Outcome::kOk);
    body += piece;
  }
  // Only the temporary file exists until Finish.
  const auto entries = Entries(root_);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_TRUE(entries[0].starts_with("logs/a/.sluice-tmp-")) << entries[0];
  const auto finished = writer->Finish();
  ASSERT_EQ(finished.outcome, Outcome::kOk) << finished.message;
  EXPECT_EQ(Entries(root_), std::vector<std::string>{"logs/a/part.gz"});
  EXPECT_EQ(ReadFile(root_ / "logs/a/part.gz"), body);
}

TEST_F(StoreTest, AnAbandonedObjectLeavesNothingAndKeepsTheEarlierOne) {
  ASSERT_EQ(Put("logs", "k", "old").outcome, Outcome::kOk);
  {
    const auto writer = store_.Begin({"logs", "k", {}});
    ASSERT_EQ(writer->Write("new, never finished").outcome, Outcome::kOk);
  }
  EXPECT_EQ(Entries(root_), std::vector<std::string>{"logs/k"});
  EXPECT_EQ(ReadFile(root_ / "logs/k"), "old");
}

TEST_F(StoreTest, AKeyRefusedAtBeginFailsEveryCall) {
  const auto writer = store_.Begin({"logs", "a//b", {}});
  const auto written = writer->Write("x");
  EXPECT_EQ(written.outcome, Outcome::kPermanent);
  EXPECT_EQ(writer->Finish().message, written.message);
  EXPECT_FALSE(fs::exists(root_ / "logs" / "a"));
}

TEST_F(StoreTest, EmptyAndLargeBodies) {
  ASSERT_EQ(Put("b", "empty", "").outcome, Outcome::kOk);
  EXPECT_TRUE(fs::exists(root_ / "b/empty"));
  EXPECT_EQ(fs::file_size(root_ / "b/empty"), 0u);
  const std::string big(3 << 20, 'z');
  ASSERT_EQ(Put("b", "big", big).outcome, Outcome::kOk);
  EXPECT_EQ(ReadFile(root_ / "b/big"), big);
}

TEST_F(StoreTest, KeysAllowedByS3ThatMapToFiles) {
  for (std::string key :
       {"top", ".hidden", "...", "a.b/..c/c..", "sp ace/ünï/=&?*", "a/.sluice-tm"}) {
    const auto r = Put("b", key, key);
    EXPECT_EQ(r.outcome, Outcome::kOk) << key << ": " << r.message;
    EXPECT_EQ(ReadFile(root_ / "b" / key), key);
  }
}

TEST_F(StoreTest, RejectsKeysThatCannotBeMappedSafely) {
  struct Case {
    std::string key;
    std::string why;
  };
  const std::vector<Case> cases = {
      {"", "object key is empty; S3 keys are 1-1024 bytes"},
      {std::string(1025, 'k'), "object key is 1025 bytes; S3 keys are 1-1024 bytes"},
      {std::string("a\0b", 3), "object key contains a NUL byte"},
      {"/etc/passwd", "object key starts with '/'; the local store needs relative keys"},
      {"../outside/x", "object key has a '..' path segment, which would leave its folder"},
      {"a/../../outside/x", "object key has a '..' path segment, which would leave its folder"},
      {"a/..", "object key has a '..' path segment, which would leave its folder"},
      {"./x", "object key has a '.' path segment, which would leave its folder"},
      {"a//b", "object key has an empty path segment (\"//\", or a trailing '/')"},
      {"a/b/", "object key has an empty path segment (\"//\", or a trailing '/')"},
      {"a/" + std::string(256, 's'),
       "object key has a path segment of 256 bytes; the local store allows at most 255 bytes "
       "between slashes"},
      {"a/.sluice-tmp-abc",
       "object key has a path segment starting with '.sluice-tmp-', which is reserved for "
       "temporary files"},
  };
  for (const auto& c : cases) {
    ExpectPermanent(Put("b", c.key, "x"), "bucket 'b' key '" + c.key + "': " + c.why);
  }
  EXPECT_FALSE(fs::exists(root_ / "b")) << "nothing is created for a rejected key";
  EXPECT_TRUE(fs::is_empty(outside_));
}

TEST_F(StoreTest, AcceptsLongestKeyAndSegment) {
  const std::string segment(255, 's');
  const std::string key =
      segment + "/" + segment + "/" + segment + "/" + std::string(254, 't') + "/u";
  ASSERT_EQ(key.size(), 1024u);
  const auto r = Put("b", key, "x");
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.message;
  EXPECT_EQ(ReadFile(root_ / "b" / key), "x");
}

TEST_F(StoreTest, RejectsBucketNamesThatAreNotOneFolder) {
  ExpectPermanent(Put("", "k", "x"),
                  "bucket '' key 'k': bucket name has an empty path segment (\"//\", or a "
                  "trailing '/')");
  ExpectPermanent(Put("..", "k", "x"),
                  "bucket '..' key 'k': bucket name has a '..' path segment, which would leave "
                  "its folder");
  ExpectPermanent(Put("a/b", "k", "x"), "bucket 'a/b' key 'k': bucket name contains '/'");
  ExpectPermanent(Put(std::string("a\0b", 3), "k", "x"),
                  std::string("bucket 'a\0b' key 'k': bucket name contains a NUL byte", 53));
  EXPECT_TRUE(fs::is_empty(outside_));
}

TEST_F(StoreTest, NeverFollowsSymlinkedFolder) {
  fs::create_directories(root_ / "b");
  fs::create_directory_symlink(outside_, root_ / "b" / "link");
  ExpectPermanent(Put("b", "link/x", "x"),
                  "bucket 'b' key 'link/x': 'b/link' is a symbolic link; the local bucket store "
                  "never follows links");
  fs::create_directory_symlink(outside_, root_ / "linked-bucket");
  ExpectPermanent(Put("linked-bucket", "x", "x"),
                  "bucket 'linked-bucket' key 'x': 'linked-bucket' is a symbolic link; the local "
                  "bucket store never follows links");
  EXPECT_TRUE(fs::is_empty(outside_));
}

TEST_F(StoreTest, ReplacesSymlinkedObjectInsteadOfWritingThroughIt) {
  fs::create_directories(root_ / "b");
  std::ofstream(outside_ / "target") << "untouched";
  fs::create_symlink(outside_ / "target", root_ / "b" / "obj");
  ASSERT_EQ(Put("b", "obj", "new").outcome, Outcome::kOk);
  EXPECT_FALSE(fs::is_symlink(root_ / "b" / "obj"));
  EXPECT_EQ(ReadFile(root_ / "b" / "obj"), "new");
  EXPECT_EQ(ReadFile(outside_ / "target"), "untouched");
}

TEST_F(StoreTest, RootMayBeASymlink) {
  fs::create_directories(base_ / "real-root");
  fs::create_directory_symlink(base_ / "real-root", root_);
  ASSERT_EQ(Put("b", "k", "v").outcome, Outcome::kOk);
  EXPECT_EQ(ReadFile(base_ / "real-root/b/k"), "v");
}

TEST_F(StoreTest, ObjectAndFolderCannotShareAPath) {
  ASSERT_EQ(Put("b", "a/b", "object").outcome, Outcome::kOk);
  ExpectPermanent(Put("b", "a/b/c", "x"),
                  "bucket 'b' key 'a/b/c': 'b/a/b' is an existing object, so it cannot also be "
                  "a folder of this key");
  ExpectPermanent(Put("b", "a", "x"),
                  "bucket 'b' key 'a': the key is already a folder of other objects");
  EXPECT_EQ(Entries(root_), std::vector<std::string>{"b/a/b"});
}

TEST_F(StoreTest, RootThatIsAFileIsRetryable) {
  fs::create_directories(base_);
  std::ofstream(root_) << "not a directory";
  const auto r = Put("b", "k", "x");
  EXPECT_EQ(r.outcome, Outcome::kRetryable) << r.message;
  EXPECT_TRUE(
      r.message.starts_with("bucket 'b' key 'k': create store root " + root_.string() + ": "))
      << r.message;
}

// Runs `check` (0 = passed) with an unprivileged user's permissions: as root, in a child
// process that switches to uid/gid 65534, since root ignores directory permissions.
int RunUnprivileged(const std::function<int()>& check) {
  if (::geteuid() != 0) return check();
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(90);
    ::_exit(check());
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

TEST_F(StoreTest, PermissionDeniedIsRetryable) {
  fs::create_directories(root_);
  ASSERT_EQ(::chmod(root_.c_str(), 0555), 0);
  const int denied = RunUnprivileged([&] {
    const auto r = Put("b", "k", "x");
    if (r.outcome != Outcome::kRetryable) return 1;
    return r.message == "bucket 'b' key 'k': create folder b: Permission denied" ? 0 : 2;
  });
  EXPECT_EQ(denied, 0) << "1: not retryable, 2: other message, 90: cannot drop privileges";
  ASSERT_EQ(::chmod(root_.c_str(), 0777), 0);
  const int fixed = RunUnprivileged([&] { return Put("b", "k", "x").outcome == Outcome::kOk ? 0 : 1; });
  EXPECT_EQ(fixed, 0) << "succeeds once the operator fixes it";
}

TEST_F(StoreTest, ConcurrentDeliveriesOfOneKeyLeaveOneCompleteBody) {
  const std::string body_a(100'000, 'a');
  const std::string body_b(50'000, 'b');
  std::vector<std::thread> threads;
  for (const std::string* body : {&body_a, &body_b}) {
    threads.emplace_back([this, body] {
      for (int i = 0; i < 20; ++i) EXPECT_EQ(Put("b", "p/q/same", *body).outcome, Outcome::kOk);
    });
  }
  for (auto& t : threads) t.join();
  const std::string got = ReadFile(root_ / "b/p/q/same");
  EXPECT_TRUE(got == body_a || got == body_b) << got.size();
  EXPECT_EQ(Entries(root_), std::vector<std::string>{"b/p/q/same"});
}

}  // namespace
}  // namespace sluice::sinks
