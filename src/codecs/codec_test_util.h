#pragma once
// Shared helpers for the codec tests: standard inputs, and running the independent command-line
// decoders (unzip, zstd, /usr/bin/python3 with python3-snappy) on files in a scratch directory.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "codecs/codec.h"

namespace sluice::codecs {

std::string RandomBytes(size_t n, uint32_t seed);

// Log-like text: compressible, like real Firehose payloads.
std::string JsonLines(size_t min_size);

struct NamedInput {
  std::string name;
  std::string bytes;
};
// Empty, one byte, all 256 byte values, 5 MiB of random bytes, 5 MiB of JSON lines.
const std::vector<NamedInput>& StandardInputs();

std::string CompressOrDie(Codec& codec, std::string_view input);

// A fresh directory under the system temp dir, removed with its contents on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  // Writes `bytes` to a file `name` in the directory and returns its path.
  std::filesystem::path Write(std::string_view name, std::string_view bytes) const;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Fails (never skips) when an external decoder is missing: scripts/setup.sh installs them.
::testing::AssertionResult HaveTool(const std::filesystem::path& tool);

struct CommandResult {
  int exit_code;
  std::string out;  // everything the command wrote to stdout
};
// Runs `command` with /bin/sh, capturing stdout through a file in `dir`; stderr goes to the
// test log unless the command redirects it.
CommandResult RunCommand(const ScratchDir& dir, const std::string& command);

// `path` single-quoted for /bin/sh.
std::string ShellQuote(const std::filesystem::path& path);

}  // namespace sluice::codecs
