#include "streams/stream.h"

#include <chrono>
#include <limits>

#include "core/log.h"
#include "streams/batch_plan.h"
#include "streams/compressed_object.h"
#include "streams/log_slices.h"
#include "streams/partitioner.h"

namespace sluice::streams {
namespace {

// The stream's CustomTimeZone. The config was validated with this zone loaded; should its file
// have gone since, UTC keeps delivery going and the log says so.
config::TimeZone ZoneOf(const config::StreamConfig& config) {
  auto zone = config::TimeZone::Load(config.destination.custom_time_zone);
  if (zone) return *zone;
  Log(LogLevel::kError, "stream " + config.name,
      "CustomTimeZone: " + zone.error().message + "; object keys use UTC until this is fixed");
  return config::TimeZone::Utc();
}

// A batch buffer keeps up to this much memory between batches: a log slice's (grown by
// doubling, its capacity can reach twice its size), but not a whole batch's.
constexpr size_t kRetainedBatchBytes = 2 * kLogSliceBytes;

delivery::BufferPolicy PolicyOf(const config::BufferingHints& hints) {
  return {static_cast<uint64_t>(hints.size_mb) * 1024 * 1024,
          static_cast<int64_t>(hints.interval_s) * 1000};
}

delivery::BufferPolicy PolicyOf(const config::StreamConfig& config) { return PolicyOf(config.destination.buffering); }

// Without a Lambda, a partitioning stream transforms its records as soon as they are durable,
// at most this much at a time: a transformed batch is held several times over (records, their
// outcomes, the partition log's write), and the partitions buffer the rest.
constexpr uint64_t kMaxTransformBatchBytes = 8 << 20;

// The batches of the stream's log. A partitioning stream transforms its records in batches of
// the Lambda function's buffering (BufferSizeInMBs, BufferIntervalInSeconds), or at once without
// a Lambda, and buffers them per partition by the stream's hints.
delivery::BufferPolicy SourcePolicyOf(const config::StreamConfig& config) {
  const auto& destination = config.destination;
  if (!destination.partitions()) return PolicyOf(config);
  if (destination.processing && destination.processing->enabled) {
    const auto& processors = destination.processing->processors;
    for (size_t i = 0; i < processors.size(); ++i) {
      if (processors[i].type != "Lambda") continue;
      // Validated when the configuration was accepted.
      if (const auto lambda = processors::ParseLambdaSettings(i, processors[i])) {
        return {lambda->buffer_size_bytes, static_cast<int64_t>(lambda->buffer_interval_seconds) * 1000};
      }
    }
  }
  return {std::min(PolicyOf(config).size_bytes, kMaxTransformBatchBytes), 0};
}

// The extension of the stream's data objects: the format's when it converts (a converting
// stream is UNCOMPRESSED), else the compression's.
std::string_view DataExtension(const config::StreamConfig& config, const codecs::Codec& codec) {
  return config.destination.converts_format() ? config.destination.format_conversion->Extension() : codec.Extension();
}

// S3BackupMode Enabled: source records are copied to the backup destination in batches of
// its own, cut by its BufferingHints.
bool BacksUp(const config::StreamConfig& config) {
  return config.destination.s3_backup_mode == "Enabled" && !config.destination.backup.empty();
}

delivery::BufferPolicy BackupPolicyOf(const config::StreamConfig& config) {
  return BacksUp(config) ? PolicyOf(config.destination.backup[0].buffering) : PolicyOf(config);
}

}  // namespace

Result<std::unique_ptr<Stream>> Stream::Open(const std::filesystem::path& wal_dir,
                                             config::StreamConfig config, StreamMeta meta,
                                             const StreamContext& context) {
  wal::Options options = context.wal;
  options.dir = wal_dir;
  auto log = wal::Log::Open(std::move(options));
  if (!log) return std::unexpected(log.error());
  const auto& report = (*log)->recovery();
  if (report.corrupt_tails > 0 || report.cursor_unreadable) {
    Log(LogLevel::kWarn, "stream " + config.name,
        "log recovery cut " + std::to_string(report.corrupt_tails) + " torn or corrupt tail(s), " +
            std::to_string(report.torn_bytes_cut) + " bytes (never acknowledged, or damaged on disk); " +
            std::to_string(report.missing_records) + " records and " + std::to_string(report.dropped_seals) +
            " batch seals lost with them" +
            (report.cursor_unreadable ? "; the cursor was unreadable, so batches may be delivered twice" : ""));
  }
  if (!report.pending_seals.empty() || report.unsealed_records > 0) {
    Log(LogLevel::kInfo, "stream " + config.name,
        "recovered " + std::to_string(report.pending_seals.size()) + " sealed batches to redeliver and " +
            std::to_string(report.unsealed_records) + " buffered records");
  }
  std::unique_ptr<PartitionStage> partitions;
  if (config.destination.partitions()) {
    wal::Options stage_options = context.wal;
    stage_options.dir = wal_dir.parent_path() / "partitions";
    // Not subject to the quota: the stage only takes what the stream's own log gives up.
    stage_options.quota_bytes = 0;
    auto stage = PartitionStage::Open(std::move(stage_options), PolicyOf(config), *context.clock);
    if (!stage) {
      return std::unexpected(
          Error{stage.error().code, "the partition buffers of stream " + config.name + ": " + stage.error().message});
    }
    partitions = std::move(*stage);
  }
  std::unique_ptr<Stream> stream(
      new Stream(std::move(*log), std::move(partitions), std::move(config), meta, context));
  stream->delivery_thread_ = std::thread([s = stream.get()] { s->DeliveryLoop(); });
  return stream;
}

Stream::Stream(std::unique_ptr<wal::Log> log, std::unique_ptr<PartitionStage> partitions, config::StreamConfig config,
               StreamMeta meta, const StreamContext& context)
    : context_(context),
      log_component_("stream " + config.name),
      log_(std::move(log)),
      config_(std::move(config)),
      zone_(ZoneOf(config_)),
      meta_(meta),
      data_(SourcePolicyOf(config_), *context.clock),
      backup_(BackupPolicyOf(config_), *context.clock),
      partitions_(std::move(partitions)),
      retry_(*delivery::RetryPolicy::Create(context.retry)) {
  // After a crash each consumer goes on after its last pending seal; every record at or below
  // the cursor was stored by both.
  const auto& report = log_->recovery();
  for (Consumer* consumer : {&data_, &backup_}) {
    consumer->done_through = report.delivered_through;
    consumer->next_seq = report.delivered_through + 1;
  }
  for (const auto& seal : report.pending_seals) {
    const auto sealed = SealedBatch::Decode(seal.descriptor);
    Consumer& consumer = sealed && sealed->kind == SealedBatch::Kind::kBackup ? backup_ : data_;
    consumer.next_seq = seal.last_seq + 1;
  }
  marked_through_ = report.delivered_through;
  backing_up_ = BacksUp(config_);
  for (Consumer* consumer : {&data_, &backup_}) {
    if (consumer == &backup_ && !backing_up_) continue;
    const Buffered buffered = BufferedFrom(consumer->next_seq);
    if (buffered.records > 0) consumer->batcher.OnAppended(buffered.records, buffered.bytes, buffered.oldest_arrival_ms);
  }
}

Stream::Buffered Stream::BufferedFrom(uint64_t seq) const {
  const auto& report = log_->recovery();
  uint64_t sealed_through = report.delivered_through;
  for (const auto& seal : report.pending_seals) sealed_through = std::max(sealed_through, seal.last_seq);
  if (seq == sealed_through + 1) {
    return {report.unsealed_records, report.unsealed_bytes, report.oldest_unsealed_arrival_ms};
  }
  // A consumer behind the other's seals: count by reading (only at start, after a crash).
  const auto extent =
      MeasureLog(*log_, seq, std::numeric_limits<uint64_t>::max(), std::numeric_limits<uint64_t>::max());
  if (!extent) return {};
  return {extent->records, extent->bytes, extent->first_arrival_ms};
}

Stream::~Stream() {
  Close(Drain::kDue);
  // Completes queued appends, whose callbacks use the members below, before they go.
  log_.reset();
}

void Stream::Put(std::span<const std::string_view> records, int64_t arrival_ms,
                 wal::Log::AppendDone done) {
  {
    std::lock_guard lock(mutex_);
    if (closing_) {
      done(Fail(ErrorCode::kNotFound, "delivery stream " + config_.name + " is being deleted"));
      return;
    }
  }
  uint64_t bytes = 0;
  for (const auto record : records) bytes += record.size();
  const uint64_t count = records.size();
  log_->Append(records, arrival_ms,
               [this, count, bytes, arrival_ms, done = std::move(done)](Result<uint64_t> result) {
                 if (result) {
                   std::lock_guard lock(mutex_);
                   data_.batcher.OnAppended(count, bytes, arrival_ms);
                   if (backing_up_) backup_.batcher.OnAppended(count, bytes, arrival_ms);
                   wake_.notify_one();
                 }
                 done(std::move(result));
               });
}

config::StreamConfig Stream::config() const {
  std::lock_guard lock(mutex_);
  return config_;
}

StreamMeta Stream::meta() const {
  std::lock_guard lock(mutex_);
  return meta_;
}

StreamStats Stream::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Stream::Reconfigure(config::StreamConfig config, StreamMeta meta) {
  std::lock_guard lock(mutex_);
  data_.batcher.SetPolicy(SourcePolicyOf(config));
  backup_.batcher.SetPolicy(BackupPolicyOf(config));
  if (partitions_) new_partition_policy_ = PolicyOf(config);
  if (BacksUp(config) && !backing_up_) {
    // S3BackupMode went to Enabled (it cannot go back): copies start with what is buffered for
    // the destination now; the delivery loop moves the backup's position there.
    backing_up_ = true;
    start_backup_ = true;
    backup_.batcher.OnAppended(data_.batcher.buffered_records(), data_.batcher.buffered_bytes(),
                               context_.clock->NowMs());
  }
  zone_ = ZoneOf(config);
  config_ = std::move(config);
  meta_ = meta;
  wake_.notify_one();
}

void Stream::Close(Drain drain) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    closing_ = true;
    drain_ = drain;
    wake_.notify_one();
  }
  if (delivery_thread_.joinable()) delivery_thread_.join();
}

