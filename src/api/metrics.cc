#include "api/metrics.h"

#include <cstdint>
#include <functional>
#include <string_view>

namespace sluice::api {
namespace {

struct StreamCounters {
  streams::StreamStats delivery;
  wal::Stats log;
};

struct Metric {
  std::string_view name;
  std::string_view type;  // counter | gauge
  std::string_view help;
  uint64_t (*value)(const StreamCounters&);
};

constexpr Metric kMetrics[] = {
    {"sluice_incoming_records_total", "counter", "Records accepted since start (Firehose IncomingRecords).",
     [](const StreamCounters& c) { return c.log.appended_records; }},
    {"sluice_incoming_bytes_total", "counter", "Record bytes accepted since start (Firehose IncomingBytes).",
     [](const StreamCounters& c) { return c.log.appended_bytes; }},
    {"sluice_throttled_puts_total", "counter",
     "Put calls refused at the stream's disk quota (Firehose ThrottledRecords, per call).",
     [](const StreamCounters& c) { return c.log.rejected_by_quota; }},
    {"sluice_log_group_commits_total", "counter", "Log writes, each one fdatasync shared by its puts.",
     [](const StreamCounters& c) { return c.log.group_commits; }},
    {"sluice_log_disk_bytes", "gauge", "Bytes of the stream's log segments on disk.",
     [](const StreamCounters& c) { return c.log.disk_bytes; }},
    {"sluice_delivery_to_s3_success_total", "counter", "Objects stored (Firehose DeliveryToS3.Success).",
     [](const StreamCounters& c) { return c.delivery.delivered_objects; }},
    {"sluice_delivery_to_s3_records_total", "counter", "Records stored (Firehose DeliveryToS3.Records).",
     [](const StreamCounters& c) { return c.delivery.delivered_records; }},
    {"sluice_delivery_to_s3_bytes_total", "counter",
     "Record bytes stored, before compression (Firehose DeliveryToS3.Bytes).",
     [](const StreamCounters& c) { return c.delivery.delivered_bytes; }},
    {"sluice_delivery_to_s3_failed_attempts_total", "counter",
     "Delivery attempts that failed (each retried or given up).",
     [](const StreamCounters& c) { return c.delivery.delivery_failures; }},
    {"sluice_error_output_records_total", "counter",
     "Records written to the error output after delivery failed for good.",
     [](const StreamCounters& c) { return c.delivery.error_output_records; }},
    {"sluice_processing_dropped_records_total", "counter", "Records the processors dropped (result Dropped).",
     [](const StreamCounters& c) { return c.delivery.processing_dropped_records; }},
    {"sluice_processing_failed_records_total", "counter",
     "Records the processors failed, written to the error output (processing-failed, decompression-failed, "
     "partitioning-failed from MetadataExtraction).",
     [](const StreamCounters& c) { return c.delivery.processing_failed_records; }},
    {"sluice_format_conversion_failed_records_total", "counter",
     "Records that could not be converted to Parquet/ORC (Firehose FailedConversion.Records).",
     [](const StreamCounters& c) { return c.delivery.format_conversion_failed_records; }},
    {"sluice_partitioning_failed_records_total", "counter",
     "Records without an object to go to: a partition key missing, or past delivery.max_active_partitions.",
     [](const StreamCounters& c) { return c.delivery.partitioning_failed_records; }},
    {"sluice_active_partitions", "gauge",
     "Partitions buffering records now (dynamic partitioning; Firehose PartitionCount).",
     [](const StreamCounters& c) { return c.delivery.active_partitions; }},
    {"sluice_backup_to_s3_records_total", "counter",
     "Records copied to the backup destination (Firehose BackupToS3.Records).",
     [](const StreamCounters& c) { return c.delivery.backup_records; }},
};

}  // namespace

std::string RenderMetrics(const streams::Registry& registry) {
  std::vector<std::pair<std::string, StreamCounters>> streams;
  for (const auto& [name, stream] : registry.Streams()) {
    streams.push_back({name, {stream->stats(), stream->log_stats()}});
  }
  std::string out;
  for (const Metric& metric : kMetrics) {
    out += "# HELP ";
    out += metric.name;
    out += ' ';
    out += metric.help;
    out += "\n# TYPE ";
    out += metric.name;
    out += ' ';
    out += metric.type;
    out += '\n';
    for (const auto& [name, counters] : streams) {
      // Stream names are [a-zA-Z0-9_.-]: nothing to escape in the label value.
      out += metric.name;
      out += "{stream=\"";
      out += name;
      out += "\"} ";
      out += std::to_string(metric.value(counters));
      out += '\n';
    }
  }
  return out;
}

}  // namespace sluice::api
