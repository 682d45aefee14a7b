#include "config/server_config.h"

#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::config {
namespace {

using ::testing::HasSubstr;

std::string ParseError(std::string_view yaml) {
  auto config = ParseServerConfig(yaml, "test.yaml");
  EXPECT_FALSE(config.has_value()) << yaml;
  if (config) return "";
  EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument);
  return config.error().message;
}

constexpr std::string_view kStream = R"(
  - DeliveryStreamName: s1
    ExtendedS3DestinationConfiguration:
      RoleARN: arn:aws:iam::123456789012:role/fh
      BucketARN: arn:aws:s3:::bkt
)";

TEST(ServerConfigTest, EmptyFileGivesDefaults) {
  auto config = ParseServerConfig("", "test.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->listen, "127.0.0.1:4573");
  EXPECT_EQ(config->data_dir, "sluice-data");
  EXPECT_EQ(config->region, "us-east-1");
  EXPECT_EQ(config->account_id, "000000000000");
  EXPECT_EQ(config->stream_disk_quota_bytes, 10ull << 30);
  EXPECT_EQ(config->wal_segment_bytes, 64ull << 20);
  EXPECT_EQ(config->wal_durability, WalDurability::kFsync);
  EXPECT_EQ(config->api_threads, 0);
  EXPECT_EQ(config->max_streams, 5000u);
  EXPECT_TRUE(config->streams.empty());
  EXPECT_TRUE(config->buckets.empty());
}

TEST(ServerConfigTest, ReadsEveryKey) {
  auto config = ParseServerConfig(std::string(R"(
listen: "[::1]:0"
data_dir: /tmp/x
region: eu-west-1
account_id: "123456789012"
api_threads: 3
max_streams: 10
delivery:
  retry_duration_s: 60
lambda:
  endpoint: http://127.0.0.1:3002
  region: eu-west-1
  access_key_id: AK
  secret_access_key: SK
wal:
  durability: os
  segment_mb: 1
  stream_quota_mb: 2
streams:)") + std::string(kStream),
                                  "test.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->listen, "[::1]:0");
  EXPECT_EQ(config->data_dir, "/tmp/x");
  EXPECT_EQ(config->region, "eu-west-1");
  EXPECT_EQ(config->account_id, "123456789012");
  EXPECT_EQ(config->api_threads, 3);
  EXPECT_EQ(config->max_streams, 10u);
  EXPECT_EQ(config->delivery_retry_duration_s, 60);
  EXPECT_EQ(config->lambda_endpoint, "http://127.0.0.1:3002");
  EXPECT_EQ(config->lambda_region, "eu-west-1");
  EXPECT_EQ(config->lambda_access_key_id, "AK");
  EXPECT_EQ(config->lambda_secret_access_key, "SK");
  EXPECT_EQ(config->wal_durability, WalDurability::kOs);
  EXPECT_EQ(config->wal_segment_bytes, 1u << 20);
  EXPECT_EQ(config->stream_disk_quota_bytes, 2u << 20);
  ASSERT_EQ(config->streams.size(), 1u);
  EXPECT_EQ(config->streams[0],
            R"({"DeliveryStreamName":"s1","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/fh","BucketARN":"arn:aws:s3:::bkt"}})");
}

TEST(ServerConfigTest, UnknownKeysNameKeyAndLine) {
  EXPECT_EQ(ParseError("region: us-east-1\nlisten_addr: x\n"),
            "test.yaml:2: unknown key \"listen_addr\" (known keys: account_id, api_threads, "
            "buckets, catalog, compression, data_dir, delivery, lambda, listen, max_streams, region, streams, wal)");
  EXPECT_EQ(ParseError("wal:\n  durability: os\n  segments: 3\n"),
            "test.yaml:3: unknown key \"wal.segments\" (known keys in wal: durability, "
            "segment_mb, stream_quota_mb)");
}

TEST(ServerConfigTest, CompressionLevels) {
  auto config = ParseServerConfig("compression:\n  gzip_level: 1\n  zstd_level: 19\n  gzip_threads: 1\n", "test.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->deflate_level, 1);
  EXPECT_EQ(config->zstd_level, 19);
  EXPECT_EQ(config->gzip_threads, 1);
  EXPECT_EQ(ParseServerConfig("", "test.yaml")->gzip_threads, 2);
  EXPECT_EQ(ParseServerConfig("", "test.yaml")->zstd_threads, 2);
  EXPECT_EQ(ParseServerConfig("compression:\n  zstd_threads: 1\n", "test.yaml")->zstd_threads, 1);
  EXPECT_EQ(ParseError("compression:\n  zstd_threads: 65\n"),
            "test.yaml:2: compression.zstd_threads must be an integer between 1 and 64, got \"65\"");
  EXPECT_EQ(ParseError("compression:\n  gzip_threads: 0\n"),
            "test.yaml:2: compression.gzip_threads must be an integer between 1 and 64, got \"0\"");
  EXPECT_EQ(ParseError("compression:\n  gzip_level: 13\n"),
            "test.yaml:2: compression.gzip_level must be an integer between 1 and 12, got \"13\"");
}

TEST(ServerConfigTest, BadValuesNameKeyLineAndRule) {
  EXPECT_EQ(ParseError("api_threads: four\n"),
            "test.yaml:1: api_threads must be an integer between 0 and 1024, got \"four\"");
  EXPECT_EQ(ParseError("\napi_threads: [1]\n"),
            "test.yaml:2: api_threads must be an integer between 0 and 1024, got a list");
  EXPECT_THAT(ParseError("api_threads: -1\n"), HasSubstr("test.yaml:1: api_threads"));
  EXPECT_THAT(ParseError("max_streams: 0\n"), HasSubstr("max_streams must be an integer between 1"));
  EXPECT_THAT(ParseError("listen: 4573\n"), HasSubstr("test.yaml:1: listen must be <host>:<port>"));
  EXPECT_THAT(ParseError("listen: localhost:70000\n"), HasSubstr("listen must be"));
  EXPECT_THAT(ParseError("listen: ::1:80\n"), HasSubstr("IPv6 hosts in brackets"));
  EXPECT_THAT(ParseError("listen: {a: 1}\n"), HasSubstr("listen must be a single value, got a mapping"));
  EXPECT_THAT(ParseError("data_dir: \"\"\n"), HasSubstr("data_dir must not be empty"));
  EXPECT_THAT(ParseError("region: US_EAST\n"), HasSubstr("region must be 1-32 characters"));
  EXPECT_THAT(ParseError("account_id: 1234\n"), HasSubstr("account_id must be exactly 12 digits"));
  EXPECT_THAT(ParseError("wal:\n  durability: never\n"),
              HasSubstr("test.yaml:2: wal.durability must be one of fsync, os, got \"never\""));
  EXPECT_THAT(ParseError("wal: fast\n"), HasSubstr("test.yaml:1: wal must be a mapping"));
  EXPECT_THAT(ParseError("wal:\n  segment_mb: 2048\n"), HasSubstr("wal.segment_mb must be"));
  EXPECT_THAT(ParseError("wal:\n  stream_quota_mb: 0\n"), HasSubstr("wal.stream_quota_mb must be"));
  EXPECT_EQ(ParseError("wal:\n  segment_mb: 64\n  stream_quota_mb: 32\n"),
            "test.yaml: wal.stream_quota_mb (32) must be at least wal.segment_mb (64)");
  EXPECT_THAT(ParseError("region: a\nregion: b\n"), HasSubstr("test.yaml:2: region is given twice"));
  EXPECT_THAT(ParseError("lambda:\n  endpoint: lambda.local\n"),
              HasSubstr("test.yaml:2: lambda.endpoint must be http://host[:port] or https://host[:port]"));
  EXPECT_THAT(ParseError("lambda:\n  access_key_id: AK\n"),
              HasSubstr("lambda.access_key_id and lambda.secret_access_key go together"));
  EXPECT_THAT(ParseError("delivery:\n  retry_duration_s: 604801\n"),
              HasSubstr("test.yaml:2: delivery.retry_duration_s must be an integer between 0 and 604800"));
}

TEST(ServerConfigTest, MalformedYamlAndTopLevel) {
  EXPECT_THAT(ParseError("a: [1, 2\n"), HasSubstr("not valid YAML"));
  EXPECT_THAT(ParseError("- 1\n- 2\n"), HasSubstr("top level must be a mapping"));
}

TEST(ServerConfigTest, StreamEntriesAreValidatedWithTheirPath) {
  EXPECT_EQ(ParseError(std::string("streams:") + std::string(kStream) + R"(
  - DeliveryStreamName: s2
    ExtendedS3DestinationConfiguration:
      RoleARN: arn:aws:iam::123456789012:role/fh
      BucketARN: arn:aws:s3:::bkt
      BufferingHints: {SizeInMBs: 0, IntervalInSeconds: 60}
)"),
            "test.yaml:7: streams[1].ExtendedS3DestinationConfiguration.BufferingHints.SizeInMBs "
            "must be between 1 and 128, got 0");
}

TEST(ServerConfigTest, QuotedNumbersInStreamsStayStrings) {
  EXPECT_THAT(ParseError(R"(streams:
  - DeliveryStreamName: s
    ExtendedS3DestinationConfiguration:
      RoleARN: arn:aws:iam::123456789012:role/fh
      BucketARN: arn:aws:s3:::bkt
      BufferingHints: {SizeInMBs: "5", IntervalInSeconds: 60}
)"),
              HasSubstr("streams[0].ExtendedS3DestinationConfiguration.BufferingHints.SizeInMBs "
                        "must be an integer, got string"));
}

TEST(ServerConfigTest, StreamListErrors) {
  EXPECT_THAT(ParseError("streams: {a: 1}\n"), HasSubstr("test.yaml:1: streams must be a list"));
  EXPECT_THAT(ParseError("streams:\n  - just-a-name\n"),
              HasSubstr("test.yaml:2: streams[0] must be a mapping"));
  EXPECT_THAT(ParseError("streams:\n  - {DeliveryStreamName: s}\n"),
              HasSubstr("test.yaml:2: streams[0] must have a destination"));
  EXPECT_THAT(ParseError("streams:\n  - {? [a]: 1}\n"), HasSubstr("mapping keys must be plain text"));
  EXPECT_THAT(ParseError(std::string("streams:") + std::string(kStream) + std::string(kStream)),
              HasSubstr("test.yaml:7: streams[1].DeliveryStreamName \"s1\" is already used"));
  EXPECT_EQ(ParseError(std::string("max_streams: 1\nstreams:") + std::string(kStream) +
                       R"(  - DeliveryStreamName: s2
    S3DestinationConfiguration: {RoleARN: "arn:aws:iam::123456789012:role/fh", BucketARN: "arn:aws:s3:::b"}
)"),
            "test.yaml: streams lists 2 streams, more than max_streams (1)");
}

TEST(ServerConfigTest, LoadsFileAndReportsMissingFile) {
  const std::filesystem::path dir = testing::TempDir();
  const std::filesystem::path path = dir / "sluice-config-test.yaml";
  {
    std::ofstream out(path);
    out << "region: ap-south-1\nbogus: 1\n";
  }
  auto config = LoadServerConfig(path);
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message, path.string() + ":2: unknown key \"bogus\" (known keys: "
                                                    "account_id, api_threads, buckets, catalog, compression, data_dir, delivery, lambda, listen, "
                                                    "max_streams, region, streams, wal)");
  std::filesystem::remove(path);
  auto missing = LoadServerConfig(path);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_THAT(missing.error().message, HasSubstr(path.string()));
}

TEST(ServerConfigTest, ReadsBuckets) {
  auto config = ParseServerConfig(R"(
buckets:
  analytics:
    s3:
      endpoint: http://127.0.0.1:4569
      region: eu-west-1
      path_style: true
      access_key_id: AKID
      secret_access_key: SECRET
      part_size_mb: 16
  on-aws:
    s3: {}
)",
                                  "test.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  ASSERT_EQ(config->buckets.size(), 2u);
  const S3BucketConfig& local = config->buckets.at("analytics");
  EXPECT_EQ(local.endpoint, "http://127.0.0.1:4569");
  EXPECT_EQ(local.region, "eu-west-1");
  EXPECT_TRUE(local.path_style);
  EXPECT_EQ(local.access_key_id, "AKID");
  EXPECT_EQ(local.secret_access_key, "SECRET");
  EXPECT_EQ(local.part_size_bytes, 16u << 20);
  const S3BucketConfig& aws = config->buckets.at("on-aws");
  EXPECT_EQ(aws.endpoint, "");
  EXPECT_EQ(aws.region, "us-east-1");
  EXPECT_FALSE(aws.path_style);
  EXPECT_EQ(aws.access_key_id, "");
  EXPECT_EQ(aws.part_size_bytes, 8u << 20);
}

TEST(ServerConfigTest, BucketErrorsNameKeyAndLine) {
  EXPECT_EQ(ParseError("buckets:\n  b:\n    s3:\n      regoin: x\n"),
            "test.yaml:4: unknown key \"buckets.b.s3.regoin\" (known keys in buckets.b.s3: "
            "access_key_id, endpoint, part_size_mb, path_style, region, secret_access_key)");
  EXPECT_EQ(ParseError("buckets:\n  b:\n    local: /x\n"),
            "test.yaml:3: unknown key \"buckets.b.local\" (known keys in buckets.b: s3)");
  EXPECT_EQ(ParseError("buckets:\n  b:\n    s3:\n      endpoint: 127.0.0.1:4569\n"),
            "test.yaml:4: buckets.b.s3.endpoint must be http://host[:port] or "
            "https://host[:port], got \"127.0.0.1:4569\"");
  EXPECT_THAT(ParseError("buckets:\n  b: {s3: {endpoint: \"http://h/path\"}}\n"),
              HasSubstr("buckets.b.s3.endpoint must be"));
  EXPECT_EQ(ParseError("buckets:\n  b:\n    s3:\n      path_style: yes\n"),
            "test.yaml:4: buckets.b.s3.path_style must be true or false, got \"yes\"");
  EXPECT_EQ(ParseError("buckets:\n  b:\n    s3:\n      part_size_mb: 4\n"),
            "test.yaml:4: buckets.b.s3.part_size_mb must be an integer between 5 and 5120, "
            "got \"4\"");
  EXPECT_EQ(ParseError("buckets:\n  b:\n    s3:\n      region: US\n"),
            "test.yaml:4: buckets.b.s3.region must be 1-32 characters of [a-z0-9-], got \"US\"");
  EXPECT_EQ(ParseError("buckets:\n  b:\n    s3:\n      access_key_id: K\n"),
            "test.yaml:3: buckets.b.s3 must give access_key_id and secret_access_key together, "
            "or neither");
  EXPECT_EQ(ParseError("buckets:\n  b:\n    s3:\n      region: a\n      region: b\n"),
            "test.yaml:5: buckets.b.s3.region is given twice");
  EXPECT_EQ(ParseError("buckets:\n  \"bad/name\": {s3: {}}\n"),
            "test.yaml:2: buckets key \"bad/name\" must be a bucket name of 1-255 characters "
            "of [a-zA-Z0-9_.-]");
  EXPECT_EQ(ParseError("buckets:\n  b: {}\n"), "test.yaml:2: buckets.b must have an s3 mapping");
  EXPECT_EQ(ParseError("buckets:\n  b: s3\n"),
            "test.yaml:2: buckets.b must be a mapping, got \"s3\"");
  EXPECT_EQ(ParseError("buckets:\n  b:\n    s3: fast\n"),
            "test.yaml:3: buckets.b.s3 must be a mapping, got \"fast\"");
  EXPECT_EQ(ParseError("buckets: [a]\n"),
            "test.yaml:1: buckets must be a mapping of bucket names to {s3: ...}, got a list");
}

TEST(ServerConfigTest, CatalogTablesWithHiveTypes) {
  auto config = ParseServerConfig(R"(
catalog:
  weblogs:
    requests:
      columns:
        - {name: ts, type: timestamp}
        - {name: status, type: int}
        - {name: geo, type: "struct<lat:double,lon:double>"}
    empty_ok:
      columns: [{name: a, type: "array<map<string,decimal(10,2)>>"}]
)", "test.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  auto table = FindTable(config->catalog, "weblogs", "requests", "S");
  ASSERT_TRUE(table.has_value()) << table.error().message;
  ASSERT_EQ((*table)->columns.size(), 3u);
  EXPECT_EQ((*table)->columns[2].name, "geo");
  EXPECT_EQ((*table)->columns[2].type, "struct<lat:double,lon:double>");
  EXPECT_EQ(FindTable(config->catalog, "weblog", "requests", "S").error().message,
            "S.DatabaseName \"weblog\" is not in the server's catalog (catalog: in the server config; "
            "databases: weblogs)");
  EXPECT_EQ(FindTable(config->catalog, "weblogs", "request", "S").error().message,
            "S.TableName \"request\" is not a table of \"weblogs\" in the server's catalog (tables: empty_ok, "
            "requests)");
}

TEST(ServerConfigTest, CatalogErrorsNameTheColumn) {
  EXPECT_THAT(ParseError("catalog:\n  db:\n    t:\n      columns:\n        - {name: a, type: int}\n"
                         "        - {name: b, type: text}\n"),
              AllOf(HasSubstr("test.yaml:6: catalog.db.t.columns[1].type: "), HasSubstr("text")));
  EXPECT_THAT(ParseError("catalog:\n  db:\n    t:\n      columns:\n        - {name: a, type: int}\n"
                         "        - {name: A, type: int}\n"),
              HasSubstr("catalog.db.t.columns[1].name \"A\" repeats a column name (compared ignoring case)"));
  EXPECT_THAT(ParseError("catalog:\n  db:\n    t:\n      cols: []\n"),
              HasSubstr("catalog.db.t: unknown key \"cols\" (known: columns)"));
  EXPECT_THAT(ParseError("catalog:\n  db:\n    t:\n      columns: []\n"),
              HasSubstr("catalog.db.t.columns must be a non-empty list"));
  EXPECT_THAT(ParseError("catalog:\n  db:\n    t:\n      columns:\n        - {name: a, type: int, comment: x}\n"),
              HasSubstr("unknown key \"comment\" (known: name, type)"));
  EXPECT_THAT(ParseError("catalog: [db]\n"), HasSubstr("catalog must be a mapping of databases"));
}

std::string ReadDoc() {
  std::ifstream in(std::filesystem::path(SLUICE_SOURCE_DIR) / "docs" / "configuration.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ServerConfigDocTest, DocumentsEveryKey) {
  const std::string doc = ReadDoc();
  ASSERT_FALSE(doc.empty());
  for (const ServerConfigKey& key : ServerConfigKeys()) {
    EXPECT_THAT(doc, HasSubstr("| `" + std::string(key.name) + "` | `" +
                               std::string(key.default_value) + "` |"));
  }
}

TEST(ServerConfigDocTest, ExampleParses) {
  const std::string doc = ReadDoc();
  const size_t start = doc.find("```yaml\n");
  ASSERT_NE(start, std::string::npos);
  const size_t end = doc.find("```", start + 8);
  auto config = ParseServerConfig(doc.substr(start + 8, end - start - 8), "configuration.md");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->streams.size(), 2u);
}

}  // namespace
}  // namespace sluice::config
