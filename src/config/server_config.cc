#include "config/server_config.h"

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>
#include <type_traits>

#include <simdjson.h>
#include <yaml-cpp/yaml.h>

#include "config/stream_config.h"
#include "config/yaml_json.h"

namespace sluice::config {
namespace {

constexpr uint64_t kMiB = 1ull << 20;

// Where a value sits in the file, for messages.
struct Where {
  std::string_view source;
  std::string key;
  int line;

  std::unexpected<Error> Fail(const std::string& problem) const {
    return InvalidArgument(std::string(source) + ":" + std::to_string(line) + ": " + key + " " +
                           problem);
  }
};

std::string Describe(const YAML::Node& node) {
  if (node.IsScalar()) return "\"" + node.Scalar() + "\"";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "nothing";
}

Result<std::string> Text(const YAML::Node& node, const Where& where) {
  if (!node.IsScalar()) return where.Fail("must be a single value, got " + Describe(node));
  return node.Scalar();
}

Result<uint64_t> Integer(const YAML::Node& node, const Where& where, uint64_t min, uint64_t max) {
  const std::string rule =
      "must be an integer between " + std::to_string(min) + " and " + std::to_string(max);
  if (!node.IsScalar()) return where.Fail(rule + ", got " + Describe(node));
  const std::string& text = node.Scalar();
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return where.Fail(rule + ", got " + Describe(node));
  }
  return value;
}

Status CheckListen(const std::string& listen, const Where& where) {
  const size_t colon = listen.rfind(':');
  const std::string rule = "must be <host>:<port> (port 0-65535, IPv6 hosts in brackets), got \"" +
                           listen + "\"";
  if (colon == std::string::npos || colon == 0) return where.Fail(rule);
  const std::string_view port = std::string_view(listen).substr(colon + 1);
  unsigned number = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || number > 65535) {
    return where.Fail(rule);
  }
  const std::string_view host = std::string_view(listen).substr(0, colon);
  const bool bracketed = host.front() == '[' && host.back() == ']';
  if (!bracketed && host.find(':') != std::string_view::npos) return where.Fail(rule);
  return {};
}

Status ApplyStreams(const YAML::Node& node, const Where& where, ServerConfig& config) {
  if (node.IsNull()) return {};
  if (!node.IsSequence()) {
    return where.Fail("must be a list of CreateDeliveryStream inputs, got " + Describe(node));
  }
  std::set<std::string, std::less<>> names;
  simdjson::dom::parser parser;
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node entry = node[i];
    const std::string path = "streams[" + std::to_string(i) + "]";
    const Where at{where.source, path, entry.Mark().line + 1};
    if (!entry.IsMap()) {
      return at.Fail("must be a mapping (a CreateDeliveryStream input), got " + Describe(entry));
    }
    auto json = YamlToJson(entry);
    if (!json) return at.Fail(json.error().message);
    simdjson::dom::element body;
    if (auto error = parser.parse(*json).get(body); error != simdjson::SUCCESS) {
      return at.Fail(std::string("could not be converted to JSON: ") +
                     simdjson::error_message(error));
    }
    auto stream = ParseCreateDeliveryStream(body, path);
    if (!stream) {
      return InvalidArgument(std::string(where.source) + ":" + std::to_string(at.line) + ": " +
                             stream.error().message);
    }
    if (!names.insert(stream->name).second) {
      const Where name_at{where.source, path + ".DeliveryStreamName", at.line};
      return name_at.Fail("\"" + stream->name +
                          "\" is already used by an earlier entry; stream names must be unique");
    }
    config.streams.push_back(std::move(*json));
  }
  return {};
}

Status CheckRegion(const std::string& text, const Where& at) {
  if (text.empty() || text.size() > 32 ||
      text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
    return at.Fail("must be 1-32 characters of [a-z0-9-], got \"" + text + "\"");
  }
  return {};
}

Status CheckEndpoint(const std::string& text, const Where& at) {
  const std::string_view url = text;
  const size_t scheme_end = url.find("://");
  std::string_view host = scheme_end == std::string_view::npos ? "" : url.substr(scheme_end + 3);
  if (host.ends_with('/')) host.remove_suffix(1);
  const std::string_view scheme = url.substr(0, scheme_end);
  if ((scheme != "http" && scheme != "https") || host.empty() ||
      host.find_first_of("/?#@ ") != std::string_view::npos) {
    return at.Fail("must be http://host[:port] or https://host[:port], got \"" + text + "\"");
  }
  return {};
}

