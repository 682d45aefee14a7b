#pragma once
// The set of delivery streams: create, describe, list, update, tag, delete, each persisted
// under <data-dir>/streams/<name>/stream.json so that streams survive a restart.
//
// Thread-safe. `mutex_` guards the stream map and serialises every control-plane change, so
// a change is validated, persisted and applied as one step; puts only take it to look up the
// stream.

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/stream_config.h"
#include "streams/stream.h"

namespace sluice::streams {

struct RegistryOptions {
  std::filesystem::path data_dir;
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  uint64_t max_streams = 5000;
  StreamContext context;  // clock, sink, log options shared by every stream
};

// What DescribeDeliveryStream reports.
struct StreamView {
  config::StreamConfig config;
  StreamMeta meta;
  std::string arn;
};

class Registry {
 public:
  // Loads every persisted stream and starts its delivery.
  static Result<std::unique_ptr<Registry>> Open(RegistryOptions options);
  ~Registry();

  // Returns the new stream's ARN.
  Result<std::string> Create(config::StreamConfig config);
  // Creates the stream, or replaces its configuration when it exists with a different one
  // (used for streams defined in the server's config file).
  Status Define(config::StreamConfig config);
  Result<StreamView> Describe(std::string_view name) const;
  std::vector<std::string> Names() const;  // sorted
  Status UpdateDestination(std::string_view name, std::string_view current_version_id,
                           std::string_view destination_id,
                           const config::S3DestinationUpdate& update);
  Status Delete(std::string_view name);
  Status Tag(std::string_view name, const std::vector<config::Tag>& tags);
  Status Untag(std::string_view name, const std::vector<std::string>& keys);
  Result<std::vector<config::Tag>> Tags(std::string_view name) const;

  // Every stream, by name (for metrics).
  std::vector<std::pair<std::string, std::shared_ptr<Stream>>> Streams() const;

  // Looks up a stream for a put; kNotFound names the stream.
  Result<std::shared_ptr<Stream>> Find(std::string_view name) const;

  // Delivers what is due on every stream and closes them.
  void Shutdown();

  std::string Arn(std::string_view name) const;

 private:
  explicit Registry(RegistryOptions options);
  Status Load();
  std::filesystem::path StreamDir(std::string_view name) const;
  Status Persist(const config::StreamConfig& config, const StreamMeta& meta) const;
  Result<std::shared_ptr<Stream>> FindLocked(std::string_view name) const;
  Error NotFound(std::string_view name) const;
  Status Replace(Stream& stream, config::StreamConfig config, StreamMeta meta);
  // InvalidArgument if the stream cannot run on this server: its processors (a Lambda needs the
  // server's Lambda endpoint) or its format conversion (the table must be in the catalog).
  Status CheckRunnable(const config::StreamConfig& config) const;
  Status CheckCatalogTable(const config::S3Destination& destination) const;

  const RegistryOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Stream>, std::less<>> streams_;  // guarded
};

}  // namespace sluice::streams
