#include <CLI/CLI.hpp>

#include "cli/serve.h"

int main(int argc, char** argv) {
  CLI::App app{"Sluice: a self-hosted streaming delivery service with the Amazon Data Firehose API"};
  app.require_subcommand(1);
  sluice::cli::ServeFlags flags;
  auto* serve = app.add_subcommand("serve", "Run the server (Firehose API on HTTP) until SIGTERM or SIGINT");
  serve->add_option("--listen", flags.listen, "Address to listen on, HOST:PORT (default 127.0.0.1:4573)");
  serve->add_option("--data-dir", flags.data_dir,
                    "Directory for stream logs, stream definitions and the embedded bucket store "
                    "(default ./sluice-data)");
  serve->add_option("--config", flags.config_file,
                    "Server config file (YAML); see docs/configuration.md")
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  if (serve->parsed()) return sluice::cli::Serve(flags);
  return 0;
}