// A text key whose value `check` accepts, stored in `ServerConfig::*member`.
template <std::string ServerConfig::*member>
Status ApplyText(const YAML::Node& node, const Where& where, ServerConfig& config,
                 Status (*check)(const std::string&, const Where&)) {
  auto text = Text(node, where);
  if (!text) return std::unexpected(text.error());
  if (check != nullptr) {
    if (auto ok = check(*text, where); !ok) return ok;
  }
  config.*member = std::move(*text);
  return {};
}

// The `s3:` mapping of one bucket; `path` is "buckets.<name>.s3".
Status ApplyS3Bucket(const YAML::Node& node, const Where& where, S3BucketConfig& bucket) {
  if (!node.IsMap()) return where.Fail("must be a mapping, got " + Describe(node));
  static constexpr std::string_view kKeys =
      "access_key_id, endpoint, part_size_mb, path_style, region, secret_access_key";
  std::set<std::string> seen;
  for (const auto& item : node) {
    const std::string name = item.first.IsScalar() ? item.first.Scalar() : "";
    const Where at{where.source, where.key + "." + name, item.first.Mark().line + 1};
    if (!seen.insert(name).second) return at.Fail("is given twice");
    if (name == "access_key_id" || name == "secret_access_key" || name == "region" ||
        name == "endpoint") {
      auto text = Text(item.second, at);
      if (!text) return std::unexpected(text.error());
      if (name == "access_key_id") bucket.access_key_id = std::move(*text);
      if (name == "secret_access_key") bucket.secret_access_key = std::move(*text);
      if (name == "region") {
        if (auto ok = CheckRegion(*text, at); !ok) return ok;
        bucket.region = std::move(*text);
      }
      if (name == "endpoint") {
        if (auto ok = CheckEndpoint(*text, at); !ok) return ok;
        bucket.endpoint = std::move(*text);
      }
    } else if (name == "path_style") {
      auto text = Text(item.second, at);
      if (!text) return std::unexpected(text.error());
      if (*text != "true" && *text != "false") {
        return at.Fail("must be true or false, got \"" + *text + "\"");
      }
      bucket.path_style = *text == "true";
    } else if (name == "part_size_mb") {
      auto value = Integer(item.second, at, 5, 5120);
      if (!value) return std::unexpected(value.error());
      bucket.part_size_bytes = *value * kMiB;
    } else {
      return InvalidArgument(std::string(where.source) + ":" + std::to_string(at.line) +
                             ": unknown key \"" + at.key + "\" (known keys in " + where.key +
                             ": " + std::string(kKeys) + ")");
    }
  }
  if (bucket.access_key_id.empty() != bucket.secret_access_key.empty()) {
    return where.Fail("must give access_key_id and secret_access_key together, or neither");
  }
  return {};
}

Status ApplyBuckets(const YAML::Node& node, const Where& where, ServerConfig& config) {
  if (node.IsNull()) return {};
  if (!node.IsMap()) {
    return where.Fail("must be a mapping of bucket names to {s3: ...}, got " + Describe(node));
  }
  for (const auto& item : node) {
    const std::string name = item.first.IsScalar() ? item.first.Scalar() : "";
    const Where at{where.source, "buckets." + name, item.first.Mark().line + 1};
    if (name.empty() || name.size() > 255 ||
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
            std::string::npos) {
      return InvalidArgument(std::string(where.source) + ":" + std::to_string(at.line) +
                             ": buckets key \"" + name +
                             "\" must be a bucket name of 1-255 characters of [a-zA-Z0-9_.-]");
    }
    if (config.buckets.contains(name)) return at.Fail("is given twice");
    if (!item.second.IsMap()) return at.Fail("must be a mapping, got " + Describe(item.second));
    S3BucketConfig bucket;
    bool has_s3 = false;
    for (const auto& kind : item.second) {
      const std::string kind_name = kind.first.IsScalar() ? kind.first.Scalar() : "";
      const Where kind_at{where.source, at.key + "." + kind_name, kind.first.Mark().line + 1};
      if (kind_name != "s3") {
        return InvalidArgument(std::string(where.source) + ":" + std::to_string(kind_at.line) +
                               ": unknown key \"" + kind_at.key + "\" (known keys in " + at.key +
                               ": s3)");
      }
      if (auto ok = ApplyS3Bucket(kind.second, kind_at, bucket); !ok) return ok;
      has_s3 = true;
    }
    if (!has_s3) return at.Fail("must have an s3 mapping");
    config.buckets.emplace(name, std::move(bucket));
  }
  return {};
}

