#pragma once
// One delivery stream at run time: its write-ahead log, its buffer policy and the delivery
// loop that cuts batches, seals them in the log, and hands them to the sink.
//
// Threads: API threads call Put (non-blocking; completion comes from the log's writer
// thread); one delivery thread per stream runs DeliveryLoop. `mutex_` guards everything
// marked "guarded" below.

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>

#include "codecs/codec.h"
#include "config/stream_config.h"
#include "config/time_zone.h"
#include "core/clock.h"
#include "core/result.h"
#include "delivery/batcher.h"
#include "delivery/retry_policy.h"
#include "sinks/bucket/local_bucket_store.h"
#include "processors/lambda_processor.h"
#include "streams/batch_transform.h"
#include "streams/compressed_object.h"
#include "streams/failed_records.h"
#include "streams/format_converter.h"
#include "streams/partition_stage.h"
#include "streams/sealed_batch.h"
#include "wal/log.h"

namespace sluice::streams {

// Facts about a stream that are not part of its Firehose configuration.
struct StreamMeta {
  int64_t version = 1;          // VersionId; also part of every object name
  int64_t create_ms = 0;
  int64_t last_update_ms = 0;   // 0 = never updated
  std::string arn = {};         // not persisted: derived from the name by the registry
};

// Services every stream shares; they outlive all streams.
struct StreamContext {
  const Clock* clock = nullptr;
  sinks::Sink* sink = nullptr;
  wal::Options wal;  // template: `dir` is set per stream
  delivery::RetryConfig retry;  // backoff between delivery attempts
  // How long a batch is retried after retryable failures before its records go to the error
  // output (Firehose keeps retrying S3 for 24 hours).
  int64_t retry_duration_ms = 24 * 3600 * 1000;
  std::string region;                      // the server's, as Lambda requests report it
  processors::LambdaInvoker invoke_lambda;  // empty: no Lambda endpoint configured
  const config::Catalog* catalog = nullptr;  // tables for format conversion; null: none
  codecs::CodecSettings codec_settings;          // server config compression.*
  size_t max_active_partitions = 500;        // partitions buffering at once (dynamic partitioning)
};

// Counters since the stream was opened (the metrics of DeliveryToS3.* and of the error output).
struct StreamStats {
  uint64_t delivered_objects = 0;
  uint64_t delivered_records = 0;
  uint64_t delivered_bytes = 0;     // record bytes, before compression
  uint64_t delivery_failures = 0;   // failed attempts, each retried or given up
  uint64_t error_output_objects = 0;
  uint64_t error_output_records = 0;
  uint64_t backup_objects = 0;      // S3BackupMode Enabled: copies of the source records
  uint64_t backup_records = 0;
  uint64_t processing_dropped_records = 0;  // results Dropped
  uint64_t processing_failed_records = 0;   // results ProcessingFailed (to the error output)
  uint64_t format_conversion_failed_records = 0;
  uint64_t partitioning_failed_records = 0;  // keys missing, or over the active-partition limit
  uint64_t active_partitions = 0;            // now: partitions buffering records (a gauge)
};

class Stream {
 public:
  static Result<std::unique_ptr<Stream>> Open(const std::filesystem::path& wal_dir,
                                              config::StreamConfig config, StreamMeta meta,
                                              const StreamContext& context);
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // Appends records; `done` runs once they are durable in the log (or failed). Fails with
  // kNotFound once the stream is closed.
  void Put(std::span<const std::string_view> records, int64_t arrival_ms, wal::Log::AppendDone done);

  config::StreamConfig config() const;
  StreamMeta meta() const;
  StreamStats stats() const;
  wal::Stats log_stats() const { return log_->GetStats(); }

  // Swaps in a configuration the registry has validated and persisted; the next batch uses it.
  void Reconfigure(config::StreamConfig config, StreamMeta meta);

  enum class Drain {
    kDue,  // deliver batches that are due now, leave the rest in the log for the next start
    kAll,  // deliver everything buffered (used before deleting the stream)
  };
  // Stops the delivery loop after draining. Later puts are refused; a put that raced past the
  // check still lands durably in the log (delivered after the next start). Idempotent.
  void Close(Drain drain);

 private:
  Stream(std::unique_ptr<wal::Log> log, std::unique_ptr<PartitionStage> partitions, config::StreamConfig config,
         StreamMeta meta, const StreamContext& context);

