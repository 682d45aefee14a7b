#include "sinks/bucket/direct_file_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/random.h"

namespace sluice::sinks {
namespace {

class DirectFileWriterTest : public ::testing::Test {
 protected:
  DirectFileWriterTest() : dir_(std::filesystem::temp_directory_path() / ("sluice-direct-" + RandomAlnum(12))) {
    std::filesystem::create_directories(dir_);
    dir_fd_ = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY);
  }
  ~DirectFileWriterTest() override {
    ::close(dir_fd_);
    std::filesystem::remove_all(dir_);
  }

  // Writes `body` to a new file in pieces of `piece` bytes and returns what the file holds.
  std::string RoundTrip(const std::string& body, size_t piece, bool direct, bool* was_direct = nullptr) {
    const std::string name = "f" + std::to_string(files_++);
    const int fd = DirectFileWriter::OpenNew(dir_fd_, name.c_str(), 0644, direct);
    EXPECT_GE(fd, 0) << std::strerror(errno);
    {
      DirectFileWriter writer(fd);
      for (size_t at = 0; at < body.size(); at += piece) {
        EXPECT_TRUE(writer.Write(std::string_view(body).substr(at, piece))) << std::strerror(errno);
      }
      EXPECT_TRUE(writer.Finish()) << std::strerror(errno);
      if (was_direct != nullptr) *was_direct = writer.direct();
    }
    ::close(fd);
    std::ifstream in(dir_ / name, std::ios::binary);
    std::stringstream contents;
    contents << in.rdbuf();
    return contents.str();
  }

  std::filesystem::path dir_;
  int dir_fd_ = -1;
  int files_ = 0;
};

std::string Body(size_t size) {
  std::string body(size, '\0');
  for (size_t i = 0; i < size; ++i) body[i] = static_cast<char>('a' + (i * 7919) % 26);
  return body;
}

TEST_F(DirectFileWriterTest, TheFileHoldsExactlyTheBytesWrittenAtAnySizeAndPiece) {
  constexpr size_t kMiB = DirectFileWriter::kBufferBytes;
  const std::vector<size_t> sizes = {0, 1, 4095, 4096, 4097, kMiB - 1, kMiB, kMiB + 1, 3 * kMiB + 5};
  for (const bool direct : {true, false}) {
    for (const size_t size : sizes) {
      const std::string body = Body(size);
      for (const size_t piece : {size_t{1000}, size_t{4096}, kMiB + 3}) {
        if (piece == 1000 && size > kMiB + 1) continue;  // enough small pieces below
        EXPECT_TRUE(RoundTrip(body, piece, direct) == body) << size << " bytes in pieces of " << piece
                                                             << (direct ? ", direct" : ", buffered");
      }
    }
  }
}

TEST_F(DirectFileWriterTest, ADirectFileWhereTheFileSystemAllowsItAnOrdinaryOneOtherwise) {
  bool was_direct = false;
  const std::string body = Body(5000);
  EXPECT_TRUE(RoundTrip(body, 5000, true, &was_direct) == body);
  // Where the temporary directory's file system refuses O_DIRECT (tmpfs), the file was written
  // anyway; where it allows it (ext4, xfs), it was bypassed.
  const int probe = ::open((dir_ / "probe").c_str(), O_WRONLY | O_CREAT | O_DIRECT, 0644);
  EXPECT_EQ(was_direct, probe >= 0);
  if (probe >= 0) ::close(probe);
  EXPECT_TRUE(RoundTrip(body, 5000, false, &was_direct) == body);
  EXPECT_FALSE(was_direct);
}

}  // namespace
}  // namespace sluice::sinks
