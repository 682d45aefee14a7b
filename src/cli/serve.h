#pragma once
// `sluice serve`: runs the Firehose-compatible server until SIGTERM or SIGINT, then drains.

#include <optional>
#include <string>

namespace sluice::cli {

struct ServeFlags {
  std::optional<std::string> listen;    // HOST:PORT, overrides the config file
  std::optional<std::string> data_dir;  // overrides the config file
  std::optional<std::string> config_file;
};

// Returns the process exit code.
int Serve(const ServeFlags& flags);

}  // namespace sluice::cli