void Stream::DeliveryLoop() {
  RedeliverRecovered();
  std::unique_lock lock(mutex_);
  // The kinds of work, tried in turns: under steady load the destination's batches are always
  // due, and must not starve the backup's batches or the partitions.
  enum Work { kData, kBackup, kPartition, kWorkKinds };
  int first_try = kData;
  while (true) {
    if (start_backup_) {
      start_backup_ = false;
      backup_.next_seq = data_.next_seq;
      backup_.done_through = data_.next_seq - 1;
    }
    if (partitions_ && new_partition_policy_) partitions_->SetPolicy(*std::exchange(new_partition_policy_, std::nullopt));
    const bool drain_all = closing_ && drain_ == Drain::kAll;
    const auto due = [&](const Consumer& consumer) {
      return consumer.batcher.Due() || (drain_all && consumer.batcher.buffered_records() > 0);
    };
    std::optional<int> work;
    std::optional<std::string> partition;
    for (int k = 0; k < kWorkKinds && !work; ++k) {
      const int kind = (first_try + k) % kWorkKinds;
      const bool ready = kind == kData     ? due(data_)
                         : kind == kBackup ? backing_up_ && due(backup_)
                                           : partitions_ && (partition = partitions_->Due(false)).has_value();
      if (ready) work = kind;
    }
    // Draining everything: partitions last, once the log (which feeds them) is drained.
    if (!work && partitions_ && drain_all && (partition = partitions_->Due(true))) work = kPartition;
    if (work) {
      first_try = (*work + 1) % kWorkKinds;
      lock.unlock();
      const bool delivered = *work == kPartition ? CutAndDeliverPartition(*partition)
                                                 : CutAndDeliver(*work == kData ? data_ : backup_);
      lock.lock();
      if (!delivered) return;
      continue;
    }
    if (closing_) return;
    std::optional<int64_t> deadline = data_.batcher.NextDeadlineMs();
    for (const auto other : {backing_up_ ? backup_.batcher.NextDeadlineMs() : std::nullopt,
                             partitions_ ? partitions_->NextDeadlineMs() : std::nullopt}) {
      if (other) deadline = deadline ? std::min(*deadline, *other) : other;
    }
    if (deadline) {
      const int64_t wait_ms = *deadline - context_.clock->NowMs();
      if (wait_ms > 0) wake_.wait_for(lock, std::chrono::milliseconds(wait_ms));
    } else {
      wake_.wait(lock);
    }
  }
}

