#include "streams/registry.h"

#include <simdjson.h>

#include <algorithm>
#include <system_error>

#include "config/stream_config_json.h"
#include "core/atomic_file.h"
#include "core/json_writer.h"
#include "core/log.h"
#include "streams/format_converter.h"

namespace sluice::streams {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kStateFile = "stream.json";
constexpr std::string_view kWalDir = "wal";
constexpr int64_t kStateFormat = 1;
constexpr size_t kMaxTagsPerStream = 50;

std::string StateJson(const config::StreamConfig& config, const StreamMeta& meta) {
  JsonWriter w;
  w.BeginObject().Key("Format").Int(kStateFormat);
  w.Key("VersionId").Int(meta.version);
  w.Key("CreateTimestampMs").Int(meta.create_ms);
  w.Key("LastUpdateTimestampMs").Int(meta.last_update_ms);
  w.Key("Create").Raw(config::ToCreateJson(config));
  w.EndObject();
  return w.Take();
}

struct LoadedState {
  config::StreamConfig config;
  StreamMeta meta;
};

Result<LoadedState> ParseState(const std::string& text, const fs::path& path) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(text).get(root) != simdjson::SUCCESS || !root.is_object()) {
    return Fail(ErrorCode::kCorruption, path.string() + " is not a JSON object");
  }
  int64_t format = 0;
  LoadedState state;
  simdjson::dom::element create;
  if (root["Format"].get(format) || format != kStateFormat || root["VersionId"].get(state.meta.version) ||
      root["CreateTimestampMs"].get(state.meta.create_ms) ||
      root["LastUpdateTimestampMs"].get(state.meta.last_update_ms) || root["Create"].get(create)) {
    return Fail(ErrorCode::kCorruption,
                path.string() + " lacks Format 1, VersionId, timestamps or Create");
  }
  auto config = config::ParseCreateDeliveryStream(create);
  if (!config) {
    return Fail(ErrorCode::kCorruption, path.string() + ": " + config.error().message);
  }
  state.config = std::move(*config);
  return state;
}

}  // namespace

Registry::Registry(RegistryOptions options) : options_(std::move(options)) {}

Registry::~Registry() { Shutdown(); }

Result<std::unique_ptr<Registry>> Registry::Open(RegistryOptions options) {
  std::error_code ec;
  fs::create_directories(options.data_dir / "streams", ec);
  if (ec) {
    return Fail(ErrorCode::kIo,
                "cannot create " + (options.data_dir / "streams").string() + ": " + ec.message());
  }
  options.context.region = options.region;
  std::unique_ptr<Registry> registry(new Registry(std::move(options)));
  if (auto loaded = registry->Load(); !loaded) return std::unexpected(loaded.error());
  return registry;
}

Status Registry::Load() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(options_.data_dir / "streams", ec)) {
    const auto state_path = entry.path() / kStateFile;
    if (!entry.is_directory() || !fs::exists(state_path)) continue;
    auto text = ReadFile(state_path);
    if (!text) return std::unexpected(text.error());
    auto state = ParseState(*text, state_path);
    if (!state) return std::unexpected(state.error());
    const std::string name = state->config.name;
    state->meta.arn = Arn(name);
    auto stream = Stream::Open(entry.path() / kWalDir, std::move(state->config), state->meta,
                               options_.context);
    if (!stream) return std::unexpected(stream.error());
    streams_.emplace(name, std::move(*stream));
  }
  if (ec) return Fail(ErrorCode::kIo, "cannot list " + (options_.data_dir / "streams").string() + ": " + ec.message());
  return {};
}

fs::path Registry::StreamDir(std::string_view name) const {
  return options_.data_dir / "streams" / std::string(name);
}

std::string Registry::Arn(std::string_view name) const {
  return "arn:aws:firehose:" + options_.region + ":" + options_.account_id + ":deliverystream/" +
         std::string(name);
}

Error Registry::NotFound(std::string_view name) const {
  return Error{ErrorCode::kNotFound, "Firehose " + std::string(name) + " under account " +
                                         options_.account_id + " not found."};
}

Status Registry::Persist(const config::StreamConfig& config, const StreamMeta& meta) const {
  return WriteFileAtomically(StreamDir(config.name) / kStateFile, StateJson(config, meta));
}

