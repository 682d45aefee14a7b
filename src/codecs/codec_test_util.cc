#include "codecs/codec_test_util.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>

namespace sluice::codecs {

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(gen() & 0xFF);
  return out;
}

std::string JsonLines(size_t min_size) {
  std::string out;
  for (int i = 0; out.size() < min_size; ++i) {
    out += R"({"ticker":"AMZN","price":)" + std::to_string(i % 997) + R"(,"seq":)" +
           std::to_string(i) + "}\n";
  }
  return out;
}

const std::vector<NamedInput>& StandardInputs() {
  static const auto* inputs = [] {
    std::string all_bytes;
    for (int b = 0; b < 256; ++b) all_bytes += static_cast<char>(b);
    return new std::vector<NamedInput>{{"empty", ""},
                                       {"one byte", "x"},
                                       {"all 256 byte values", all_bytes},
                                       {"5 MiB random", RandomBytes(5 << 20, 7)},
                                       {"5 MiB JSON lines", JsonLines(5 << 20)}};
  }();
  return *inputs;
}

std::string CompressOrDie(Codec& codec, std::string_view input) {
  auto out = codec.Compress(input);
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().message);
  return out.value_or("");
}

ScratchDir::ScratchDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("sluice-codecs-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path ScratchDir::Write(std::string_view name, std::string_view bytes) const {
  const auto file = path_ / name;
  std::ofstream(file, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return file;
}

::testing::AssertionResult HaveTool(const std::filesystem::path& tool) {
  if (::access(tool.c_str(), X_OK) == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << tool << " is missing; scripts/setup.sh installs the codec tests' decoders "
         << "(unzip, zstd, python3-snappy)";
}

CommandResult RunCommand(const ScratchDir& dir, const std::string& command) {
  const auto out_path = dir.path() / "command.stdout";
  const std::string full = "( " + command + " ) > " + ShellQuote(out_path);
  const int status = std::system(full.c_str());
  const int exit_code = (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  std::ifstream in(out_path, std::ios::binary);
  std::string out((std::istreambuf_iterator<char>(in)), {});
  return {exit_code, std::move(out)};
}

std::string ShellQuote(const std::filesystem::path& path) {
  std::string quoted = "'";
  for (char c : path.string()) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

}  // namespace sluice::codecs