void Stream::RedeliverRecovered() {
  if (partitions_) {
    for (const PartitionStage::Cut& cut : partitions_->TakeRecovered()) {
      if (!DeliverPartition(cut)) return;
    }
  }
  for (const auto& seal : log_->recovery().pending_seals) {
    const auto sealed = SealedBatch::Decode(seal.descriptor);
    if (!sealed) {
      // Only a log written by a future, incompatible version could get here.
      LogError("unreadable batch seal for records " + std::to_string(seal.first_seq) + ".." +
              std::to_string(seal.last_seq) + "; they stay in the log");
      return;
    }
    const bool delivered = sealed->kind == SealedBatch::Kind::kBackup
                               ? DeliverBackup(seal.first_seq, seal.last_seq, *sealed, std::nullopt)
                               : DeliverSealed(seal.first_seq, seal.last_seq, *sealed, std::nullopt);
    if (!delivered) return;
  }
}

bool Stream::CutAndDeliver(Consumer& consumer) {
  const bool backup = &consumer == &backup_;
  config::StreamConfig config;
  StreamMeta meta;
  config::TimeZone zone = config::TimeZone::Utc();
  uint64_t max_bytes;
  {
    std::lock_guard lock(mutex_);
    config = config_;
    meta = meta_;
    zone = zone_;
    max_bytes = consumer.batcher.policy().size_bytes;
  }
  // Only measured here: the records are read again, a slice at a time, as they are delivered.
  const auto extent = MeasureLog(*log_, consumer.next_seq, std::numeric_limits<uint64_t>::max(), max_bytes);
  if (!extent) {
    LogError("cannot read its log: " + extent.error().message);
    return false;
  }
  if (extent->records == 0) return true;

  const config::Compression compression =
      backup ? config.destination.backup.at(0).compression : config.destination.compression;
  auto codec = CodecFor(config::CompressionName(compression));
  if (!codec) {
    LogError(codec.error().message);
    return false;
  }
  const std::string_view extension = backup ? (*codec)->Extension() : DataExtension(config, **codec);
  auto sealed = backup ? PlanBackupBatch(config, meta.version, extent->first_arrival_ms, extension, zone)
                       : PlanBatch(config, meta.version, extent->first_arrival_ms, extension, zone);
  if (!sealed) {
    LogError("cannot name the batch's objects: " + sealed.error().message);
    return false;
  }
  const uint64_t first = extent->first_seq;
  const uint64_t last = extent->last_seq;
  if (auto seal = log_->Seal(first, last, sealed->Encode()); !seal) {
    LogError("cannot seal a batch: " + seal.error().message);
    return false;
  }
  consumer.next_seq = last + 1;
  {
    std::lock_guard lock(mutex_);
    // The records after this batch arrived no earlier than its last one: a safe, slightly
    // early deadline for what stays buffered.
    consumer.batcher.OnSealed(extent->records, extent->bytes, extent->last_arrival_ms);
  }
  return backup ? DeliverBackup(first, last, *sealed, extent->bytes) : DeliverSealed(first, last, *sealed, extent->bytes);
}

