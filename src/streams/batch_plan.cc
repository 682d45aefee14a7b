#include "streams/batch_plan.h"

#include "config/prefix_template.h"
#include "config/time_pattern.h"
#include "core/random.h"
#include "delivery/object_key.h"

namespace sluice::streams {
namespace {

// The evaluated error prefix, with the error output type left as kErrorOutputTypeSlot. With ErrorOutputPrefix unset, Firehose writes failed records
// under `<Prefix><error-output-type>/yyyy/MM/dd/HH/` (Prefix then has no expressions: the
// config refuses that combination); an ErrorOutputPrefix without expressions is read the same
// way, so failed records are always split by type and hour.
Result<std::string> RenderErrorPrefix(const config::S3Destination& destination, int64_t time_ms) {
  const std::string& text = destination.error_output_prefix.value_or(destination.prefix);
  auto prefix = config::PrefixTemplate::Parse(text, config::PrefixKind::kErrorOutputPrefix,
                                              "ErrorOutputPrefix");
  if (!prefix) return std::unexpected(prefix.error());
  std::string rendered = prefix->Render(time_ms, kErrorOutputTypeSlot);
  if (!prefix->has_expressions()) {
    rendered += kErrorOutputTypeSlot;
    rendered += '/';
    rendered += config::FormatUtc(time_ms, "yyyy/MM/dd/HH/");
  }
  return rendered;
}

}  // namespace

Result<SealedBatch> PlanBatch(const config::StreamConfig& config, int64_t version,
                              int64_t oldest_arrival_ms, std::string_view extension,
                              const config::TimeZone& zone) {
  const auto& destination = config.destination;
  // The formatters render "UTC" fields: shifting the instant by the zone's offset makes them
  // render the zone's wall clock.
  const int64_t local_ms = oldest_arrival_ms + zone.OffsetMs(oldest_arrival_ms);
  auto prefix = config::PrefixTemplate::Parse(destination.prefix, config::PrefixKind::kPrefix, "Prefix");
  if (!prefix) return std::unexpected(prefix.error());
  auto error_prefix = RenderErrorPrefix(destination, local_ms);
  if (!error_prefix) return std::unexpected(error_prefix.error());

  const std::string uuid = RandomUuid();
  const std::string_view name_extension =
      destination.file_extension.empty() ? extension : std::string_view(destination.file_extension);
  const delivery::ObjectName name{config.name, version, local_ms, uuid, name_extension};
  auto key = delivery::MakeObjectKey(prefix->Render(local_ms), name);
  if (!key) return std::unexpected(key.error());
  // Error objects hold JSON lines in the stream's compression: a converting stream's error
  // object is not a .parquet/.orc file, and its compression is UNCOMPRESSED.
  const delivery::ObjectName error_name{config.name, version, local_ms, uuid,
                                        destination.converts_format() ? std::string_view() : name_extension};
  auto error_key = delivery::MakeObjectKey(*error_prefix, error_name);
  if (!error_key) return std::unexpected(error_key.error());

  SealedBatch batch;
  batch.kind = SealedBatch::Kind::kData;
  batch.bucket = destination.BucketName();
  batch.key = std::move(*key);
  batch.compression = config::CompressionName(destination.compression);
  batch.error_bucket = destination.backup.empty() ? batch.bucket : destination.backup[0].BucketName();
  batch.error_key = std::move(*error_key);
  return batch;
}

Result<SealedBatch> PlanBackupBatch(const config::StreamConfig& config, int64_t version,
                                    int64_t oldest_arrival_ms, std::string_view extension,
                                    const config::TimeZone& zone) {
  const config::S3Destination& backup = config.destination.backup.at(0);
  const int64_t local_ms = oldest_arrival_ms + zone.OffsetMs(oldest_arrival_ms);
  auto prefix = config::PrefixTemplate::Parse(backup.prefix, config::PrefixKind::kPrefix, "S3BackupConfiguration.Prefix");
  if (!prefix) return std::unexpected(prefix.error());
  auto key = delivery::MakeObjectKey(prefix->Render(local_ms), {config.name, version, local_ms, RandomUuid(), extension});
  if (!key) return std::unexpected(key.error());
  return SealedBatch{SealedBatch::Kind::kBackup, backup.BucketName(), std::move(*key),
                     std::string(config::CompressionName(backup.compression))};
}

}  // namespace sluice::streams