  // One reader of the log: the destination's batches, or (S3BackupMode Enabled) the backup's
  // batches of source records, each cut by its own BufferingHints. The log keeps a record until
  // both have stored it.
  struct Consumer {
    Consumer(delivery::BufferPolicy policy, const Clock& clock) : batcher(policy, clock) {}
    delivery::Batcher batcher;  // guarded by mutex_
    uint64_t next_seq = 1;      // delivery thread: the first record not sealed yet
    uint64_t done_through = 0;  // delivery thread: every record at or below is stored
    wal::RecordBatch batch;     // delivery thread: the sealed batch being delivered
  };
  struct Buffered {
    uint64_t records = 0;
    uint64_t bytes = 0;
    int64_t oldest_arrival_ms = 0;
  };

  enum class SendResult { kDelivered, kFailed, kStopped };

  void DeliveryLoop();
  // Redelivers the batches the log reports sealed but not delivered (after a crash).
  void RedeliverRecovered();
  // What the log holds from `seq` on (at start, for a consumer's batcher).
  Buffered BufferedFrom(uint64_t seq) const;
  // Cuts the consumer's next batch from the log, seals it, delivers it. Returns false when
  // stopping interrupted delivery (the batch stays sealed in the log for the next start).
  bool CutAndDeliver(Consumer& consumer);
  // Delivers a sealed batch of the log; `bytes`, its records' payload when known.
  bool DeliverSealed(uint64_t first_seq, uint64_t last_seq, const SealedBatch& sealed, std::optional<uint64_t> bytes);
  // Stores a backup batch: the source records, in the backup's compression, retried until
  // stored (a backup is never given up).
  bool DeliverBackup(uint64_t first_seq, uint64_t last_seq, const SealedBatch& sealed, std::optional<uint64_t> bytes);
  // DeliverSealed for records stored as they were put: the object is written from the log a
  // slice at a time, so a batch of up to 128 MiB is never whole in memory; if S3 gives up, the
  // records join failures_. False when stopping or the log cannot be read.
  bool StoreLogRange(uint64_t first_seq, uint64_t last_seq, const SealedBatch& sealed, std::optional<uint64_t> bytes,
                     std::string_view kms_key);
  // Sends the log's records [first_seq, last_seq] as the sealed object, read into the
  // consumer's batch a slice at a time; `bytes` (measured if unknown) is their payload, `records`
  // receives how many were stored.
  SendResult SendLogRange(Consumer& consumer, uint64_t first_seq, uint64_t last_seq, const SealedBatch& sealed,
                          std::optional<uint64_t>& bytes, std::string_view kms_key, DeliveryFailure* failure,
                          uint64_t& records);
  // Reads the records of a sealed batch into the consumer's batch unless it holds them already.
  bool LoadSealedRecords(Consumer& consumer, uint64_t first_seq, uint64_t last_seq);
  // The consumer stored everything through `last_seq`: moves the log's cursor to what both
  // consumers stored.
  void Delivered(Consumer& consumer, uint64_t last_seq);
  // Sends one object, each attempt made by `attempt` (which may produce the object anew),
  // retrying retryable failures with backoff. With `failure`, a permanent failure or retrying
  // past the retry duration ends in kFailed and fills it in; without it, every failure is
  // retried until it succeeds or the stream stops (the error output itself must never be given
  // up).
  using Attempt = std::function<sinks::DeliveryResult()>;
  SendResult Send(std::string_view bucket, std::string_view key, const Attempt& attempt, DeliveryFailure* failure);
  // The records of one object in slices: calls `each` with each slice in order, and returns the
  // first error, its own (reading) or `each`'s.
  using EachSlice = std::function<Status(const wal::RecordBatch& slice)>;
  using RecordSlices = std::function<Status(const EachSlice& each)>;
  // Stores the records `slices` gives (read again for each attempt) as one converted object,
  // part by part as the file is produced. A record that does not convert goes to the error
  // output as `source` holds it (found by its seq), or as it is without a source. False when
  // stopping or the records cannot be read.
  bool DeliverConverted(const config::DataFormatConversion& conversion, const SealedBatch& sealed,
                        const std::string& key, const RecordSlices& slices, const wal::RecordBatch* source,
                        std::string_view kms_key);
  // Runs the processors over data_.batch into transformed_, leaving data_.batch as `use` says;
  // failed records join failures_. False when the processors cannot be built.
  bool Transform(const config::ProcessingConfiguration& processing, SourceUse use);
  // Delivers `records` as the object `key`: converted to Parquet/ORC when the stream converts
  // (records that do not convert go to the error output as `source` holds them), then
  // compressed. Records that fail conversion, and all of them if S3 refuses the object for good,
  // join failures_. False when stopping.
  bool DeliverObject(const config::S3Destination& destination, const SealedBatch& sealed, const std::string& key,
                     const wal::RecordBatch& records, const wal::RecordBatch& source, std::string_view kms_key);
  // Dynamic partitioning, first stage: transforms a sealed batch of the log and hands its
  // records to their partitions' buffers (its failed records go to the error output first).
  // False when stopping.
  bool DeliverToPartitions(uint64_t last_seq, const SealedBatch& sealed);
  // Second stage: cuts partition `id`'s buffer, seals it and delivers it. False when stopping.
  bool CutAndDeliverPartition(const std::string& id);
  // Stores a sealed partition cut as one object. False when stopping.
  bool DeliverPartition(const PartitionStage::Cut& cut);
  // Reads a cut's records into partition_batch_ (logged if it cannot).
  bool ReadPartition(const PartitionStage::Cut& cut);
  // Stores a cut's object compressed slice by slice as it is read from the partition log, so a
  // cut of up to 128 MiB is never whole in memory; if S3 gives up, its records join failures_.
  // False when stopping or the log cannot be read.
  bool StorePartitionSlices(const PartitionStage::Cut& cut, std::string_view kms_key);
  // S3 gave up on `key`: `records` join failures_ (logged).
  void FailStoring(const SealedBatch& sealed, const std::string& key, const DeliveryFailure& failure,
                   const wal::RecordBatch& records);
  // A cut without an object (its sealed key empty): its records (in partition_batch_) join
  // failures_ as partitioning-failed.
  void FailUnnamedPartition(const config::S3Destination& destination, const PartitionStage::Cut& cut);
  // Publishes the delivered_* counts of what was just stored.
  void PublishDelivered();
  // Publishes how many partitions buffer records.
  void PublishActivePartitions();
  // Stores failures_ in the error output, one object per error output type at the sealed error
  // key, retrying until stored. False when stopping.
  bool SendFailures(const config::S3Destination& destination, const SealedBatch& sealed, std::string_view kms_key);
  // Send of `delivery`'s body in the named format, compressed into the sink piece by piece
  // (StoreCompressed). kStopped (logged) if the format has no codec.
  SendResult SendCompressed(std::string_view compression, const sinks::Delivery& delivery, DeliveryFailure* failure);
  // Send of a body produced slice by slice (StoreCompressedSlices; `target.body` unused).
  // kStopped (logged) also if the format has no codec or the body cannot be read.
  SendResult SendSlices(std::string_view compression, const sinks::Delivery& target, std::optional<uint64_t> body_bytes,
                        const BodySlices& slices, DeliveryFailure* failure);
  void LogError(std::string_view message) const;
  // The codec for a Firehose CompressionFormat name, kept across batches (compressor state is
  // reused).
  Result<codecs::Codec*> CodecFor(std::string_view compression);

