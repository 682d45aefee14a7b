#include "sinks/s3/s3_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::sinks::s3 {
namespace {

using ::testing::HasSubstr;

std::string HeaderOf(const PreparedRequest& request, std::string_view name) {
  for (const HttpHeader& header : request.headers) {
    if (header.name == name) return header.value;
  }
  return "<absent>";
}

TEST(ParseEndpointTest, AcceptsHostPortAndDefaultsToAws) {
  auto local = ParseEndpoint("http://127.0.0.1:4569/", "us-east-1");
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(local->scheme, "http");
  EXPECT_EQ(local->authority, "127.0.0.1:4569");
  auto aws = ParseEndpoint("", "eu-west-1");
  ASSERT_TRUE(aws.has_value());
  EXPECT_EQ(aws->scheme, "https");
  EXPECT_EQ(aws->authority, "s3.eu-west-1.amazonaws.com");
}

TEST(ParseEndpointTest, RejectsOtherForms) {
  for (const std::string_view bad : {"127.0.0.1:4569", "ftp://h", "http://", "http://h/path",
                                     "http://u@h", "https://h?x=1"}) {
    auto parsed = ParseEndpoint(bad, "us-east-1");
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_THAT(parsed.error().message, HasSubstr(std::string("got \"") + std::string(bad)));
  }
}

const Credentials kCredentials{"AKID", "SECRET", ""};

TEST(PrepareRequestTest, PathStyle) {
  const Addressing addressing{{"http", "127.0.0.1:4569"}, true, "us-east-1"};
  const S3Operation operation{"PUT", "bkt", "a b/c+d.gz", {}, {{"Content-MD5", "x"}}, "body"};
  const PreparedRequest request =
      PrepareRequest(operation, addressing, kCredentials, "20260101T000000Z");
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(request.url, "http://127.0.0.1:4569/bkt/a%20b/c%2Bd.gz");
  EXPECT_EQ(HeaderOf(request, "Host"), "127.0.0.1:4569");
  EXPECT_EQ(HeaderOf(request, "X-Amz-Date"), "20260101T000000Z");
  EXPECT_EQ(HeaderOf(request, "X-Amz-Content-SHA256"), Sha256Hex("body"));
  EXPECT_EQ(HeaderOf(request, "X-Amz-Security-Token"), "<absent>");
  EXPECT_THAT(HeaderOf(request, "Authorization"),
              HasSubstr("Credential=AKID/20260101/us-east-1/s3/aws4_request, "
                        "SignedHeaders=content-md5;host;x-amz-content-sha256;x-amz-date, "));

  // The signature is the one SignV4 computes for exactly what is sent.
  const std::string body_hash = Sha256Hex("body");
  const SigningRequest signing{
      "PUT",
      "/bkt/a b/c+d.gz",
      {},
      {{"Content-MD5", "x"},
       {"Host", "127.0.0.1:4569"},
       {"X-Amz-Date", "20260101T000000Z"},
       {"X-Amz-Content-SHA256", body_hash}},
      body_hash};
  EXPECT_EQ(HeaderOf(request, "Authorization"),
            SignV4(signing, {"20260101T000000Z", "us-east-1", "s3"}, kCredentials).authorization);
}

TEST(PrepareRequestTest, VirtualHostedWithQueryAndToken) {
  const Addressing addressing{{"https", "s3.eu-west-1.amazonaws.com"}, false, "eu-west-1"};
  const S3Operation operation{
      "PUT", "bkt", "k", {{"uploadId", "x/y"}, {"partNumber", "3"}}, {}, ""};
  const PreparedRequest request = PrepareRequest(
      operation, addressing, Credentials{"AKID", "SECRET", "TOKEN"}, "20260101T000000Z");
  EXPECT_EQ(request.url, "https://bkt.s3.eu-west-1.amazonaws.com/k?partNumber=3&uploadId=x%2Fy");
  EXPECT_EQ(HeaderOf(request, "Host"), "bkt.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(HeaderOf(request, "X-Amz-Security-Token"), "TOKEN");
  EXPECT_EQ(HeaderOf(request, "X-Amz-Content-SHA256"), Sha256Hex(""));
  EXPECT_THAT(HeaderOf(request, "Authorization"),
              HasSubstr("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token"));
}

}  // namespace
}  // namespace sluice::sinks::s3
