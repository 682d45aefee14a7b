#include "streams/registry.h"

#include <gtest/gtest.h>

#include "streams/test_support.h"

namespace sluice::streams {
namespace {

using testing::TempDir;

config::StreamConfig MakeConfig(std::string name) {
  config::StreamConfig config;
  config.name = std::move(name);
  config.destination.role_arn = "arn:aws:iam::123456789012:role/r";
  config.destination.bucket_arn = "arn:aws:s3:::bkt";
  return config;
}

class RegistryTest : public ::testing::Test {
 protected:
  RegistryTest() : clock_(1'700'000'000'123), store_(dir_.path() / "buckets") {}

  std::unique_ptr<Registry> OpenRegistry(uint64_t max_streams = 5000) {
    RegistryOptions options;
    options.data_dir = dir_.path();
    options.account_id = "123456789012";
    options.max_streams = max_streams;
    options.context.clock = &clock_;
    options.context.sink = &store_;
    auto registry = Registry::Open(std::move(options));
    EXPECT_TRUE(registry) << registry.error().message;
    return std::move(*registry);
  }

  TempDir dir_;
  ManualClock clock_;
  sinks::LocalBucketStore store_;
};

TEST_F(RegistryTest, CreatesDescribesAndListsSortedStreams) {
  auto registry = OpenRegistry();
  ASSERT_EQ(*registry->Create(MakeConfig("b")), "arn:aws:firehose:us-east-1:123456789012:deliverystream/b");
  ASSERT_TRUE(registry->Create(MakeConfig("a")));
  EXPECT_EQ(registry->Names(), (std::vector<std::string>{"a", "b"}));
  const auto view = registry->Describe("b");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->meta.version, 1);
  EXPECT_EQ(view->meta.create_ms, 1'700'000'000'123);
  EXPECT_EQ(view->config, MakeConfig("b"));
}

TEST_F(RegistryTest, RefusesDuplicatesAndStreamsBeyondTheLimitWithoutChangingState) {
  auto registry = OpenRegistry(1);
  ASSERT_TRUE(registry->Create(MakeConfig("a")));
  const auto duplicate = registry->Create(MakeConfig("a"));
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(duplicate.error().message, "Firehose a under accountId 123456789012 already exists");
  const auto over = registry->Create(MakeConfig("b"));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(registry->Names(), std::vector<std::string>{"a"});
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "streams" / "b"));
}

TEST_F(RegistryTest, AStreamThisServerCannotRunIsRefusedWithoutATraceOnDisk) {
  auto registry = OpenRegistry();  // no catalog: format conversion cannot find its table
  auto config = MakeConfig("converted");
  config.destination.buffering = {64, 60};
  config::DataFormatConversion conversion;
  conversion.schema = config::SchemaConfiguration{"arn:aws:iam::123456789012:role/r", "", "db", "t", "", "LATEST"};
  conversion.input = formats::JsonInputOptions{};
  conversion.output = config::ParquetSerDe{};
  config.destination.format_conversion = conversion;
  const auto created = registry->Create(config);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(created.error().message.find("no catalog"), std::string::npos) << created.error().message;
  EXPECT_TRUE(registry->Names().empty());
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "streams" / "converted"));
}

