#include "config/s3_destination.h"

#include <array>
#include <span>

#include "config/field_rules.h"
#include "config/json_object.h"
#include "config/prefix_template.h"
#include "config/time_zone.h"

namespace sluice::config {
namespace {

constexpr std::array<std::string_view, 6> kCompressionNames = {
    "UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY", "ZSTD"};

constexpr std::string_view kPlainMembers[] = {
    "RoleARN",           "BucketARN",         "Prefix",
    "ErrorOutputPrefix", "BufferingHints",    "CompressionFormat",
    "EncryptionConfiguration", "CloudWatchLoggingOptions"};
// The backup member is S3BackupConfiguration in a create shape and S3BackupUpdate in an update.
constexpr std::string_view kExtendedConfigurationMembers[] = {
    "RoleARN",           "BucketARN",         "Prefix",
    "ErrorOutputPrefix", "BufferingHints",    "CompressionFormat",
    "EncryptionConfiguration", "CloudWatchLoggingOptions", "S3BackupMode",
    "FileExtension",     "CustomTimeZone",    "ProcessingConfiguration",
    "S3BackupConfiguration", "DataFormatConversionConfiguration",
    "DynamicPartitioningConfiguration"};
constexpr std::string_view kExtendedUpdateMembers[] = {
    "RoleARN",           "BucketARN",         "Prefix",
    "ErrorOutputPrefix", "BufferingHints",    "CompressionFormat",
    "EncryptionConfiguration", "CloudWatchLoggingOptions", "S3BackupMode",
    "FileExtension",     "CustomTimeZone",    "ProcessingConfiguration",
    "S3BackupUpdate",    "DataFormatConversionConfiguration",
    "DynamicPartitioningConfiguration"};

constexpr int kMaxPrefixLength = 1024;

Result<std::optional<std::string>> OptionalString(const JsonObject& object,
                                                  std::string_view member, size_t max_length) {
  auto value = object.String(member);
  if (!value) return std::unexpected(value.error());
  if (!*value) return std::nullopt;
  if (auto length = CheckLength(**value, 0, max_length, object.PathOf(member)); !length) {
    return std::unexpected(length.error());
  }
  return std::string(**value);
}

Result<std::optional<BufferingHints>> ParseBufferingHints(const JsonObject& parent) {
  auto object = parent.Object("BufferingHints");
  if (!object) return std::unexpected(object.error());
  if (!*object) return std::nullopt;
  const JsonObject& hints = **object;
  static constexpr std::string_view kMembers[] = {"SizeInMBs", "IntervalInSeconds"};
  if (auto members = hints.CheckMembers(kMembers, {}); !members) {
    return std::unexpected(members.error());
  }
  auto size = hints.Int("SizeInMBs", 1, 128);
  if (!size) return std::unexpected(size.error());
  auto interval = hints.Int("IntervalInSeconds", 0, 900);
  if (!interval) return std::unexpected(interval.error());
  if (!*size && !*interval) return std::nullopt;
  if (!*size || !*interval) {
    return InvalidArgument(hints.PathOf("SizeInMBs") + " and " +
                           hints.PathOf("IntervalInSeconds") +
                           " must be given together (one is set, the other is missing)");
  }
  return BufferingHints{static_cast<int>(**size), static_cast<int>(**interval)};
}

Result<std::optional<Compression>> ParseCompressionMember(const JsonObject& parent) {
  auto name = parent.String("CompressionFormat");
  if (!name) return std::unexpected(name.error());
  if (!*name) return std::nullopt;
  if (auto compression = ParseCompression(**name)) return *compression;
  return InvalidArgument(parent.PathOf("CompressionFormat") + " " + Quote(**name) +
                         " must be one of UNCOMPRESSED, GZIP, ZIP, Snappy, HADOOP_SNAPPY, ZSTD");
}

Result<std::optional<std::optional<std::string>>> ParseEncryption(const JsonObject& parent) {
  auto object = parent.Object("EncryptionConfiguration");
  if (!object) return std::unexpected(object.error());
  if (!*object) return std::nullopt;
  const JsonObject& encryption = **object;
  static constexpr std::string_view kMembers[] = {"NoEncryptionConfig", "KMSEncryptionConfig"};
  if (auto members = encryption.CheckMembers(kMembers, {}); !members) {
    return std::unexpected(members.error());
  }
  auto none = encryption.String("NoEncryptionConfig");
  if (!none) return std::unexpected(none.error());
  auto kms = encryption.Object("KMSEncryptionConfig");
  if (!kms) return std::unexpected(kms.error());
  if (*none && *kms) {
    return InvalidArgument(encryption.path() +
                           " must have only one of NoEncryptionConfig and KMSEncryptionConfig");
  }
  if (*none && **none != "NoEncryption") {
    return InvalidArgument(encryption.PathOf("NoEncryptionConfig") + " " + Quote(**none) +
                           " must be \"NoEncryption\"");
  }
  if (!*kms) return std::optional<std::string>();
  static constexpr std::string_view kKmsMembers[] = {"AWSKMSKeyARN"};
  if (auto members = (*kms)->CheckMembers(kKmsMembers, {}); !members) {
    return std::unexpected(members.error());
  }
  auto arn = Required((*kms)->String("AWSKMSKeyARN"), **kms, "AWSKMSKeyARN");
  if (!arn) return std::unexpected(arn.error());
  if (auto ok = CheckKmsKeyArn(*arn, /*allow_alias=*/true, (*kms)->PathOf("AWSKMSKeyARN")); !ok) {
    return std::unexpected(ok.error());
  }
  return std::optional<std::string>(std::string(*arn));
}

Result<std::optional<CloudWatchLogging>> ParseLogging(const JsonObject& parent) {
  auto object = parent.Object("CloudWatchLoggingOptions");
  if (!object) return std::unexpected(object.error());
  if (!*object) return std::nullopt;
  const JsonObject& options = **object;
  static constexpr std::string_view kMembers[] = {"Enabled", "LogGroupName", "LogStreamName"};
  if (auto members = options.CheckMembers(kMembers, {}); !members) {
    return std::unexpected(members.error());
  }
  CloudWatchLogging logging;
  auto enabled = options.Bool("Enabled");
  if (!enabled) return std::unexpected(enabled.error());
  logging.enabled = enabled->value_or(false);
  auto group = OptionalString(options, "LogGroupName", 512);
  if (!group) return std::unexpected(group.error());
  auto stream = OptionalString(options, "LogStreamName", 512);
  if (!stream) return std::unexpected(stream.error());
  logging.log_group_name = group->value_or("");
  logging.log_stream_name = stream->value_or("");
  for (const char c : logging.log_group_name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view(".-_/#").find(c) != std::string_view::npos;
    if (!ok) {
      return InvalidArgument(options.PathOf("LogGroupName") + " " +
                             Quote(logging.log_group_name) + " must match [.\\-_/#A-Za-z0-9]*");
    }
  }
  if (logging.log_stream_name.find_first_of(":*") != std::string::npos) {
    return InvalidArgument(options.PathOf("LogStreamName") + " " +
                           Quote(logging.log_stream_name) + " must not contain ':' or '*'");
  }
  if (logging.enabled && (logging.log_group_name.empty() || logging.log_stream_name.empty())) {
    return InvalidArgument(options.PathOf("LogGroupName") + " and " +
                           options.PathOf("LogStreamName") + " are required when " +
                           options.PathOf("Enabled") + " is true");
  }
  return logging;
}

Status CheckPrefixSyntax(const std::optional<std::string>& text, PrefixKind kind,
                         const std::string& path) {
  if (!text) return {};
  auto parsed = PrefixTemplate::Parse(*text, kind, path);
  if (!parsed) return std::unexpected(parsed.error());
  return {};
}

Status CheckBackupMode(const std::optional<std::string>& mode, const std::string& path) {
  if (!mode || *mode == "Disabled" || *mode == "Enabled") return {};
  return InvalidArgument(path + " " + Quote(*mode) + " must be one of Disabled, Enabled");
}

Status CheckFileExtension(const std::optional<std::string>& extension, const std::string& path) {
  if (!extension || extension->empty()) return {};
  const bool ok = extension->size() >= 2 && (*extension)[0] == '.' &&
                  extension->find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz!-_.*'()") ==
                      std::string::npos;
  if (ok) return {};
  return InvalidArgument(path + " " + Quote(*extension) +
                         " must be empty or match \\.[0-9a-z!\\-_.*'()]+ (a dot, then lower-case "
                         "letters, digits or !-_.*'())");
}

Status CheckTimeZone(const std::optional<std::string>& zone, const std::string& path) {
  if (!zone || zone->empty() || *zone == "UTC") return {};
  if (zone->find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ/_") !=
      std::string::npos) {
    return InvalidArgument(path + " " + Quote(*zone) + " must be empty or match [a-zA-Z/_]+");
  }
  auto loaded = TimeZone::Load(*zone);
  if (loaded) return {};
  return InvalidArgument(path + " " + Quote(*zone) + " is not a time zone in " +
                         std::string(kSystemZoneinfoDir) + " (" + loaded.error().message + ")");
}

// Reads every member of a create or update shape into an update (all optional); create-only
// rules (required members) are the caller's.
Result<S3DestinationUpdate> ParseMembers(const JsonObject& object, bool extended,
                                         bool is_update) {
  const std::span<const std::string_view> known =
      is_update ? std::span<const std::string_view>(kExtendedUpdateMembers)
                : std::span<const std::string_view>(kExtendedConfigurationMembers);
  if (auto members = extended ? object.CheckMembers(known, {})
                              : object.CheckMembers(kPlainMembers, {});
      !members) {
    return std::unexpected(members.error());
  }
  S3DestinationUpdate update;
  update.extended = extended;
  auto role = OptionalString(object, "RoleARN", 512);
  if (!role) return std::unexpected(role.error());
  if (*role) {
    if (auto ok = CheckRoleArn(**role, object.PathOf("RoleARN")); !ok) {
      return std::unexpected(ok.error());
    }
  }
  update.role_arn = std::move(*role);
  auto bucket = OptionalString(object, "BucketARN", 2048);
  if (!bucket) return std::unexpected(bucket.error());
  if (*bucket) {
    if (auto ok = CheckBucketArn(**bucket, object.PathOf("BucketARN")); !ok) {
      return std::unexpected(ok.error());
    }
  }
  update.bucket_arn = std::move(*bucket);
  auto prefix = OptionalString(object, "Prefix", kMaxPrefixLength);
  if (!prefix) return std::unexpected(prefix.error());
  if (auto ok = CheckPrefixSyntax(*prefix, PrefixKind::kPrefix, object.PathOf("Prefix")); !ok) {
    return std::unexpected(ok.error());
  }
  update.prefix = std::move(*prefix);
  auto error_prefix = OptionalString(object, "ErrorOutputPrefix", kMaxPrefixLength);
  if (!error_prefix) return std::unexpected(error_prefix.error());
  if (auto ok = CheckPrefixSyntax(*error_prefix, PrefixKind::kErrorOutputPrefix,
                                  object.PathOf("ErrorOutputPrefix"));
      !ok) {
    return std::unexpected(ok.error());
  }
  update.error_output_prefix = std::move(*error_prefix);
  auto buffering = ParseBufferingHints(object);
  if (!buffering) return std::unexpected(buffering.error());
  update.buffering = *buffering;
  auto compression = ParseCompressionMember(object);
  if (!compression) return std::unexpected(compression.error());
  update.compression = *compression;
  auto encryption = ParseEncryption(object);
  if (!encryption) return std::unexpected(encryption.error());
  update.kms_key_arn = std::move(*encryption);
  auto logging = ParseLogging(object);
  if (!logging) return std::unexpected(logging.error());
  update.logging = std::move(*logging);
  if (!extended) return update;

  auto backup = OptionalString(object, "S3BackupMode", 64);
  if (!backup) return std::unexpected(backup.error());
  if (auto ok = CheckBackupMode(*backup, object.PathOf("S3BackupMode")); !ok) {
    return std::unexpected(ok.error());
  }
  update.s3_backup_mode = std::move(*backup);
  auto extension = OptionalString(object, "FileExtension", 128);
  if (!extension) return std::unexpected(extension.error());
  if (auto ok = CheckFileExtension(*extension, object.PathOf("FileExtension")); !ok) {
    return std::unexpected(ok.error());
  }
  update.file_extension = std::move(*extension);
  auto zone = OptionalString(object, "CustomTimeZone", 50);
  if (!zone) return std::unexpected(zone.error());
  if (auto ok = CheckTimeZone(*zone, object.PathOf("CustomTimeZone")); !ok) {
    return std::unexpected(ok.error());
  }
  update.custom_time_zone = std::move(*zone);
  auto processing = ParseProcessingConfiguration(object);
  if (!processing) return std::unexpected(processing.error());
  update.processing = std::move(*processing);
  auto conversion = ParseDataFormatConversion(object);
  if (!conversion) return std::unexpected(conversion.error());
  update.format_conversion = std::move(*conversion);
  auto partitioning = ParseDynamicPartitioning(object);
  if (!partitioning) return std::unexpected(partitioning.error());
  update.dynamic_partitioning = *partitioning;
  if (const auto backup_json = object.Member("S3BackupConfiguration")) {
    auto backup_destination = ParseS3DestinationConfiguration(
        *backup_json, /*extended=*/false, object.PathOf("S3BackupConfiguration"));
    if (!backup_destination) return std::unexpected(backup_destination.error());
    update.backup.push_back(std::move(*backup_destination));
  }
  if (const auto backup_json = object.Member("S3BackupUpdate")) {
    auto backup_object = JsonObject::From(*backup_json, object.PathOf("S3BackupUpdate"));
    if (!backup_object) return std::unexpected(backup_object.error());
    auto backup_update = ParseMembers(*backup_object, /*extended=*/false, /*is_update=*/true);
    if (!backup_update) return std::unexpected(backup_update.error());
    update.backup_update.push_back(std::move(*backup_update));
  }
  return update;
}

bool HasProcessor(const S3Destination& dest, std::string_view type) {
  if (!dest.processing || !dest.processing->enabled) return false;
  for (const auto& processor : dest.processing->processors) {
    if (processor.type == type) return true;
  }
  return false;
}

// Firehose's rules for format conversion: the columnar file compresses itself, and buffers hold
// at least 64 MiB.
Status CheckFormatConversionRules(const S3Destination& dest, std::string_view path) {
  if (!dest.converts_format()) return {};
  const std::string conversion_path = JoinPath(path, "DataFormatConversionConfiguration");
  if (dest.compression != Compression::kUncompressed) {
    return InvalidArgument(JoinPath(path, "CompressionFormat") + " " + Quote(CompressionName(dest.compression)) +
                           " must be UNCOMPRESSED when " + conversion_path +
                           " is enabled (the serializer's Compression compresses the file)");
  }
  if (dest.buffering.size_mb < 64) {
    return InvalidArgument(JoinPath(path, "BufferingHints.SizeInMBs") + " must be at least 64 when " +
                           conversion_path + " is enabled, got " + std::to_string(dest.buffering.size_mb));
  }
  return {};
}

Status CheckPartitioningRules(const S3Destination& dest, const PrefixTemplate& prefix, std::string_view path) {
  const std::string prefix_path = JoinPath(path, "Prefix");
  const std::string enabled_path = JoinPath(path, "DynamicPartitioningConfiguration.Enabled");
  const bool uses_keys = prefix.has_query_keys() || prefix.has_lambda_keys();
  if (!dest.partitions()) {
    if (!uses_keys) return {};
    return InvalidArgument(prefix_path + " " + Quote(dest.prefix) +
                           " uses partition keys, which need " + enabled_path + " true");
  }
  if (!uses_keys) {
    return InvalidArgument(prefix_path + " " + Quote(dest.prefix) + " must use !{partitionKeyFromQuery:KEY} or "
                           "!{partitionKeyFromLambda:KEY} when " + enabled_path + " is true");
  }
  if (!dest.error_output_prefix) {
    return InvalidArgument(JoinPath(path, "ErrorOutputPrefix") + " is required when " + enabled_path + " is true");
  }
  const std::string processors_path = JoinPath(path, "ProcessingConfiguration");
  if (prefix.has_query_keys() && !HasProcessor(dest, "MetadataExtraction")) {
    return InvalidArgument(prefix_path + " uses !{partitionKeyFromQuery:...}, which needs an enabled " +
                           processors_path + " with a MetadataExtraction processor");
  }
  // Command is Sluice's own processor in the Lambda slot: its answers carry partitionKeys too.
  if (prefix.has_lambda_keys() && !HasProcessor(dest, "Lambda") && !HasProcessor(dest, "Command")) {
    return InvalidArgument(prefix_path + " uses !{partitionKeyFromLambda:...}, which needs an enabled " +
                           processors_path + " with a Lambda (or Command) processor");
  }
  if (dest.buffering.interval_s == 0) {
    return InvalidArgument(JoinPath(path, "BufferingHints.IntervalInSeconds") +
                           " must be at least 1 when " + enabled_path + " is true (no zero buffering with "
                           "dynamic partitioning)");
  }
  return {};
}

// The rules that span members; `path` names the shape the user wrote.
Status CheckCrossMemberRules(const S3Destination& dest, std::string_view path) {
  const std::string prefix_path = JoinPath(path, "Prefix");
  const std::string error_path = JoinPath(path, "ErrorOutputPrefix");
  auto prefix = PrefixTemplate::Parse(dest.prefix, PrefixKind::kPrefix, prefix_path);
  if (!prefix) return std::unexpected(prefix.error());
  if (auto ok = CheckFormatConversionRules(dest, path); !ok) return ok;
  if (auto ok = CheckPartitioningRules(dest, *prefix, path); !ok) return ok;
  if (dest.s3_backup_mode == "Enabled" && dest.backup.empty()) {
    return InvalidArgument(JoinPath(path, "S3BackupConfiguration") + " is required when " +
                           JoinPath(path, "S3BackupMode") + " is Enabled");
  }
  if (!dest.error_output_prefix) {
    if (!prefix->has_expressions()) return {};
    return InvalidArgument(error_path + " is required when " + prefix_path + " " +
                           Quote(dest.prefix) + " contains !{...} expressions");
  }
  auto error_prefix =
      PrefixTemplate::Parse(*dest.error_output_prefix, PrefixKind::kErrorOutputPrefix, error_path);
  if (!error_prefix) return std::unexpected(error_prefix.error());
  if (error_prefix->has_expressions() && !error_prefix->has_error_output_type()) {
    return InvalidArgument(error_path + " " + Quote(*dest.error_output_prefix) +
                           " contains expressions, so it must also contain "
                           "!{firehose:error-output-type}");
  }
  return {};
}

template <typename T>
void MergeMember(T& into, const std::optional<T>& from) {
  if (from) into = *from;
}

enum class Merge { kCreate, kUpdate };

Status MergeAndCheck(S3Destination& dest, const S3DestinationUpdate& update,
                     std::string_view path, Merge merge) {
  S3Destination merged = dest;
  merged.extended = merged.extended || update.extended;
  MergeMember(merged.role_arn, update.role_arn);
  MergeMember(merged.bucket_arn, update.bucket_arn);
  MergeMember(merged.prefix, update.prefix);
  if (update.error_output_prefix) merged.error_output_prefix = update.error_output_prefix;
  MergeMember(merged.buffering, update.buffering);
  MergeMember(merged.compression, update.compression);
  MergeMember(merged.kms_key_arn, update.kms_key_arn);
  MergeMember(merged.logging, update.logging);
  if (dest.s3_backup_mode == "Enabled" && update.s3_backup_mode == "Disabled") {
    return InvalidArgument(JoinPath(path, "S3BackupMode") +
                           " cannot go back from Enabled to Disabled (Firehose's rule)");
  }
  MergeMember(merged.s3_backup_mode, update.s3_backup_mode);
  if (!update.backup.empty()) merged.backup = update.backup;
  if (!update.backup_update.empty()) {
    const std::string backup_path = JoinPath(path, "S3BackupUpdate");
    if (merged.backup.empty()) {
      // No backup yet: the update creates it, so it needs what a create needs.
      for (const auto& [member, value] : {std::pair{"RoleARN", update.backup_update[0].role_arn},
                                          std::pair{"BucketARN", update.backup_update[0].bucket_arn}}) {
        if (!value) {
          return InvalidArgument(JoinPath(backup_path, member) + " is required: the stream has no backup destination yet");
        }
      }
      merged.backup.emplace_back().extended = false;
    }
    if (auto ok = MergeAndCheck(merged.backup[0], update.backup_update[0], backup_path, merge); !ok) return ok;
  }
  if (update.processing) merged.processing = update.processing;
  if (update.format_conversion) merged.format_conversion = update.format_conversion;
  if (update.dynamic_partitioning) {
    if (merge == Merge::kUpdate && update.dynamic_partitioning->enabled != dest.partitions()) {
      return InvalidArgument(JoinPath(path, "DynamicPartitioningConfiguration.Enabled") +
                             " can only be set when the stream is created (Firehose's rule)");
    }
    merged.dynamic_partitioning = update.dynamic_partitioning;
  }
  if (merge == Merge::kCreate && !update.buffering && merged.converts_format()) {
    merged.buffering.size_mb = 128;  // Firehose's default with format conversion
  }
  MergeMember(merged.file_extension, update.file_extension);
  MergeMember(merged.custom_time_zone, update.custom_time_zone);
  if (auto ok = CheckCrossMemberRules(merged, path); !ok) return ok;
  dest = std::move(merged);
  return {};
}

}  // namespace

std::string_view CompressionName(Compression compression) {
  return kCompressionNames[static_cast<size_t>(compression)];
}

std::optional<Compression> ParseCompression(std::string_view name) {
  for (size_t i = 0; i < kCompressionNames.size(); ++i) {
    if (kCompressionNames[i] == name) return static_cast<Compression>(i);
  }
  return std::nullopt;
}

std::string S3Destination::BucketName() const { return std::string(BucketNameOf(bucket_arn)); }

Result<S3Destination> ParseS3DestinationConfiguration(simdjson::dom::element value,
                                                      bool extended, std::string path) {
  auto object = JsonObject::From(value, std::move(path));
  if (!object) return std::unexpected(object.error());
  auto update = ParseMembers(*object, extended, /*is_update=*/false);
  if (!update) return std::unexpected(update.error());
  for (const std::string_view member : {"RoleARN", "BucketARN"}) {
    if (!object->Has(member)) return InvalidArgument(object->PathOf(member) + " is required");
  }
  S3Destination dest;
  dest.extended = extended;
  if (auto ok = MergeAndCheck(dest, *update, object->path(), Merge::kCreate); !ok) {
    return std::unexpected(ok.error());
  }
  return dest;
}

Result<S3DestinationUpdate> ParseS3DestinationUpdate(simdjson::dom::element value,
                                                     std::string_view field_name) {
  auto object = JsonObject::From(value, std::string(field_name));
  if (!object) return std::unexpected(object.error());
  return ParseMembers(*object, field_name == "ExtendedS3DestinationUpdate", /*is_update=*/true);
}

Status ApplyUpdate(S3Destination& dest, const S3DestinationUpdate& update) {
  return MergeAndCheck(dest, update, update.extended ? "ExtendedS3DestinationUpdate" : "S3DestinationUpdate",
                       Merge::kUpdate);
}

}  // namespace sluice::config
