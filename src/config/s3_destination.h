#pragma once
// The S3 destination of a stream (ExtendedS3DestinationConfiguration or the deprecated
// S3DestinationConfiguration) and its UpdateDestination counterpart. Parsing validates every
// member against the Firehose model and the subset Sluice implements; anything Sluice does not
// implement yet is rejected with a message that says so.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "config/dynamic_partitioning_config.h"
#include "config/format_conversion_config.h"
#include "config/processing_config.h"
#include "core/result.h"

namespace sluice::config {

// Wire names UNCOMPRESSED, GZIP, ZIP, Snappy, HADOOP_SNAPPY, and Sluice's own ZSTD.
enum class Compression { kUncompressed, kGzip, kZip, kSnappy, kHadoopSnappy, kZstd };
std::string_view CompressionName(Compression compression);
std::optional<Compression> ParseCompression(std::string_view name);

struct BufferingHints {
  int size_mb = 5;
  int interval_s = 300;
  bool operator==(const BufferingHints&) const = default;
};

struct CloudWatchLogging {
  bool enabled = false;
  std::string log_group_name;
  std::string log_stream_name;
  bool operator==(const CloudWatchLogging&) const = default;
};

struct S3Destination {
  bool extended = true;  // ExtendedS3DestinationConfiguration rather than S3DestinationConfiguration
  std::string role_arn;
  std::string bucket_arn;
  std::string prefix;
  std::optional<std::string> error_output_prefix;
  BufferingHints buffering;
  Compression compression = Compression::kUncompressed;
  std::optional<std::string> kms_key_arn;  // nullopt: NoEncryption
  CloudWatchLogging logging;
  // Extended-only members.
  std::string s3_backup_mode = "Disabled";
  std::string file_extension;
  std::string custom_time_zone;
  // S3BackupConfiguration (a plain S3 destination): where records go when S3BackupMode is
  // Enabled, and where failed records go. Empty or one element: a vector because the type
  // contains itself.
  std::vector<S3Destination> backup;
  std::optional<ProcessingConfiguration> processing;  // Extended only
  std::optional<DataFormatConversion> format_conversion;  // Extended only
  std::optional<DynamicPartitioning> dynamic_partitioning;  // Extended only

  std::string BucketName() const;
  bool converts_format() const { return format_conversion && format_conversion->active(); }
  bool partitions() const { return dynamic_partitioning && dynamic_partitioning->enabled; }
  bool operator==(const S3Destination&) const = default;
};

// ExtendedS3DestinationUpdate / S3DestinationUpdate: every member optional; unset members keep
// the destination's current value.
struct S3DestinationUpdate {
  bool extended = true;
  std::optional<std::string> role_arn;
  std::optional<std::string> bucket_arn;
  std::optional<std::string> prefix;
  std::optional<std::string> error_output_prefix;
  std::optional<BufferingHints> buffering;
  std::optional<Compression> compression;
  // Outer: whether EncryptionConfiguration was given; inner: the KMS key, nullopt = NoEncryption.
  std::optional<std::optional<std::string>> kms_key_arn;
  std::optional<CloudWatchLogging> logging;
  std::optional<std::string> s3_backup_mode;
  std::optional<std::string> file_extension;
  std::optional<std::string> custom_time_zone;
  // S3BackupConfiguration of a create shape; empty or one element.
  std::vector<S3Destination> backup;
  // S3BackupUpdate: merged into the backup destination, or creating it. Empty or one element
  // (a vector because the type contains itself).
  std::vector<S3DestinationUpdate> backup_update;
  std::optional<ProcessingConfiguration> processing;  // replaces the whole configuration
  std::optional<DataFormatConversion> format_conversion;  // replaces the whole configuration
  std::optional<DynamicPartitioning> dynamic_partitioning;  // Enabled must stay as created
};

// Parses a create shape found at `path` (e.g. "ExtendedS3DestinationConfiguration", or
// "streams[2].ExtendedS3DestinationConfiguration" for the config file).
Result<S3Destination> ParseS3DestinationConfiguration(simdjson::dom::element value,
                                                      bool extended, std::string path);

// `field_name` is "ExtendedS3DestinationUpdate" or "S3DestinationUpdate".
Result<S3DestinationUpdate> ParseS3DestinationUpdate(simdjson::dom::element value,
                                                     std::string_view field_name);

// Merges `update` into `dest` and re-checks the rules that span members (prefix rules). An
// ExtendedS3DestinationUpdate turns a plain S3 destination into an extended one. On error
// `dest` is unchanged.
Status ApplyUpdate(S3Destination& dest, const S3DestinationUpdate& update);

}  // namespace sluice::config