bool Stream::LoadSealedRecords(Consumer& consumer, uint64_t first_seq, uint64_t last_seq) {
  wal::RecordBatch& batch = consumer.batch;
  if (!batch.entries.empty() && batch.entries.front().seq == first_seq && batch.entries.back().seq == last_seq) {
    return true;
  }
  // Sized up front: grown by doubling, the arena of a 128 MiB batch would at one moment be
  // resident twice (the full old buffer and its copy).
  const auto extent = MeasureLog(*log_, first_seq, last_seq, std::numeric_limits<uint64_t>::max());
  batch.Clear();
  if (extent) batch.arena.reserve(extent->bytes);
  while (batch.entries.empty() || batch.entries.back().seq < last_seq) {
    const uint64_t from = batch.entries.empty() ? first_seq : batch.entries.back().seq + 1;
    if (auto read = log_->Read(from, last_seq, std::numeric_limits<uint64_t>::max(), batch);
        !read || batch.entries.empty()) {
      LogError("cannot read sealed records " + std::to_string(first_seq) + ".." + std::to_string(last_seq) +
              (read ? "" : ": " + read.error().message));
      return false;
    }
  }
  return true;
}

void Stream::Delivered(Consumer& consumer, uint64_t last_seq) {
  consumer.done_through = last_seq;
  // The memory of a large batch is given back instead of staying with the stream.
  consumer.batch.Release(kRetainedBatchBytes);
  bool backing_up;
  {
    std::lock_guard lock(mutex_);
    backing_up = backing_up_;
  }
  // The log keeps what either consumer still needs.
  const uint64_t through = backing_up ? std::min(data_.done_through, backup_.done_through) : data_.done_through;
  if (through <= marked_through_) return;
  if (auto marked = log_->MarkDelivered(through); !marked) {
    // Stored but not recorded: the batches will be delivered again (same keys) after a restart.
    LogError("cannot record delivery in the log: " + marked.error().message);
    return;
  }
  marked_through_ = through;
}

bool Stream::DeliverBackup(uint64_t first_seq, uint64_t last_seq, const SealedBatch& sealed,
                           std::optional<uint64_t> bytes) {
  const auto& backup = config().destination.backup;
  const std::string kms_key = backup.empty() ? "" : backup[0].kms_key_arn.value_or("");
  uint64_t records = 0;
  // A backup is never given up: retried until stored or the stream stops.
  if (SendLogRange(backup_, first_seq, last_seq, sealed, bytes, kms_key, nullptr, records) != SendResult::kDelivered) {
    return false;
  }
  {
    std::lock_guard lock(mutex_);
    ++stats_.backup_objects;
    stats_.backup_records += records;
  }
  Delivered(backup_, last_seq);
  return true;
}

bool Stream::DeliverSealed(uint64_t first_seq, uint64_t last_seq, const SealedBatch& sealed,
                           std::optional<uint64_t> bytes) {
  // A partitioning stream's batch that reached the partitions before a restart is done.
  if (partitions_ && last_seq <= partitions_->source_done_through()) {
    Delivered(data_, last_seq);
    return true;
  }
  const config::StreamConfig config = this->config();
  const config::S3Destination& destination = config.destination;
  const std::string kms_key = destination.kms_key_arn.value_or("");
  const bool transforms = destination.processing && destination.processing->enabled;
  // Records stored as they were put are read from the log a slice at a time, converted or not.
  const auto log_slices = [&](const EachSlice& each) {
    return ReadLogSlices(*log_, first_seq, last_seq, std::numeric_limits<uint64_t>::max(), data_.batch, each);
  };
  if (!partitions_ && !transforms && destination.converts_format()) {
    if (!DeliverConverted(*destination.format_conversion, sealed, sealed.key, log_slices, nullptr, kms_key)) {
      return false;
    }
  } else if (!partitions_ && !transforms) {
    if (!StoreLogRange(first_seq, last_seq, sealed, bytes, kms_key)) return false;
  } else {
    // The processors and the partitions take the batch whole.
    if (!LoadSealedRecords(data_, first_seq, last_seq)) return false;
    if (partitions_) return DeliverToPartitions(last_seq, sealed);
    // What goes to the destination: the records as they were put, or as the processors left them.
    const wal::RecordBatch* records = &data_.batch;
    if (transforms) {
      // Only a conversion reads the source records after the processors (a record that does not
      // convert goes to the error output as it was put); else each slice is given back once
      // transformed, and the batch is read again from the log should it be needed.
      const SourceUse use = destination.converts_format() ? SourceUse::kKeep : SourceUse::kRelease;
      if (!Transform(*destination.processing, use)) return false;
      records = &transformed_.records;
    }
    if (!records->entries.empty() && !DeliverObject(destination, sealed, sealed.key, *records, data_.batch, kms_key)) {
      return false;
    }
  }
  if (!SendFailures(destination, sealed, kms_key)) return false;
  PublishDelivered();
  Delivered(data_, last_seq);
  return true;
}

bool Stream::StoreLogRange(uint64_t first_seq, uint64_t last_seq, const SealedBatch& sealed,
                           std::optional<uint64_t> bytes, std::string_view kms_key) {
  DeliveryFailure failure;
  uint64_t records = 0;
  const SendResult sent = SendLogRange(data_, first_seq, last_seq, sealed, bytes, kms_key, &failure, records);
  if (sent == SendResult::kStopped) return false;
  if (sent == SendResult::kFailed) {
    // Rare: the error output needs every record at once.
    if (!LoadSealedRecords(data_, first_seq, last_seq)) return false;
    FailStoring(sealed, sealed.key, failure, data_.batch);
    return true;
  }
  ++delivered_.delivered_objects;
  delivered_.delivered_records += records;
  delivered_.delivered_bytes += *bytes;
  return true;
}