TEST_F(RegistryTest, UpdateChecksTheVersionMergesAndBumpsIt) {
  auto registry = OpenRegistry();
  ASSERT_TRUE(registry->Create(MakeConfig("s")));
  config::S3DestinationUpdate update;
  update.prefix = "new/";
  update.buffering = config::BufferingHints{64, 60};
  const auto stale = registry->UpdateDestination("s", "7", "destinationId-000000000001", update);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  const auto wrong_destination = registry->UpdateDestination("s", "1", "destinationId-2", update);
  ASSERT_FALSE(wrong_destination);
  EXPECT_EQ(wrong_destination.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(registry->Describe("s")->meta.version, 1);

  clock_.Advance(5000);
  ASSERT_TRUE(registry->UpdateDestination("s", "1", "destinationId-000000000001", update));
  const auto view = registry->Describe("s");
  EXPECT_EQ(view->meta.version, 2);
  EXPECT_EQ(view->meta.last_update_ms, 1'700'000'005'123);
  EXPECT_EQ(view->config.destination.prefix, "new/");
  EXPECT_EQ(view->config.destination.buffering.size_mb, 64);
  EXPECT_EQ(view->config.destination.role_arn, MakeConfig("s").destination.role_arn);
}

TEST_F(RegistryTest, StreamsTagsAndVersionsSurviveARestart) {
  {
    auto registry = OpenRegistry();
    ASSERT_TRUE(registry->Create(MakeConfig("kept")));
    ASSERT_TRUE(registry->Tag("kept", {{"team", "data"}, {"env", "prod"}}));
    ASSERT_TRUE(registry->Untag("kept", {"env", "absent"}));
    config::S3DestinationUpdate update;
    update.prefix = "p/";
    ASSERT_TRUE(registry->UpdateDestination("kept", "1", "destinationId-000000000001", update));
  }
  auto registry = OpenRegistry();
  const auto view = registry->Describe("kept");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->meta.version, 2);
  EXPECT_EQ(view->config.destination.prefix, "p/");
  EXPECT_EQ(*registry->Tags("kept"), (std::vector<config::Tag>{{"team", "data"}}));
}

TEST_F(RegistryTest, TagLimitIsFiftyAndOverwritesExistingKeys) {
  auto registry = OpenRegistry();
  ASSERT_TRUE(registry->Create(MakeConfig("s")));
  std::vector<config::Tag> tags;
  for (int i = 0; i < 50; ++i) tags.push_back({"k" + std::to_string(i), "v"});
  ASSERT_TRUE(registry->Tag("s", tags));
  ASSERT_TRUE(registry->Tag("s", {{"k0", "changed"}}));
  EXPECT_EQ(registry->Tags("s")->front().value, "changed");
  const auto over = registry->Tag("s", {{"one-more", "v"}});
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(registry->Tags("s")->size(), 50u);
}

TEST_F(RegistryTest, DeleteRemovesTheStreamForGood) {
  {
    auto registry = OpenRegistry();
    ASSERT_TRUE(registry->Create(MakeConfig("gone")));
    ASSERT_TRUE(registry->Delete("gone"));
    const auto missing = registry->Describe("gone");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(missing.error().message, "Firehose gone under account 123456789012 not found.");
    EXPECT_FALSE(registry->Delete("gone"));
  }
  EXPECT_TRUE(OpenRegistry()->Names().empty());
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "streams" / "gone"));
}

TEST_F(RegistryTest, DefineCreatesOnceAndReplacesAChangedDefinition) {
  auto registry = OpenRegistry();
  ASSERT_TRUE(registry->Define(MakeConfig("cfg")));
  ASSERT_TRUE(registry->Define(MakeConfig("cfg")));
  EXPECT_EQ(registry->Describe("cfg")->meta.version, 1);
  auto changed = MakeConfig("cfg");
  changed.destination.prefix = "changed/";
  ASSERT_TRUE(registry->Define(changed));
  EXPECT_EQ(registry->Describe("cfg")->meta.version, 2);
  EXPECT_EQ(registry->Describe("cfg")->config.destination.prefix, "changed/");
}

TEST_F(RegistryTest, RefusesToStartOnACorruptStateFileWithAPreciseError) {
  { ASSERT_TRUE(OpenRegistry()->Create(MakeConfig("s"))); }
  ASSERT_TRUE(WriteFileAtomically(dir_.path() / "streams" / "s" / "stream.json", "{not json"));
  RegistryOptions options;
  options.data_dir = dir_.path();
  options.context.clock = &clock_;
  options.context.sink = &store_;
  const auto registry = Registry::Open(std::move(options));
  ASSERT_FALSE(registry);
  EXPECT_EQ(registry.error().code, ErrorCode::kCorruption);
  EXPECT_NE(registry.error().message.find("stream.json"), std::string::npos);
}

}  // namespace
}  // namespace sluice::streams
