#include "config/stream_config_json.h"

namespace sluice::config {
namespace {

// The members S3DestinationConfiguration and S3DestinationDescription share.
void WriteCommonS3Members(JsonWriter& w, const S3Destination& dest) {
  w.Key("RoleARN").String(dest.role_arn);
  w.Key("BucketARN").String(dest.bucket_arn);
  w.Key("Prefix").String(dest.prefix);
  if (dest.error_output_prefix) w.Key("ErrorOutputPrefix").String(*dest.error_output_prefix);
  w.Key("BufferingHints").BeginObject();
  w.Key("SizeInMBs").Int(dest.buffering.size_mb);
  w.Key("IntervalInSeconds").Int(dest.buffering.interval_s);
  w.EndObject();
  w.Key("CompressionFormat").String(CompressionName(dest.compression));
  w.Key("EncryptionConfiguration").BeginObject();
  if (dest.kms_key_arn) {
    w.Key("KMSEncryptionConfig").BeginObject().Key("AWSKMSKeyARN").String(*dest.kms_key_arn);
    w.EndObject();
  } else {
    w.Key("NoEncryptionConfig").String("NoEncryption");
  }
  w.EndObject();
  w.Key("CloudWatchLoggingOptions").BeginObject().Key("Enabled").Bool(dest.logging.enabled);
  if (!dest.logging.log_group_name.empty()) {
    w.Key("LogGroupName").String(dest.logging.log_group_name);
  }
  if (!dest.logging.log_stream_name.empty()) {
    w.Key("LogStreamName").String(dest.logging.log_stream_name);
  }
  w.EndObject();
}

// `backup_member` is S3BackupConfiguration in a create body, S3BackupDescription in Describe.
void WriteExtendedS3Members(JsonWriter& w, const S3Destination& dest, std::string_view backup_member) {
  WriteCommonS3Members(w, dest);
  if (dest.processing) WriteProcessingConfiguration(w, *dest.processing);
  if (dest.format_conversion) WriteDataFormatConversion(w, *dest.format_conversion);
  if (dest.dynamic_partitioning) WriteDynamicPartitioning(w, *dest.dynamic_partitioning);
  w.Key("S3BackupMode").String(dest.s3_backup_mode);
  for (const S3Destination& backup : dest.backup) {
    w.Key(backup_member).BeginObject();
    WriteCommonS3Members(w, backup);
    w.EndObject();
  }
  if (!dest.file_extension.empty()) w.Key("FileExtension").String(dest.file_extension);
  if (!dest.custom_time_zone.empty()) w.Key("CustomTimeZone").String(dest.custom_time_zone);
}

}  // namespace

void WriteDestinationDescriptions(JsonWriter& w, const StreamConfig& config) {
  const S3Destination& dest = config.destination;
  if (dest.extended) {
    w.Key("ExtendedS3DestinationDescription").BeginObject();
    WriteExtendedS3Members(w, dest, "S3BackupDescription");
    w.EndObject();
  }
  w.Key("S3DestinationDescription").BeginObject();
  WriteCommonS3Members(w, dest);
  w.EndObject();
}

std::string ToCreateJson(const StreamConfig& config) {
  JsonWriter w;
  w.BeginObject();
  w.Key("DeliveryStreamName").String(config.name);
  w.Key("DeliveryStreamType").String(config.type);
  if (config.throughput_hint_mbs) {
    w.Key("DirectPutSourceConfiguration").BeginObject();
    w.Key("ThroughputHintInMBs").Int(*config.throughput_hint_mbs);
    w.EndObject();
  }
  if (config.encryption) {
    w.Key("DeliveryStreamEncryptionConfigurationInput").BeginObject();
    w.Key("KeyType").String(KeyTypeName(config.encryption->key_type));
    if (config.encryption->key_arn) w.Key("KeyARN").String(*config.encryption->key_arn);
    w.EndObject();
  }
  if (config.destination.extended) {
    w.Key("ExtendedS3DestinationConfiguration").BeginObject();
    WriteExtendedS3Members(w, config.destination, "S3BackupConfiguration");
  } else {
    w.Key("S3DestinationConfiguration").BeginObject();
    WriteCommonS3Members(w, config.destination);
  }
  w.EndObject();
  if (!config.tags.empty()) {
    w.Key("Tags").BeginArray();
    for (const Tag& tag : config.tags) {
      w.BeginObject().Key("Key").String(tag.key).Key("Value").String(tag.value).EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return w.Take();
}

}  // namespace sluice::config