Stream::SendResult Stream::SendLogRange(Consumer& consumer, uint64_t first_seq, uint64_t last_seq,
                                        const SealedBatch& sealed, std::optional<uint64_t>& bytes,
                                        std::string_view kms_key, DeliveryFailure* failure, uint64_t& records) {
  if (!bytes) {
    // Redelivery after a restart: the size (for the object's header) is measured first.
    const auto extent = MeasureLog(*log_, first_seq, last_seq, std::numeric_limits<uint64_t>::max());
    if (!extent) {
      LogError("cannot read sealed records " + std::to_string(first_seq) + ".." + std::to_string(last_seq) + ": " +
               extent.error().message);
      return SendResult::kStopped;
    }
    bytes = extent->bytes;
  }
  return SendSlices(sealed.compression, {sealed.bucket, sealed.key, {}, kms_key}, *bytes,
                    [&](const WriteSlice& write) {
                      records = 0;
                      return ReadLogSlices(*log_, first_seq, last_seq, std::numeric_limits<uint64_t>::max(),
                                           consumer.batch, [&](const wal::RecordBatch& slice) {
                                             records += slice.entries.size();
                                             // The records back to back, without delimiters, as Firehose writes them.
                                             return write(slice.arena);
                                           });
                    },
                    failure);
}

void Stream::PublishDelivered() {
  {
    std::lock_guard lock(mutex_);
    stats_.delivered_objects += delivered_.delivered_objects;
    stats_.delivered_records += delivered_.delivered_records;
    stats_.delivered_bytes += delivered_.delivered_bytes;
  }
  delivered_ = {};
  transformed_.Clear();
  // The memory of a large batch is given back instead of staying with the stream.
  transformed_.records.Release(kRetainedBatchBytes);
}

bool Stream::DeliverToPartitions(uint64_t last_seq, const SealedBatch& sealed) {
  const config::StreamConfig config = this->config();
  const config::S3Destination& destination = config.destination;
  const std::string kms_key = destination.kms_key_arn.value_or("");
  const wal::RecordBatch* records = &data_.batch;
  std::vector<const processors::ProcessedRecord*> keys;
  if (const auto& processing = destination.processing; processing && processing->enabled) {
    if (!Transform(*processing, SourceUse::kKeep)) return false;  // failed partitions read it
    records = &transformed_.records;
    keys = transformed_.ok_outcomes;
  } else {
    // No processor gives keys: every record shares the one partition without keys.
    static const processors::ProcessedRecord kNoKeys;
    keys.assign(records->entries.size(), &kNoKeys);
  }
  const PartitionPlan plan =
      PlanPartitions(sealed.key, keys, context_.max_active_partitions, partitions_->active());
  const int64_t now_ms = context_.clock->NowMs();
  for (const PartitionFailure& failure : plan.failed) {
    const wal::Entry& entry = records->entries[failure.record];
    // Transformed records keep their source record's seq.
    failures_.Add(processors::kPartitioningFailedOutput, entry.arrival_ms, SourceData(data_.batch, entry.seq),
                  failure.error_code, failure.error_message, 1, now_ms);
  }
  {
    std::lock_guard lock(mutex_);
    stats_.partitioning_failed_records += plan.failed.size();
  }
  // Failed records are stored before the others reach their partitions: after a crash in
  // between, the batch runs again and stores the same error objects again.
  if (!SendFailures(destination, sealed, kms_key)) return false;
  std::vector<PartitionStage::Input> inputs;
  inputs.reserve(records->entries.size());
  for (const PartitionGroup& partition : plan.partitions) {
    for (const uint32_t i : partition.records) {
      inputs.push_back({partition.id, records->entries[i].arrival_ms, records->entries[i].data});
    }
  }
  if (auto added = partitions_->Add(last_seq, inputs); !added) {
    LogError("cannot buffer records for their partitions: " + added.error().message);
    return false;
  }
  transformed_.Clear();
  PublishActivePartitions();
  Delivered(data_, last_seq);
  return true;
}

void Stream::PublishActivePartitions() {
  std::lock_guard lock(mutex_);
  stats_.active_partitions = partitions_->buffered_partitions();
}

bool Stream::CutAndDeliverPartition(const std::string& id) {
  config::StreamConfig config;
  StreamMeta meta;
  config::TimeZone zone = config::TimeZone::Utc();
  {
    std::lock_guard lock(mutex_);
    config = config_;
    meta = meta_;
    zone = zone_;
  }
  auto codec = CodecFor(config::CompressionName(config.destination.compression));
  if (!codec) {
    LogError(codec.error().message);
    return false;
  }
  const std::string_view extension = DataExtension(config, **codec);
  auto cut = partitions_->Seal(
      id, [&](int64_t oldest_arrival_ms, const config::UsedPartitionKeys& keys) -> Result<SealedBatch> {
        auto sealed = PlanBatch(config, meta.version, oldest_arrival_ms, extension, zone);
        if (!sealed) return sealed;
        auto key = config::FillPartitionKeys(sealed->key, keys.query, keys.lambda);
        // The Prefix was changed to name a key these records lack: no object, the error output
        // (an empty key says so, also to a restart that stores the cut again).
        sealed->key = key ? std::move(*key) : std::string();
        return sealed;
      });
  if (!cut) {
    LogError("cannot seal a partition's object: " + cut.error().message);
    return false;
  }
  PublishActivePartitions();
  return DeliverPartition(*cut);
}

