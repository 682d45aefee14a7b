#include "sinks/s3/sigv4.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::sinks::s3 {
namespace {

using ::testing::HasSubstr;

// The published AWS SigV4 test suite (credentials, date, region and service it documents).
const Credentials kSuiteCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
constexpr SigningScope kSuiteScope{"20150830T123600Z", "us-east-1", "service"};
constexpr std::string_view kEmptyHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct SuiteCase {
  std::string name;
  std::string method;
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<HttpHeader> extra_headers;
  std::string body;
  std::string signed_headers;
  std::string signature;
};

std::vector<SuiteCase> SuiteCases() {
  const std::string unreserved =
      "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  return {
      {"get-vanilla", "GET", "/", {}, {}, "", "host;x-amz-date",
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get-vanilla-query-order-key-case", "GET", "/", {{"Param2", "value2"}, {"Param1", "value1"}},
       {}, "", "host;x-amz-date",
       "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
      {"get-unreserved", "GET", "/" + unreserved, {}, {}, "", "host;x-amz-date",
       "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
      {"get-utf8", "GET", "/\xE1\x88\xB4", {}, {}, "", "host;x-amz-date",
       "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
      {"get-space", "GET", "/example space/", {}, {}, "", "host;x-amz-date",
       "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
      {"get-header-key-duplicate", "GET", "/", {},
       {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}}, "",
       "host;my-header1;x-amz-date",
       "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"},
      {"get-header-value-trim", "GET", "/", {},
       {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}}, "",
       "host;my-header1;my-header2;x-amz-date",
       "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
      {"post-vanilla", "POST", "/", {}, {}, "", "host;x-amz-date",
       "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
      {"post-vanilla-query", "POST", "/", {{"Param1", "value1"}}, {}, "", "host;x-amz-date",
       "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
      {"post-header-key-case", "POST", "/", {}, {{"MY-HEADER1", "value1"}}, "",
       "host;my-header1;x-amz-date",
       "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"},
      {"post-header-value-case", "POST", "/", {}, {{"My-Header1", "VALUE1"}}, "",
       "host;my-header1;x-amz-date",
       "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"},
      {"post-x-www-form-urlencoded", "POST", "/", {},
       {{"Content-Type", "application/x-www-form-urlencoded"}}, "Param1=value1",
       "content-type;host;x-amz-date",
       "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
  };
}

TEST(SigV4Test, PublishedTestSuite) {
  for (const SuiteCase& c : SuiteCases()) {
    SCOPED_TRACE(c.name);
    SigningRequest request{c.method, c.path, c.query, c.extra_headers, ""};
    request.headers.push_back({"Host", "example.amazonaws.com"});
    request.headers.push_back({"X-Amz-Date", "20150830T123600Z"});
    const std::string hash = Sha256Hex(c.body);
    request.payload_hash = hash;
    const SigV4Result result = SignV4(request, kSuiteScope, kSuiteCredentials);
    EXPECT_EQ(result.signed_headers, c.signed_headers);
    EXPECT_EQ(result.signature, c.signature) << result.canonical_request;
    EXPECT_EQ(result.authorization,
              "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
              "SignedHeaders=" + c.signed_headers + ", Signature=" + c.signature);
  }
}

TEST(SigV4Test, GetVanillaIntermediateStrings) {
  const SigningRequest request{
      "GET", "/", {}, {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}},
      kEmptyHash};
  const SigV4Result result = SignV4(request, kSuiteScope, kSuiteCredentials);
  EXPECT_EQ(result.canonical_request,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
                std::string(kEmptyHash));
  EXPECT_EQ(result.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
}

TEST(SigV4Test, SessionTokenIsSigned) {
  const SigningRequest request{
      "GET", "/", {}, {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}},
      kEmptyHash};
  Credentials with_token = kSuiteCredentials;
  with_token.session_token = "token-1";
  const SigV4Result plain = SignV4(request, kSuiteScope, kSuiteCredentials);
  const SigV4Result signed_token = SignV4(request, kSuiteScope, with_token);
  EXPECT_EQ(signed_token.signed_headers, "host;x-amz-date;x-amz-security-token");
  EXPECT_THAT(signed_token.canonical_request, HasSubstr("\nx-amz-security-token:token-1\n"));
  EXPECT_NE(plain.signature, signed_token.signature);

  // Signing the header explicitly gives the same result as passing the token.
  SigningRequest explicit_header = request;
  explicit_header.headers.push_back({"X-Amz-Security-Token", "token-1"});
  EXPECT_EQ(SignV4(explicit_header, kSuiteScope, with_token).signature, signed_token.signature);
}

TEST(SigV4Test, EncodingRules) {
  EXPECT_EQ(UriEncode("a b/c~d+e=f&*", false), "a%20b%2Fc~d%2Be%3Df%26%2A");
  EXPECT_EQ(CanonicalUri("/bkt/2024/01/a b+c.gz"), "/bkt/2024/01/a%20b%2Bc.gz");
  EXPECT_EQ(CanonicalUri("/bkt/already%20encoded"), "/bkt/already%2520encoded");
  EXPECT_EQ(CanonicalUri(""), "/");
  EXPECT_EQ(CanonicalQuery({{"uploadId", "a/b=c"}, {"partNumber", "2"}, {"uploads", ""}}),
            "partNumber=2&uploadId=a%2Fb%3Dc&uploads=");
  EXPECT_EQ(AmzDate(1440938160000), "20150830T123600Z");
  EXPECT_EQ(AmzDate(1440938160999), "20150830T123600Z");
  EXPECT_EQ(Md5Base64("curl body\n"), "pWdOkCAXCHrxr1GoqwYcjQ==");
}

// A request as a real client sent it, parsed from a capture file.
struct Capture {
  std::string method;
  std::string path;
  std::vector<HttpHeader> headers;
  std::string body;
  std::string authorization;
};

std::string ReadFixture(std::string_view name) {
  const std::filesystem::path path =
      std::filesystem::path(SLUICE_FIXTURES_DIR) / "client-captures" / name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Capture ParseCapture(const std::string& raw) {
  Capture capture;
  const size_t end_of_head = raw.find("\r\n\r\n");
  EXPECT_NE(end_of_head, std::string::npos);
  capture.body = raw.substr(end_of_head + 4);
  std::istringstream head(raw.substr(0, end_of_head));
  std::string line;
  std::getline(head, line);
  const size_t first_space = line.find(' ');
  capture.method = line.substr(0, first_space);
  capture.path = line.substr(first_space + 1, line.find(' ', first_space + 1) - first_space - 1);
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    if (name == "Authorization" || name == "authorization") {
      capture.authorization = value.substr(value.find_first_not_of(' '));
    } else {
      capture.headers.push_back({std::move(name), std::move(value)});
    }
  }
  return capture;
}

std::string Between(std::string_view text, std::string_view start, std::string_view end) {
  const size_t from = text.find(start);
  if (from == std::string_view::npos) return "";
  const size_t value = from + start.size();
  return std::string(text.substr(value, text.find(end, value) - value));
}

// Signs `capture` again with the headers its Authorization names.
std::string Resign(const Capture& capture, const Credentials& credentials) {
  const std::string signed_list = Between(capture.authorization, "SignedHeaders=", ",");
  const std::string scope = Between(capture.authorization, "Credential=", ",");
  // scope = KEY/DAY/REGION/SERVICE/aws4_request
  std::vector<std::string> parts;
  std::istringstream split(scope);
  for (std::string part; std::getline(split, part, '/');) parts.push_back(part);
  EXPECT_EQ(parts.size(), 5u);
  SigningRequest request{capture.method, capture.path, {}, {}, ""};
  std::string amz_date;
  for (const HttpHeader& header : capture.headers) {
    std::string lower = header.name;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower == "x-amz-date") amz_date = header.value.substr(1);
    if ((";" + signed_list + ";").find(";" + lower + ";") != std::string::npos) {
      request.headers.push_back(header);
    }
  }
  const std::string hash = Sha256Hex(capture.body);
  request.payload_hash = hash;
  const SigV4Result result =
      SignV4(request, SigningScope{amz_date, parts.at(2), parts.at(3)}, credentials);
  EXPECT_EQ(result.signed_headers, signed_list);
  return result.authorization;
}

class CaptureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CaptureTest, RecomputesTheClientsSignatureAndDetectsTampering) {
  const bool s3 = GetParam().find("-s3-") != std::string::npos;
  const Credentials credentials =
      s3 ? Credentials{"S3RVER", "S3RVER", ""} : kSuiteCredentials;
  const Capture capture = ParseCapture(ReadFixture(GetParam()));
  ASSERT_FALSE(capture.authorization.empty());
  EXPECT_EQ(Resign(capture, credentials), capture.authorization);

  Capture changed_body = capture;
  ASSERT_FALSE(changed_body.body.empty());
  changed_body.body[changed_body.body.size() / 2] ^= 1;
  EXPECT_NE(Resign(changed_body, credentials), capture.authorization);

  Capture changed_header = capture;
  for (HttpHeader& header : changed_header.headers) {
    if (header.name == "Host" || header.name == "host") header.value.back() ^= 1;
  }
  EXPECT_NE(Resign(changed_header, credentials), capture.authorization);

  Credentials wrong_secret = credentials;
  wrong_secret.secret_access_key += "x";
  EXPECT_NE(Resign(capture, wrong_secret), capture.authorization);
}

INSTANTIATE_TEST_SUITE_P(
    ClientCaptures, CaptureTest,
    ::testing::Values("awscli-s3-PutObject.http", "awscli-1-PutRecord.http",
                      "awscli-2-PutRecord.http", "awscli-3-PutRecordBatch.http",
                      "awscli-4-CreateDeliveryStream.http", "sdkjs-1-CreateDeliveryStream.http",
                      "sdkjs-2-PutRecordBatch.http", "sdkjs-3-PutRecord.http",
                      "sdkjs-4-PutRecord-missing-400.http"),
    [](const ::testing::TestParamInfo<std::string>& param) {
      std::string name = param.param.substr(0, param.param.find('.'));
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

}  // namespace
}  // namespace sluice::sinks::s3
