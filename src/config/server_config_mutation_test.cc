// Robustness: mutated config files (byte flips, truncations, spliced YAML tokens) must give a
// config or an error naming the file, never a crash or an escaped exception. Fixed seed.

#include <gtest/gtest.h>

#include <random>

#include "config/server_config.h"

namespace sluice::config {
namespace {

constexpr std::string_view kConfig = R"(listen: 127.0.0.1:4573
data_dir: /tmp/sluice
max_streams: 10
delivery:
  retry_duration_s: 60
wal:
  durability: fsync
  segment_mb: 8
  stream_quota_mb: 64
buckets:
  analytics:
    s3:
      endpoint: http://127.0.0.1:4569
      region: us-east-1
      path_style: true
      access_key_id: AK
      secret_access_key: SK
streams:
  - DeliveryStreamName: logs
    ExtendedS3DestinationConfiguration:
      RoleARN: arn:aws:iam::123456789012:role/x
      BucketARN: arn:aws:s3:::analytics
      Prefix: "p/!{timestamp:yyyy}/"
      ErrorOutputPrefix: "e/!{firehose:error-output-type}/"
      BufferingHints: {SizeInMBs: 1, IntervalInSeconds: 0}
      CompressionFormat: GZIP
      CustomTimeZone: Asia/Tokyo
)";

constexpr std::string_view kTokens[] = {"\n", ":", "- ", "{", "}", "[", "]", "&a ", "*a", "!!binary ",
                                        "'", "\"", "? ", "|", ">", "\t", "~", "1e400", "-9999999999999999999",
                                        "<<: *a\n", "%YAML 1.2\n", "---\n", "...\n", "\xff\xfe"};

TEST(ServerConfigMutationTest, MutatedFilesNeverCrashTheParser) {
  std::mt19937 random(7);
  int accepted = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string text(kConfig);
    const int edits = 1 + static_cast<int>(random() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = random() % text.size();
      switch (random() % 4) {
        case 0: text[at] = static_cast<char>(random()); break;
        case 1: text.resize(at); break;
        case 2: text.insert(at, kTokens[random() % std::size(kTokens)]); break;
        case 3: text.erase(at, 1 + random() % 12); break;
      }
    }
    const auto config = ParseServerConfig(text, "mutated.yaml");
    if (config) {
      ++accepted;
    } else {
      EXPECT_TRUE(config.error().message.starts_with("mutated.yaml")) << config.error().message;
    }
  }
  EXPECT_GT(accepted, 0);  // some mutations keep the file valid: the mix reaches the validators
}

}  // namespace
}  // namespace sluice::config
