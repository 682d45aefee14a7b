#pragma once
// The server configuration file (YAML). Every key is optional; unknown keys are errors naming
// the key and its line. Streams listed in the file are CreateDeliveryStream inputs written in
// YAML and validated by the same code as the API's CreateDeliveryStream.

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/catalog.h"
#include "core/result.h"

namespace sluice::config {

enum class WalDurability {
  kFsync,  // a put is acknowledged after fdatasync: survives power loss
  kOs,     // acknowledged once in the page cache: survives a process crash only
};

// `buckets.<name>.s3`: objects for bucket <name> go to an S3-compatible endpoint instead of the
// embedded local store.
struct S3BucketConfig {
  std::string endpoint;  // http(s)://host[:port]; empty: AWS, https://s3.<region>.amazonaws.com
  std::string region = "us-east-1";
  bool path_style = false;
  // Both or neither; neither: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
  // else ~/.aws/credentials (profile AWS_PROFILE, default "default").
  std::string access_key_id;
  std::string secret_access_key;
  uint64_t part_size_bytes = 8ull << 20;  // larger objects use multipart upload
};

struct ServerConfig {
  std::string listen = "127.0.0.1:4573";
  std::filesystem::path data_dir = "sluice-data";
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  uint64_t stream_disk_quota_bytes = 10ull << 30;
  uint64_t wal_segment_bytes = 64ull << 20;
  WalDurability wal_durability = WalDurability::kFsync;
  int api_threads = 0;  // 0: one per core
  uint64_t max_streams = 5000;
  int64_t delivery_retry_duration_s = 24 * 3600;  // then failed batches go to the error output
  size_t max_active_partitions = 500;  // dynamic partitioning, per batch
  int deflate_level = 6;  // GZIP and ZIP objects (libdeflate)
  int zstd_level = 3;     // ZSTD objects
  int gzip_threads = 2;   // GZIP members compressed at once
  int zstd_threads = 2;   // libzstd worker threads per ZSTD object
  // Lambda Invoke API for Lambda processors; empty endpoint: none configured.
  std::string lambda_endpoint;
  std::string lambda_region = "us-east-1";
  std::string lambda_access_key_id;  // both or neither; neither: environment / ~/.aws
  std::string lambda_secret_access_key;
  // Each a CreateDeliveryStream JSON body, already validated.
  std::vector<std::string> streams;
  std::map<std::string, S3BucketConfig, std::less<>> buckets;  // by bucket name
  Catalog catalog;  // tables for format conversion
};

// One documented key of the file ("wal.segment_mb"); docs/configuration.md lists every one.
struct ServerConfigKey {
  std::string_view name;
  std::string_view default_value;
  std::string_view range;
  std::string_view doc;
};
std::span<const ServerConfigKey> ServerConfigKeys();

// `source_name` (usually the file path) prefixes every message: "<source>:<line>: ...".
Result<ServerConfig> ParseServerConfig(std::string_view yaml_text, std::string_view source_name);
Result<ServerConfig> LoadServerConfig(const std::filesystem::path& path);

}  // namespace sluice::config