bool Stream::DeliverPartition(const PartitionStage::Cut& cut) {
  const config::StreamConfig config = this->config();
  const config::S3Destination& destination = config.destination;
  const std::string kms_key = destination.kms_key_arn.value_or("");
  if (cut.sealed.key.empty()) {
    if (!ReadPartition(cut)) return false;
    FailUnnamedPartition(destination, cut);
  } else if (destination.converts_format()) {
    // Records reach a partition transformed: that is how misfits reach the error output too.
    const auto cut_slices = [&](const EachSlice& each) { return partitions_->ReadSlices(cut, each); };
    if (!DeliverConverted(*destination.format_conversion, cut.sealed, cut.sealed.key, cut_slices, nullptr, kms_key)) {
      return false;
    }
  } else if (!StorePartitionSlices(cut, kms_key)) {
    return false;
  }
  // Records reach a partition transformed, so that is how they reach the error output too.
  if (!SendFailures(destination, cut.sealed, kms_key)) return false;
  PublishDelivered();
  partition_batch_.Release(kRetainedBatchBytes);
  if (auto stored = partitions_->Delivered(cut); !stored) {
    // Stored but not recorded: the object is stored again (same key) after a restart.
    LogError("cannot record a partition's delivery: " + stored.error().message);
  }
  return true;
}

bool Stream::ReadPartition(const PartitionStage::Cut& cut) {
  partition_batch_.Clear();
  if (auto read = partitions_->Read(cut, partition_batch_); !read) {
    LogError("cannot read a partition's records: " + read.error().message);
    return false;
  }
  return true;
}

bool Stream::StorePartitionSlices(const PartitionStage::Cut& cut, std::string_view kms_key) {
  const SealedBatch& sealed = cut.sealed;
  uint64_t records = 0;
  DeliveryFailure failure;
  const SendResult sent = SendSlices(sealed.compression, {sealed.bucket, sealed.key, {}, kms_key}, cut.bytes,
                                     [&](const WriteSlice& write) {
                                       records = 0;
                                       return partitions_->ReadSlices(cut, [&](const wal::RecordBatch& slice) {
                                         records += slice.entries.size();
                                         return write(slice.arena);
                                       });
                                     },
                                     &failure);
  if (sent == SendResult::kStopped) return false;
  if (sent == SendResult::kFailed) {
    // Rare: the error output needs every record at once.
    if (!ReadPartition(cut)) return false;
    FailStoring(sealed, sealed.key, failure, partition_batch_);
    return true;
  }
  ++delivered_.delivered_objects;
  delivered_.delivered_records += records;
  delivered_.delivered_bytes += cut.bytes;
  return true;
}

void Stream::FailUnnamedPartition(const config::S3Destination& destination, const PartitionStage::Cut& cut) {
  auto missing = config::FillPartitionKeys(destination.prefix, cut.keys.query, cut.keys.lambda);
  const std::string message = "the Prefix names a partition key this partition's records do not have" +
                              (missing ? std::string() : ": " + missing.error().message);
  const int64_t now_ms = context_.clock->NowMs();
  for (const wal::Entry& entry : partition_batch_.entries) {
    failures_.Add(processors::kPartitioningFailedOutput, entry.arrival_ms, entry.data,
                  "DynamicPartitioning.MissingPartitionKey", message, 1, now_ms);
  }
  LogError(std::to_string(partition_batch_.entries.size()) + " buffered records go to the error output: " + message);
  std::lock_guard lock(mutex_);
  stats_.partitioning_failed_records += partition_batch_.entries.size();
}

bool Stream::DeliverObject(const config::S3Destination& destination, const SealedBatch& sealed,
                           const std::string& key, const wal::RecordBatch& records, const wal::RecordBatch& source,
                           std::string_view kms_key) {
  const size_t count = records.entries.size();
  if (destination.converts_format()) {
    return DeliverConverted(
        *destination.format_conversion, sealed, key, [&](const EachSlice& each) { return each(records); }, &source,
        kms_key);
  }
  // The object body: the records concatenated without delimiters, as Firehose writes them,
  // which is the batch's arena itself (it holds them back to back).
  const std::string_view body = records.arena;
  DeliveryFailure failure;
  const SendResult sent = SendCompressed(sealed.compression, {sealed.bucket, key, body, kms_key}, &failure);
  if (sent == SendResult::kStopped) return false;
  if (sent == SendResult::kFailed) {
    FailStoring(sealed, key, failure, records);
    return true;
  }
  ++delivered_.delivered_objects;
  delivered_.delivered_records += count;
  delivered_.delivered_bytes += body.size();
  return true;
}

void Stream::FailStoring(const SealedBatch& sealed, const std::string& key, const DeliveryFailure& failure,
                         const wal::RecordBatch& records) {
  LogError("giving up on s3://" + sealed.bucket + "/" + key + " after " + std::to_string(failure.attempts) +
           " attempts (" + failure.error_code + "); its " + std::to_string(records.entries.size()) +
           " records go to the error output in s3://" + sealed.error_bucket);
  for (const wal::Entry& entry : records.entries) {
    failures_.Add(kS3FailedOutputType, entry.arrival_ms, entry.data, failure.error_code, failure.error_message,
                  failure.attempts, failure.ending_ms);
  }
}

