// Checks against a real S3-compatible server. Needs SLUICE_S3_ENDPOINT (e.g.
// http://127.0.0.1:4569) of an s3rver started with --configure-bucket for SLUICE_S3_BUCKET
// (default "sluice-live"); fails, not skips, when it is not set. Optional SLUICE_S3_DATA_DIR:
// the server's -d directory, to check that failed multipart uploads leave nothing behind
// (on a server that implements AbortMultipartUpload; s3rver 3.7.1 does not).

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sinks/s3/s3_bucket_store.h"

namespace sluice::sinks::s3 {
namespace {

using ::testing::HasSubstr;

std::string EnvOr(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

class S3LiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    endpoint_ = EnvOr("SLUICE_S3_ENDPOINT", "");
    ASSERT_FALSE(endpoint_.empty()) << "set SLUICE_S3_ENDPOINT to a running s3rver";
    bucket_ = EnvOr("SLUICE_S3_BUCKET", "sluice-live");
  }

  std::unique_ptr<S3Client> Client(std::string endpoint, std::string access_key,
                                   std::unique_ptr<HttpTransport> transport = nullptr) {
    auto parsed = ParseEndpoint(endpoint, "us-east-1");
    EXPECT_TRUE(parsed.has_value());
    if (!transport) transport = MakeCurlTransport(HttpTimeouts{2000, 60000});
    return std::make_unique<S3Client>(Addressing{*parsed, true, "us-east-1"},
                                      Credentials{access_key, "S3RVER", ""}, std::move(transport));
  }

  S3BucketStore Store(std::string endpoint = "", std::string access_key = "S3RVER") {
    return S3BucketStore(Client(endpoint.empty() ? endpoint_ : endpoint, access_key),
                         kMinPartSize);
  }

  std::string endpoint_;
  std::string bucket_;
};

std::string RandomBytes(size_t size) {
  std::mt19937_64 random(42);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(random());
  return out;
}

TEST_F(S3LiveTest, SmallPutObjectReadsBack) {
  const std::string body = "hello s3\n" + RandomBytes(1000);
  EXPECT_EQ(Store().Deliver({bucket_, "small/one object.bin", body}).outcome, Outcome::kOk);
  auto read = Client(endpoint_, "S3RVER")->GetObject(bucket_, "small/one object.bin");
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(*read, body);

  // Delivering the same key again replaces the object.
  EXPECT_EQ(Store().Deliver({bucket_, "small/one object.bin", "second"}).outcome, Outcome::kOk);
  EXPECT_EQ(Client(endpoint_, "S3RVER")->GetObject(bucket_, "small/one object.bin").value(),
            "second");
}

TEST_F(S3LiveTest, MultipartUploadIsByteIdentical) {
  const std::string body = RandomBytes(20 << 20);
  const DeliveryResult result = Store().Deliver({bucket_, "big/20mib.bin", body});
  ASSERT_EQ(result.outcome, Outcome::kOk) << result.message;
  auto read = Client(endpoint_, "S3RVER")->GetObject(bucket_, "big/20mib.bin");
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(read->size(), body.size());
  EXPECT_TRUE(*read == body);
}

TEST_F(S3LiveTest, MissingBucketIsPermanent) {
  const DeliveryResult result = Store().Deliver({"no-such-bucket-sluice", "k", "x"});
  EXPECT_EQ(result.outcome, Outcome::kPermanent);
  EXPECT_THAT(result.message, HasSubstr("s3://no-such-bucket-sluice/k: HTTP 404 NoSuchBucket"));
}

TEST_F(S3LiveTest, UnknownAccessKeyIsPermanent) {
  const DeliveryResult result = Store("", "WRONGKEY").Deliver({bucket_, "k", "x"});
  EXPECT_EQ(result.outcome, Outcome::kPermanent);
  EXPECT_THAT(result.message, HasSubstr("HTTP 403 InvalidAccessKeyId"));
}

TEST_F(S3LiveTest, ServerDownIsRetryable) {
  // A port that was free a moment ago: nothing listens there.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  const std::string down = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  const DeliveryResult result = Store(down).Deliver({bucket_, "k", "x"});
  EXPECT_EQ(result.outcome, Outcome::kRetryable);
  EXPECT_THAT(result.message, HasSubstr("at " + down + ": no HTTP answer"));
}

// Forwards to the real server but answers 503 for part 2, as a throttled S3 would.
class FailSecondPart final : public HttpTransport {
 public:
  explicit FailSecondPart(std::vector<std::string>& methods) : methods_(methods) {}
  HttpResponse Send(const PreparedRequest& request, std::string_view body) override {
    methods_.push_back(request.method);
    if (request.url.find("partNumber=2&") != std::string::npos) {
      return HttpResponse{503, {}, "<Error><Code>SlowDown</Code></Error>", ""};
    }
    return real_->Send(request, body);
  }

 private:
  std::vector<std::string>& methods_;
  std::unique_ptr<HttpTransport> real_ = MakeCurlTransport(HttpTimeouts{2000, 60000});
};

TEST_F(S3LiveTest, FailedMultipartUploadIsAborted) {
  std::vector<std::string> methods;
  S3BucketStore store(Client(endpoint_, "S3RVER", std::make_unique<FailSecondPart>(methods)),
                      kMinPartSize);
  const DeliveryResult result =
      store.Deliver({bucket_, "big/failed.bin", RandomBytes(3 * kMinPartSize)});
  EXPECT_EQ(result.outcome, Outcome::kRetryable);
  EXPECT_THAT(result.message, HasSubstr("part 2: HTTP 503 SlowDown"));
  EXPECT_THAT(methods, ::testing::ElementsAre("POST", "PUT", "PUT", "DELETE"));
  EXPECT_FALSE(Client(endpoint_, "S3RVER")->GetObject(bucket_, "big/failed.bin").has_value());

  // s3rver 3.7.1 does not implement AbortMultipartUpload (405 MethodNotAllowed) and keeps the
  // parts; there the check is that the abort was sent and its failure reported with the upload
  // id. Against a server that implements it, nothing may remain.
  if (result.message.find("AbortMultipartUpload s3://" + bucket_ +
                          "/big/failed.bin: HTTP 405 MethodNotAllowed") != std::string::npos) {
    EXPECT_THAT(result.message, HasSubstr("could not be aborted and remains"));
    return;
  }
  EXPECT_THAT(result.message, ::testing::Not(HasSubstr("could not be aborted")));
  const std::string data_dir = EnvOr("SLUICE_S3_DATA_DIR", "");
  if (!data_dir.empty()) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(data_dir)) {
      EXPECT_THAT(entry.path().string(), ::testing::Not(HasSubstr("uploads")));
    }
  }
}

}  // namespace
}  // namespace sluice::sinks::s3