using Apply = Status (*)(const YAML::Node&, const Where&, ServerConfig&);

// The Apply of an integer key: a value in [kMin, kMax], stored times kScale in `kField`.
template <auto kField, uint64_t kMin, uint64_t kMax, uint64_t kScale = 1>
Status SetInteger(const YAML::Node& node, const Where& where, ServerConfig& config) {
  auto value = Integer(node, where, kMin, kMax);
  if (!value) return std::unexpected(value.error());
  using Field = std::remove_reference_t<decltype(config.*kField)>;
  config.*kField = static_cast<Field>(*value * kScale);
  return {};
}

struct Entry {
  ServerConfigKey key;
  Apply apply;
};

const Entry kEntries[] = {
    {{"listen", "127.0.0.1:4573", "<host>:<port>, port 0-65535 (0: any free port)",
      "Address of the Firehose-compatible HTTP API."},
     [](const YAML::Node& node, const Where& where, ServerConfig& config) -> Status {
       auto text = Text(node, where);
       if (!text) return std::unexpected(text.error());
       if (auto ok = CheckListen(*text, where); !ok) return ok;
       config.listen = std::move(*text);
       return {};
     }},
    {{"data_dir", "sluice-data", "a directory path (relative paths: from the working directory)",
      "Where stream logs and stream definitions are kept."},
     [](const YAML::Node& node, const Where& where, ServerConfig& config) -> Status {
       auto text = Text(node, where);
       if (!text) return std::unexpected(text.error());
       if (text->empty()) return where.Fail("must not be empty");
       config.data_dir = std::move(*text);
       return {};
     }},
    {{"region", "us-east-1", "1-32 characters of [a-z0-9-]",
      "Region reported in stream ARNs and expected in SigV4 credential scopes."},
     [](const YAML::Node& node, const Where& where, ServerConfig& config) -> Status {
       auto text = Text(node, where);
       if (!text) return std::unexpected(text.error());
       if (text->empty() || text->size() > 32 ||
           text->find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
         return where.Fail("must be 1-32 characters of [a-z0-9-], got \"" + *text + "\"");
       }
       config.region = std::move(*text);
       return {};
     }},
    {{"account_id", "000000000000", "exactly 12 digits",
      "Account id reported in stream ARNs and error messages."},
     [](const YAML::Node& node, const Where& where, ServerConfig& config) -> Status {
       auto text = Text(node, where);
       if (!text) return std::unexpected(text.error());
       if (text->size() != 12 || text->find_first_not_of("0123456789") != std::string::npos) {
         return where.Fail("must be exactly 12 digits, got \"" + *text + "\"");
       }
       config.account_id = std::move(*text);
       return {};
     }},
    {{"api_threads", "0", "0-1024", "Threads serving the API; 0 means one per CPU core."},
     SetInteger<&ServerConfig::api_threads, 0, 1024>},
    {{"max_streams", "5000", "1-1000000",
      "Most delivery streams that may exist; CreateDeliveryStream beyond it gets "
      "LimitExceededException."},
     SetInteger<&ServerConfig::max_streams, 1, 1'000'000>},
    {{"wal.durability", "fsync", "fsync | os",
      "When a put is acknowledged: after fdatasync (fsync) or once in the page cache (os)."},
     [](const YAML::Node& node, const Where& where, ServerConfig& config) -> Status {
       auto text = Text(node, where);
       if (!text) return std::unexpected(text.error());
       if (*text == "fsync") {
         config.wal_durability = WalDurability::kFsync;
       } else if (*text == "os") {
         config.wal_durability = WalDurability::kOs;
       } else {
         return where.Fail("must be one of fsync, os, got \"" + *text + "\"");
       }
       return {};
     }},
    {{"wal.segment_mb", "64", "1-1024", "Size in MiB at which a stream's log starts a new segment."},
     SetInteger<&ServerConfig::wal_segment_bytes, 1, 1024, kMiB>},
    {{"wal.stream_quota_mb", "10240", "1-16777216, and at least wal.segment_mb",
      "Disk space in MiB one stream's log may use; at the quota puts get "
      "ServiceUnavailableException."},
     SetInteger<&ServerConfig::stream_disk_quota_bytes, 1, 16'777'216, kMiB>},
    {{"compression.gzip_level", "6", "1-12",
      "libdeflate level of GZIP and ZIP objects: 1 is fastest, 12 smallest (6 is zlib's default)."},
     SetInteger<&ServerConfig::deflate_level, 1, 12>},
    {{"compression.gzip_threads", "2", "1-64",
      "Threads that compress the 8 MiB gzip members of one GZIP object at once (one of them the "
      "stream's delivery thread); the object's bytes are the same for any number."},
     SetInteger<&ServerConfig::gzip_threads, 1, 64>},
    {{"compression.zstd_level", "3", "1-19", "zstd level of ZSTD objects (3 is zstd's default)."},
     SetInteger<&ServerConfig::zstd_level, 1, 19>},
    {{"compression.zstd_threads", "2", "1-64",
      "Worker threads that compress one ZSTD object at once (libzstd's multithreaded mode; 1: the "
      "stream's delivery thread alone). The bytes are the same for any number above 1."},
     SetInteger<&ServerConfig::zstd_threads, 1, 64>},
    {{"delivery.max_active_partitions", "500", "1-100000",
      "Dynamic partitioning: the most partitions of one stream buffering records at once; records of "
      "further partitions go to the error output as partitioning-failed (Firehose's default limit is 500)."},
     SetInteger<&ServerConfig::max_active_partitions, 1, 100'000>},
    {{"delivery.retry_duration_s", "86400", "0-604800",
      "How long a batch is retried after retryable failures (timeouts, 5xx, throttling) before its "
      "records go to the error output; permanent failures go there at once."},
     SetInteger<&ServerConfig::delivery_retry_duration_s, 0, 604'800>},
    {{"lambda.endpoint", "", "http(s)://host[:port]",
      "Lambda Invoke API endpoint for Lambda processors (AWS: https://lambda.<region>.amazonaws.com; "
      "locally e.g. serverless-offline). Without it, streams with a Lambda processor are refused."},
     [](const YAML::Node& node, const Where& where, ServerConfig& config) -> Status {
       return ApplyText<&ServerConfig::lambda_endpoint>(node, where, config, &CheckEndpoint);
     }},
    {{"lambda.region", "us-east-1", "1-32 characters of [a-z0-9-]", "Region of the Lambda SigV4 signature."},
     [](const YAML::Node& node, const Where& where, ServerConfig& config) -> Status {
       return ApplyText<&ServerConfig::lambda_region>(node, where, config, &CheckRegion);
     }},
    {{"lambda.access_key_id", "", "with lambda.secret_access_key",
      "Credentials for Lambda; without them AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / "
      "AWS_SESSION_TOKEN or ~/.aws/credentials are used."},
     [](const YAML::Node& node, const Where& where, ServerConfig& config) -> Status {
       return ApplyText<&ServerConfig::lambda_access_key_id>(node, where, config, nullptr);
     }},
    {{"lambda.secret_access_key", "", "with lambda.access_key_id", "See lambda.access_key_id."},
     [](const YAML::Node& node, const Where& where, ServerConfig& config) -> Status {
       return ApplyText<&ServerConfig::lambda_secret_access_key>(node, where, config, nullptr);
     }},
    {{"buckets", "{}", "a mapping of bucket name to {s3: {...}}",
      "Buckets delivered to an S3-compatible endpoint instead of the embedded local store."},
     ApplyBuckets},
    {{"catalog", "{}", "database -> table -> {columns: [{name, type}]}",
      "Tables for DataFormatConversionConfiguration (SchemaConfiguration DatabaseName/TableName), "
      "with Hive column types; docs/formats.md."},
     [](const YAML::Node& node, const Where& where, ServerConfig& config) -> Status {
       auto catalog = ParseCatalog(node, where.source);
       if (!catalog) return std::unexpected(catalog.error());
       config.catalog = std::move(*catalog);
       return {};
     }},
    {{"streams", "[]", "a list of CreateDeliveryStream inputs, at most max_streams",
      "Streams created at start-up if they do not exist yet, validated like the API's "
      "CreateDeliveryStream."},
     ApplyStreams},
};

const Entry* FindEntry(std::string_view name) {
  for (const Entry& entry : kEntries) {
    if (entry.key.name == name) return &entry;
  }
  return nullptr;
}

// The names one level below `prefix` ("" or "wal."), for "unknown key" messages.
std::string KnownKeysUnder(std::string_view prefix) {
  std::set<std::string_view> names;
  for (const Entry& entry : kEntries) {
    if (!entry.key.name.starts_with(prefix)) continue;
    std::string_view rest = entry.key.name.substr(prefix.size());
    names.insert(rest.substr(0, rest.find('.')));
  }
  std::string out;
  for (const std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

bool IsSection(std::string_view name) {
  const std::string prefix = std::string(name) + ".";
  for (const Entry& entry : kEntries) {
    if (entry.key.name.starts_with(prefix)) return true;
  }
  return false;
}

Status ApplyMapping(const YAML::Node& map, std::string_view prefix, std::string_view source,
                    ServerConfig& config) {
  std::set<std::string> seen;
  for (const auto& item : map) {
    const int line = item.first.Mark().line + 1;
    if (!item.first.IsScalar()) {
      return InvalidArgument(std::string(source) + ":" + std::to_string(line) +
                             ": keys must be plain names");
    }
    const std::string name = std::string(prefix) + item.first.Scalar();
    const Where where{source, name, line};
    if (!seen.insert(name).second) return where.Fail("is given twice");
    if (const Entry* entry = FindEntry(name)) {
      if (auto ok = entry->apply(item.second, where, config); !ok) return ok;
    } else if (IsSection(name)) {
      if (item.second.IsNull()) continue;
      if (!item.second.IsMap()) return where.Fail("must be a mapping, got " + Describe(item.second));
      if (auto ok = ApplyMapping(item.second, name + ".", source, config); !ok) return ok;
    } else {
      return InvalidArgument(std::string(source) + ":" + std::to_string(line) +
                             ": unknown key \"" + name + "\" (known keys" +
                             (prefix.empty() ? std::string() : " in " + std::string(prefix, 0, prefix.size() - 1)) +
                             ": " + KnownKeysUnder(prefix) + ")");
    }
  }
  return {};
}

}  // namespace

std::span<const ServerConfigKey> ServerConfigKeys() {
  static const std::vector<ServerConfigKey> keys = [] {
    std::vector<ServerConfigKey> out;
    for (const Entry& entry : kEntries) out.push_back(entry.key);
    return out;
  }();
  return keys;
}

Result<ServerConfig> ParseServerConfig(std::string_view yaml_text, std::string_view source_name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return InvalidArgument(std::string(source_name) + ":" + std::to_string(e.mark.line + 1) +
                           ": not valid YAML: " + e.msg);
  }
  ServerConfig config;
  if (root.IsNull()) return config;
  if (!root.IsMap()) {
    return InvalidArgument(std::string(source_name) +
                           ": the top level must be a mapping of keys to values");
  }
  try {
    if (auto ok = ApplyMapping(root, "", source_name, config); !ok) {
      return std::unexpected(ok.error());
    }
  } catch (const YAML::Exception& e) {
    return InvalidArgument(std::string(source_name) + ":" + std::to_string(e.mark.line + 1) +
                           ": " + e.msg);
  }
  if (config.stream_disk_quota_bytes < config.wal_segment_bytes) {
    return InvalidArgument(std::string(source_name) + ": wal.stream_quota_mb (" +
                           std::to_string(config.stream_disk_quota_bytes / kMiB) +
                           ") must be at least wal.segment_mb (" +
                           std::to_string(config.wal_segment_bytes / kMiB) + ")");
  }
  if (config.lambda_access_key_id.empty() != config.lambda_secret_access_key.empty()) {
    return InvalidArgument(std::string(source_name) +
                           ": lambda.access_key_id and lambda.secret_access_key go together, or neither");
  }
  if (config.streams.size() > config.max_streams) {
    return InvalidArgument(std::string(source_name) + ": streams lists " +
                           std::to_string(config.streams.size()) +
                           " streams, more than max_streams (" +
                           std::to_string(config.max_streams) + ")");
  }
  return config;
}

Result<ServerConfig> LoadServerConfig(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return IoError("cannot open server config " + path.string(), errno);
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return IoError("cannot read server config " + path.string(), errno);
  return ParseServerConfig(text.str(), path.string());
}

}  // namespace sluice::config