Result<std::string> Registry::Create(config::StreamConfig config) {
  std::lock_guard lock(mutex_);
  const std::string name = config.name;
  if (streams_.contains(name)) {
    return Fail(ErrorCode::kAlreadyExists, "Firehose " + name + " under accountId " +
                                               options_.account_id + " already exists");
  }
  if (streams_.size() >= options_.max_streams) {
    return Fail(ErrorCode::kLimitExceeded,
                "cannot create " + name + ": the server already has the maximum of " +
                    std::to_string(options_.max_streams) + " delivery streams (max_streams)");
  }
  // Checked before anything is written: a refused stream leaves no trace on disk.
  if (auto runnable = CheckRunnable(config); !runnable) return std::unexpected(runnable.error());
  const fs::path dir = StreamDir(name);
  std::error_code ec;
  fs::remove_all(dir, ec);  // leftovers of an interrupted create or delete
  fs::create_directories(dir, ec);
  if (ec) return Fail(ErrorCode::kIo, "cannot create " + dir.string() + ": " + ec.message());
  StreamMeta meta;
  meta.create_ms = options_.context.clock->NowMs();
  meta.arn = Arn(name);
  auto stream = [&]() -> Result<std::unique_ptr<Stream>> {
    if (auto persisted = Persist(config, meta); !persisted) {
      return std::unexpected(persisted.error());
    }
    return Stream::Open(dir / kWalDir, std::move(config), meta, options_.context);
  }();
  if (!stream) {
    fs::remove_all(dir, ec);
    return std::unexpected(stream.error());
  }
  streams_.emplace(name, std::move(*stream));
  Log(LogLevel::kInfo, "registry", "created delivery stream " + name);
  return Arn(name);
}

Status Registry::Define(config::StreamConfig config) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = streams_.find(config.name); it != streams_.end()) {
      Stream& stream = *it->second;
      if (config::ToCreateJson(stream.config()) == config::ToCreateJson(config)) return {};
      if (auto runnable = CheckRunnable(config); !runnable) return runnable;
      StreamMeta meta = stream.meta();
      ++meta.version;
      meta.last_update_ms = options_.context.clock->NowMs();
      return Replace(stream, std::move(config), meta);
    }
  }
  auto created = Create(std::move(config));
  if (!created) return std::unexpected(created.error());
  return {};
}

Status Registry::CheckCatalogTable(const config::S3Destination& destination) const {
  if (!destination.converts_format()) return {};
  const config::DataFormatConversion& conversion = *destination.format_conversion;
  const std::string path = "ExtendedS3DestinationConfiguration.DataFormatConversionConfiguration.SchemaConfiguration";
  if (options_.context.catalog == nullptr) {
    return InvalidArgument(path + " names table \"" + conversion.schema->database_name + "." +
                           conversion.schema->table_name + "\", but the server config has no catalog:");
  }
  auto table = config::FindTable(*options_.context.catalog, conversion.schema->database_name,
                                 conversion.schema->table_name, path);
  if (!table) return std::unexpected(table.error());
  // Building the writer once checks what needs the table: ColumnToJsonKeyMappings naming its
  // columns, HiveJsonSerDe's rules on column names, TimestampFormats patterns.
  if (auto writer = MakeRecordWriter(conversion, **table); !writer) {
    return InvalidArgument("ExtendedS3DestinationConfiguration.DataFormatConversionConfiguration: " +
                           writer.error().message);
  }
  const auto* orc = std::get_if<config::OrcSerDe>(&*conversion.output);
  if (orc == nullptr) return {};
  for (size_t i = 0; i < orc->bloom_filter_columns.size(); ++i) {
    const std::string& name = orc->bloom_filter_columns[i];
    const bool known = std::any_of((*table)->columns.begin(), (*table)->columns.end(), [&](const auto& column) {
      return std::equal(column.name.begin(), column.name.end(), name.begin(), name.end(),
                        [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) ==
                                                    std::tolower(static_cast<unsigned char>(b)); });
    });
    if (!known) {
      return InvalidArgument("ExtendedS3DestinationConfiguration.DataFormatConversionConfiguration."
                             "OutputFormatConfiguration.Serializer.OrcSerDe.BloomFilterColumns[" +
                             std::to_string(i) + "] \"" + name + "\" is not a column of " +
                             conversion.schema->database_name + "." + conversion.schema->table_name);
    }
  }
  return {};
}

Status Registry::CheckRunnable(const config::StreamConfig& config) const {
  if (auto ok = CheckCatalogTable(config.destination); !ok) return ok;
  const auto& processing = config.destination.processing;
  if (!processing) return {};
  // The config layer checked the rules; this checks that the server can run them (a Lambda
  // processor needs the server's Lambda endpoint).
  const processors::ProcessorEnvironment environment{Arn(config.name), options_.region,
                                                     options_.context.invoke_lambda};
  if (auto chain = processors::MakeChain(processing->processors, environment); !chain) {
    return InvalidArgument("ExtendedS3DestinationConfiguration.ProcessingConfiguration.Processors: " +
                           chain.error().message);
  }
  return {};
}

Status Registry::Replace(Stream& stream, config::StreamConfig config, StreamMeta meta) {
  if (auto persisted = Persist(config, meta); !persisted) return persisted;
  stream.Reconfigure(std::move(config), meta);
  return {};
}

Result<std::shared_ptr<Stream>> Registry::FindLocked(std::string_view name) const {
  const auto it = streams_.find(name);
  if (it == streams_.end()) return std::unexpected(NotFound(name));
  return it->second;
}

