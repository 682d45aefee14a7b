#include "core/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/random.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-atomic-" + RandomAlnum(10));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(AtomicFileTest, ReplacesContentsAndLeavesNoTempFile) {
  const auto path = dir_ / "state.json";
  ASSERT_TRUE(WriteFileAtomically(path, "first"));
  ASSERT_TRUE(WriteFileAtomically(path, std::string("sec\0ond", 7)));
  auto read = ReadFile(path);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, std::string("sec\0ond", 7));
  int files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 1);
}

TEST_F(AtomicFileTest, ReportsMissingDirectoryAndFile) {
  const auto status = WriteFileAtomically(dir_ / "no-such-dir" / "f", "x");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kIo);
  EXPECT_NE(status.error().message.find("no-such-dir"), std::string::npos);
  const auto read = ReadFile(dir_ / "missing");
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find("missing"), std::string::npos);
}

}  // namespace
}  // namespace sluice