bool Stream::DeliverConverted(const config::DataFormatConversion& conversion, const SealedBatch& sealed,
                              const std::string& key, const RecordSlices& slices, const wal::RecordBatch* source,
                              std::string_view kms_key) {
  const int64_t now_ms = context_.clock->NowMs();
  // A record for the error output: as it was put (found in `source` by its seq), or as it is.
  const auto raw_data = [&](const wal::Entry& entry) { return source ? SourceData(*source, entry.seq) : entry.data; };
  // Every record to the error output (read again: a batch may never have been whole in memory);
  // false if they cannot be read.
  uint64_t records = 0;
  const auto fail_all = [&](const std::string& code, const std::string& message, int attempts, int64_t ending_ms,
                            bool as_source) {
    records = 0;
    const Status read = slices([&](const wal::RecordBatch& slice) -> Status {
      records += slice.entries.size();
      for (const wal::Entry& entry : slice.entries) {
        failures_.AddCopy(as_source ? kFormatConversionFailedOutput : kS3FailedOutputType, entry.arrival_ms,
                          as_source ? raw_data(entry) : entry.data, code, message, attempts, ending_ms);
      }
      return {};
    });
    if (!read) LogError("cannot read the records of s3://" + sealed.bucket + "/" + key + ": " + read.error().message);
    return read.has_value();
  };
  Result<const config::CatalogTable*> table =
      context_.catalog == nullptr
          ? InvalidArgument("the server has no catalog: configuration")
          : config::FindTable(*context_.catalog, conversion.schema->database_name, conversion.schema->table_name,
                              "DataFormatConversionConfiguration.SchemaConfiguration");
  // Each attempt converts again, slice by slice, and hands the file to the sink as it is
  // produced (S3 stores it part by part), so neither the batch nor the file is held whole; a
  // retry produces the same bytes. Misfits are copied as they are found, for the error output.
  struct Misfit {
    int64_t arrival_ms;
    std::string data;
  };
  std::vector<Misfit> misfits;
  std::optional<Error> unreadable;
  Result<ConvertedObject> converted = std::unexpected(Error{ErrorCode::kInternal, "not converted"});
  const Attempt attempt = [&]() -> sinks::DeliveryResult {
    misfits.clear();
    records = 0;
    if (!table) {
      converted = std::unexpected(table.error());
      return {sinks::Outcome::kOk, ""};
    }
    const auto object = context_.sink->Begin({sealed.bucket, key, {}, kms_key});
    sinks::DeliveryResult written{sinks::Outcome::kOk, ""};
    if (auto begun = converter_.Begin(conversion, **table,
                                      [&](std::string_view bytes) {
                                        written = object->Write(bytes);
                                        return written.outcome == sinks::Outcome::kOk;
                                      });
        !begun) {
      converted = std::unexpected(begun.error());
      return {sinks::Outcome::kOk, ""};
    }
    std::optional<Error> conversion_error;
    std::vector<std::string_view> data;
    const Status read = slices([&](const wal::RecordBatch& slice) -> Status {
      data.clear();
      for (const wal::Entry& entry : slice.entries) data.push_back(entry.data);
      const size_t known = converter_.failures().size();
      if (auto added = converter_.Add(data); !added) {
        conversion_error = added.error();
        return added;
      }
      for (size_t f = known; f < converter_.failures().size(); ++f) {
        const wal::Entry& entry = slice.entries[converter_.failures()[f].record - records];
        misfits.push_back({entry.arrival_ms, std::string(raw_data(entry))});
      }
      records += slice.entries.size();
      return {};
    });
    if (written.outcome != sinks::Outcome::kOk) return written;
    if (!read && !conversion_error) {
      unreadable = read.error();
      return {sinks::Outcome::kOk, ""};  // no more attempts: reported below
    }
    converted = conversion_error ? Result<ConvertedObject>(std::unexpected(*conversion_error)) : converter_.Finish();
    if (written.outcome != sinks::Outcome::kOk) return written;
    // Nothing to store: the conversion failed as a whole, or every record failed (no empty file).
    if (!converted || converted->rows == 0) return {sinks::Outcome::kOk, ""};
    return object->Finish();
  };
  DeliveryFailure failure;
  const SendResult sent = Send(sealed.bucket, key, attempt, &failure);
  if (sent == SendResult::kStopped) return false;
  if (unreadable) {
    LogError("cannot read the records of s3://" + sealed.bucket + "/" + key + ": " + unreadable->message);
    return false;
  }
  if (sent == SendResult::kFailed) {
    if (!fail_all(failure.error_code, failure.error_message, failure.attempts, failure.ending_ms, false)) return false;
    LogError("giving up on s3://" + sealed.bucket + "/" + key + " after " + std::to_string(failure.attempts) +
             " attempts (" + failure.error_code + "); its " + std::to_string(records) +
             " records go to the error output in s3://" + sealed.error_bucket);
    return true;
  }
  if (!converted) {
    LogError("cannot convert s3://" + sealed.bucket + "/" + key + ": " + converted.error().message);
    if (!fail_all("DataFormatConversion.Failed", converted.error().message, 1, now_ms, true)) return false;
    std::lock_guard lock(mutex_);
    stats_.format_conversion_failed_records += records;
    return true;
  }
  for (size_t f = 0; f < misfits.size(); ++f) {
    const ConversionFailure& failed = converted->failed[f];
    failures_.AddCopy(kFormatConversionFailedOutput, misfits[f].arrival_ms, misfits[f].data, failed.error_code,
                      failed.error_message, 1, now_ms);
  }
  {
    std::lock_guard lock(mutex_);
    stats_.format_conversion_failed_records += converted->failed.size();
  }
  if (converted->rows == 0) return true;
  ++delivered_.delivered_objects;
  delivered_.delivered_records += records - converted->failed.size();
  delivered_.delivered_bytes += converted->bytes;
  return true;
}