Result<std::shared_ptr<Stream>> Registry::Find(std::string_view name) const {
  std::lock_guard lock(mutex_);
  return FindLocked(name);
}

Result<StreamView> Registry::Describe(std::string_view name) const {
  auto stream = Find(name);
  if (!stream) return std::unexpected(stream.error());
  return StreamView{(*stream)->config(), (*stream)->meta(), Arn(name)};
}

std::vector<std::pair<std::string, std::shared_ptr<Stream>>> Registry::Streams() const {
  std::lock_guard lock(mutex_);
  return {streams_.begin(), streams_.end()};
}

std::vector<std::string> Registry::Names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  names.reserve(streams_.size());
  for (const auto& [name, stream] : streams_) names.push_back(name);
  return names;
}

Status Registry::UpdateDestination(std::string_view name, std::string_view current_version_id,
                                   std::string_view destination_id,
                                   const config::S3DestinationUpdate& update) {
  std::lock_guard lock(mutex_);
  auto stream = FindLocked(name);
  if (!stream) return std::unexpected(stream.error());
  StreamMeta meta = (*stream)->meta();
  if (current_version_id != std::to_string(meta.version)) {
    return Fail(ErrorCode::kConflict,
                "CurrentDeliveryStreamVersionId " + std::string(current_version_id) +
                    " does not match the current version " + std::to_string(meta.version) +
                    " of " + std::string(name) + "; describe the stream and retry");
  }
  if (destination_id != "destinationId-000000000001") {
    return Fail(ErrorCode::kInvalidArgument,
                "DestinationId " + std::string(destination_id) + " is not a destination of " +
                    std::string(name) + "; its only destination is destinationId-000000000001");
  }
  config::StreamConfig config = (*stream)->config();
  if (auto applied = config::ApplyUpdate(config.destination, update); !applied) return applied;
  if (auto runnable = CheckRunnable(config); !runnable) return runnable;
  ++meta.version;
  meta.last_update_ms = options_.context.clock->NowMs();
  return Replace(**stream, std::move(config), meta);
}

Status Registry::Delete(std::string_view name) {
  std::shared_ptr<Stream> stream;
  {
    std::lock_guard lock(mutex_);
    auto found = FindLocked(name);
    if (!found) return std::unexpected(found.error());
    stream = std::move(*found);
    streams_.erase(streams_.find(name));
    std::error_code ec;
    // The state file goes first so that a crash from here on never brings the stream back.
    fs::remove(StreamDir(name) / kStateFile, ec);
    if (ec) Log(LogLevel::kWarn, "registry", "cannot remove state of " + std::string(name) + ": " + ec.message());
  }
  stream->Close(Stream::Drain::kAll);
  std::error_code ec;
  fs::remove_all(StreamDir(name), ec);
  Log(LogLevel::kInfo, "registry", "deleted delivery stream " + std::string(name));
  return {};
}

Status Registry::Tag(std::string_view name, const std::vector<config::Tag>& tags) {
  std::lock_guard lock(mutex_);
  auto stream = FindLocked(name);
  if (!stream) return std::unexpected(stream.error());
  config::StreamConfig config = (*stream)->config();
  for (const auto& tag : tags) {
    auto it = std::find_if(config.tags.begin(), config.tags.end(),
                           [&](const config::Tag& t) { return t.key == tag.key; });
    if (it != config.tags.end()) {
      it->value = tag.value;
    } else {
      config.tags.push_back(tag);
    }
  }
  if (config.tags.size() > kMaxTagsPerStream) {
    return Fail(ErrorCode::kLimitExceeded,
                "a delivery stream can have at most " + std::to_string(kMaxTagsPerStream) +
                    " tags; " + std::string(name) + " would have " +
                    std::to_string(config.tags.size()));
  }
  return Replace(**stream, std::move(config), (*stream)->meta());
}

Status Registry::Untag(std::string_view name, const std::vector<std::string>& keys) {
  std::lock_guard lock(mutex_);
  auto stream = FindLocked(name);
  if (!stream) return std::unexpected(stream.error());
  config::StreamConfig config = (*stream)->config();
  std::erase_if(config.tags, [&](const config::Tag& tag) {
    return std::find(keys.begin(), keys.end(), tag.key) != keys.end();
  });
  return Replace(**stream, std::move(config), (*stream)->meta());
}

Result<std::vector<config::Tag>> Registry::Tags(std::string_view name) const {
  auto stream = Find(name);
  if (!stream) return std::unexpected(stream.error());
  return (*stream)->config().tags;
}

void Registry::Shutdown() {
  std::map<std::string, std::shared_ptr<Stream>, std::less<>> streams;
  {
    std::lock_guard lock(mutex_);
    streams.swap(streams_);
  }
  for (auto& [name, stream] : streams) stream->Close(Stream::Drain::kDue);
}

}  // namespace sluice::streams
