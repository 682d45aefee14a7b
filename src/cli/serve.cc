#include "cli/serve.h"

#include <signal.h>
#include <simdjson.h>

#include <charconv>
#include <cstdio>
#include <filesystem>

#include "api/firehose_service.h"
#include "api/http_server.h"
#include "config/server_config.h"
#include "config/stream_config.h"
#include "core/clock.h"
#include "core/log.h"
#include "sinks/bucket/local_bucket_store.h"
#include "lambda/invoke_client.h"
#include "sinks/s3/bucket_router.h"
#include "sinks/s3/credentials.h"
#include "sinks/s3/s3_bucket_store.h"
#include "streams/registry.h"

namespace sluice::cli {
namespace {

struct ListenAddress {
  std::string host;
  uint16_t port;
};

Result<ListenAddress> ParseListen(std::string_view text) {
  const auto colon = text.rfind(':');
  const auto invalid = [&] {
    return InvalidArgument("listen address \"" + std::string(text) +
                           "\" must be HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:4573");
  };
  if (colon == std::string_view::npos || colon == 0) return invalid();
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) return invalid();
  return ListenAddress{std::string(host), static_cast<uint16_t>(port)};
}

int Failure(std::string_view what, const Error& error) {
  std::fprintf(stderr, "sluice: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               error.message.c_str());
  return 1;
}

// Buckets mapped to S3 in the config go to their S3 store; every other bucket to the embedded
// local store under <data-dir>/buckets.
Result<std::unique_ptr<sinks::Sink>> MakeBucketSink(const config::ServerConfig& config) {
  sinks::s3::BucketRouter::Routes routes;
  for (const auto& [bucket, s3] : config.buckets) {
    sinks::s3::S3StoreOptions options;
    options.endpoint = s3.endpoint;
    options.region = s3.region;
    options.path_style = s3.path_style;
    if (!s3.access_key_id.empty()) {
      options.credentials = sinks::s3::Credentials{s3.access_key_id, s3.secret_access_key, ""};
    }
    options.part_size_bytes = s3.part_size_bytes;
    auto store = sinks::s3::S3BucketStore::Create(options);
    if (!store) {
      return Fail(store.error().code, "bucket " + bucket + ": " + store.error().message);
    }
    routes.emplace(bucket, std::move(*store));
  }
  return std::make_unique<sinks::s3::BucketRouter>(
      std::move(routes), std::make_unique<sinks::LocalBucketStore>(config.data_dir / "buckets"));
}

// The Lambda processors' invoker when the config names a Lambda endpoint; empty otherwise.
Result<processors::LambdaInvoker> MakeLambdaInvoker(const config::ServerConfig& config) {
  if (config.lambda_endpoint.empty()) return processors::LambdaInvoker();
  std::optional<sinks::s3::Credentials> configured;
  if (!config.lambda_access_key_id.empty()) {
    configured = sinks::s3::Credentials{config.lambda_access_key_id, config.lambda_secret_access_key, ""};
  }
  auto credentials = sinks::s3::ResolveCredentials(configured);
  if (!credentials) return Fail(credentials.error().code, "lambda: " + credentials.error().message);
  return lambda::MakeInvoker({config.lambda_endpoint, config.lambda_region, std::move(*credentials)},
                             sinks::s3::MakeCurlTransport({}));
}

int WaitForStopSignal(const sigset_t& signals) {
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  return signal_number;
}

}  // namespace

int Serve(const ServeFlags& flags) {
  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  config::ServerConfig server_config;
  if (flags.config_file) {
    auto loaded = config::LoadServerConfig(*flags.config_file);
    if (!loaded) return Failure("invalid config", loaded.error());
    server_config = std::move(*loaded);
  }
  if (flags.listen) server_config.listen = *flags.listen;
  if (flags.data_dir) server_config.data_dir = *flags.data_dir;
  auto listen = ParseListen(server_config.listen);
  if (!listen) return Failure("invalid --listen", listen.error());

  const std::filesystem::path data_dir = server_config.data_dir;
  auto bucket_sink = MakeBucketSink(server_config);
  if (!bucket_sink) return Failure("invalid bucket mapping", bucket_sink.error());
  streams::RegistryOptions options;
  options.data_dir = data_dir;
  options.region = server_config.region;
  options.account_id = server_config.account_id;
  options.max_streams = server_config.max_streams;
  options.context.clock = &SystemClock::Instance();
  options.context.sink = bucket_sink->get();
  options.context.wal.segment_bytes = server_config.wal_segment_bytes;
  options.context.wal.quota_bytes = server_config.stream_disk_quota_bytes;
  options.context.retry_duration_ms = server_config.delivery_retry_duration_s * 1000;
  options.context.catalog = &server_config.catalog;
  options.context.max_active_partitions = server_config.max_active_partitions;
  options.context.codec_settings = {server_config.deflate_level, server_config.zstd_level, server_config.gzip_threads,
                                    server_config.zstd_threads};
  auto invoke_lambda = MakeLambdaInvoker(server_config);
  if (!invoke_lambda) return Failure("invalid lambda settings", invoke_lambda.error());
  options.context.invoke_lambda = std::move(*invoke_lambda);
  options.context.wal.durability = server_config.wal_durability == config::WalDurability::kFsync
                                       ? wal::Durability::kFsync
                                       : wal::Durability::kOs;
  auto registry = streams::Registry::Open(std::move(options));
  if (!registry) return Failure("cannot open data directory " + data_dir.string(), registry.error());
  for (const auto& create_json : server_config.streams) {
    simdjson::dom::parser parser;
    simdjson::dom::element body;
    if (parser.parse(create_json).get(body) != simdjson::SUCCESS) {
      return Failure("config file", Error{ErrorCode::kInternal, "a converted stream is not JSON"});
    }
    auto stream = config::ParseCreateDeliveryStream(body);
    if (!stream) return Failure("invalid stream in the config file", stream.error());
    const std::string name = stream->name;
    if (auto defined = (*registry)->Define(std::move(*stream)); !defined) {
      return Failure("cannot define stream " + name + " from the config file", defined.error());
    }
  }

  api::FirehoseService service(**registry, SystemClock::Instance());
  api::HttpServerOptions http_options;
  http_options.host = listen->host;
  http_options.port = listen->port;
  http_options.threads = server_config.api_threads;
  api::HttpServer server(
      http_options,
      [&service](api::HttpRequest&& request, api::Respond respond) {
        service.Handle(std::move(request), std::move(respond));
      },
      &api::FirehoseService::BodyTooLarge);
  if (auto started = server.Start(); !started) return Failure("cannot start the API", started.error());
  Log(LogLevel::kInfo, "serve",
      "listening on " + listen->host + ":" + std::to_string(server.port()) + ", data in " +
          std::filesystem::absolute(data_dir).string());

  const int signal_number = WaitForStopSignal(signals);
  Log(LogLevel::kInfo, "serve",
      std::string("received ") + (signal_number == SIGTERM ? "SIGTERM" : "SIGINT") +
          ": draining (no new connections; answering requests in flight; delivering what is due)");
  server.Stop();
  (*registry)->Shutdown();
  Log(LogLevel::kInfo, "serve", "stopped");
  return 0;
}

}  // namespace sluice::cli