bool Stream::Transform(const config::ProcessingConfiguration& processing, SourceUse use) {
  const processors::ProcessorEnvironment environment{meta().arn, context_.region, context_.invoke_lambda};
  if (auto ran = transformer_.Run(processing, environment, data_.batch, transformed_, use); !ran) {
    LogError(ran.error().message);
    return false;
  }
  const int64_t now_ms = context_.clock->NowMs();
  uint64_t failed_records = 0;
  for (const auto& [type, failed] : transformed_.failed) {
    for (const FailedRecord& record : failed) {
      failures_.Add(type, record.arrival_ms, record.raw_data, record.error_code, record.error_message, 1, now_ms);
    }
    failed_records += failed.size();
  }
  std::lock_guard lock(mutex_);
  stats_.processing_dropped_records += transformed_.dropped;
  stats_.processing_failed_records += failed_records;
  return true;
}

bool Stream::SendFailures(const config::S3Destination& destination, const SealedBatch& sealed,
                          std::string_view kms_key) {
  const std::string catalog_table = DataCatalogTableJson(destination, meta().arn, context_.region);
  const std::string lambda_arn = LambdaArnJson(destination);
  for (const auto& [type, failures] : failures_.groups()) {
    ErrorDocumentExtras extras;
    if (type == kFormatConversionFailedOutput) extras = {true, "dataCatalogTable", catalog_table};
    if (type == processors::kProcessingFailedOutput && !lambda_arn.empty()) extras = {false, "lambdaArn", lambda_arn};
    const std::string documents = FormatFailedRecords(failures.records, failures.attempts, failures.ending_ms, extras);
    // Error objects are compressed as the stream's data, except that a converting stream's
    // CompressionFormat is always UNCOMPRESSED.
    if (SendCompressed(sealed.compression, {sealed.error_bucket, sealed.ErrorKey(type), documents, kms_key}, nullptr) !=
        SendResult::kDelivered) {
      return false;
    }
    std::lock_guard lock(mutex_);
    ++stats_.error_output_objects;
    stats_.error_output_records += failures.records.size();
  }
  failures_.Clear();
  return true;
}

Stream::SendResult Stream::SendCompressed(std::string_view compression, const sinks::Delivery& delivery,
                                          DeliveryFailure* failure) {
  auto codec = CodecFor(compression);
  if (!codec) {
    LogError(codec.error().message);
    return SendResult::kStopped;
  }
  // Each attempt compresses again: nothing but the batch itself is kept between attempts.
  return Send(delivery.bucket, delivery.key, [&] { return StoreCompressed(*context_.sink, **codec, delivery); },
              failure);
}

Stream::SendResult Stream::SendSlices(std::string_view compression, const sinks::Delivery& target,
                                      std::optional<uint64_t> body_bytes, const BodySlices& slices,
                                      DeliveryFailure* failure) {
  auto codec = CodecFor(compression);
  if (!codec) {
    LogError(codec.error().message);
    return SendResult::kStopped;
  }
  std::optional<Error> unreadable;
  const Attempt attempt = [&]() -> sinks::DeliveryResult {
    auto stored = StoreCompressedSlices(*context_.sink, **codec, target, body_bytes, slices);
    if (stored) return *stored;
    unreadable = stored.error();
    return {sinks::Outcome::kOk, ""};  // no more attempts: reported below
  };
  const SendResult sent = Send(target.bucket, target.key, attempt, failure);
  if (unreadable) {
    LogError("cannot read the records of s3://" + target.bucket + "/" + target.key + ": " + unreadable->message);
    return SendResult::kStopped;
  }
  return sent;
}

void Stream::LogError(std::string_view message) const { Log(LogLevel::kError, log_component_, message); }

Result<codecs::Codec*> Stream::CodecFor(std::string_view compression) {
  if (const auto it = codecs_.find(compression); it != codecs_.end()) return it->second.get();
  auto codec = codecs::MakeCodec(compression, context_.codec_settings);
  if (!codec) return std::unexpected(codec.error());
  return codecs_.emplace(std::string(compression), std::move(*codec)).first->second.get();
}

Stream::SendResult Stream::Send(std::string_view bucket, std::string_view key, const Attempt& attempt,
                                DeliveryFailure* failure) {
  const int64_t started_ms = context_.clock->NowMs();
  for (int tries = 0;; ++tries) {
    const auto result = attempt();
    if (result.outcome == sinks::Outcome::kOk) return SendResult::kDelivered;
    const int64_t now_ms = context_.clock->NowMs();
    {
      std::lock_guard lock(mutex_);
      ++stats_.delivery_failures;
    }
    const bool permanent = result.outcome == sinks::Outcome::kPermanent;
    if (failure != nullptr && (permanent || now_ms - started_ms >= context_.retry_duration_ms)) {
      *failure = {tries + 1, permanent ? "S3.PermanentFailure" : "S3.RetryDurationExceeded", result.message,
                  now_ms};
      return SendResult::kFailed;
    }
    const auto delay = retry_.DelayMs(tries);
    Log(permanent ? LogLevel::kError : LogLevel::kWarn, log_component_,
        "delivery of s3://" + std::string(bucket) + "/" + std::string(key) + " failed (attempt " +
            std::to_string(tries + 1) + "): " + result.message + "; retrying in " + std::to_string(delay) + " ms");
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, std::chrono::milliseconds(delay), [this] { return closing_; })) {
      return SendResult::kStopped;
    }
  }
}

}  // namespace sluice::streams