  const StreamContext& context_;
  const std::string log_component_;  // "stream <name>"; the name never changes
  std::unique_ptr<wal::Log> log_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;            // appends, stop requests, reconfiguration
  config::StreamConfig config_;             // guarded
  config::TimeZone zone_;                   // guarded; config_'s CustomTimeZone
  StreamMeta meta_;                         // guarded
  bool backing_up_ = false;                 // guarded; S3BackupMode Enabled
  bool start_backup_ = false;               // guarded; backing_up_ just became true
  StreamStats stats_;                       // guarded
  bool closing_ = false;                    // guarded
  Drain drain_ = Drain::kDue;               // guarded
  bool closed_ = false;                     // guarded

  Consumer data_;    // batchers guarded, the rest owned by the delivery thread
  Consumer backup_;
  // Dynamic partitioning: the partitions' buffers, owned by the delivery thread (null when the
  // stream does not partition). A policy change waits here for the delivery thread.
  std::unique_ptr<PartitionStage> partitions_;
  std::optional<delivery::BufferPolicy> new_partition_policy_;  // guarded

  // Owned by the delivery thread.
  uint64_t marked_through_ = 0;  // the log's cursor
  BatchTransformer transformer_;
  TransformedBatch transformed_;  // data_.batch after the processors
  wal::RecordBatch partition_batch_;  // the records of the partition cut being delivered
  FormatConverter converter_;
  // The batch's failed records, until SendFailures stores them; raw data views point into
  // data_.batch and transformed_.
  FailureCollector failures_;
  StreamStats delivered_;  // the batch's delivered_* counts, published once it is all stored
  delivery::RetryPolicy retry_;
  std::map<std::string, std::unique_ptr<codecs::Codec>, std::less<>> codecs_;  // by name
  std::thread delivery_thread_;
};

}  // namespace sluice::streams
