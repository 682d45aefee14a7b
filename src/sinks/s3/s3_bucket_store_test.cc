#include "sinks/s3/s3_bucket_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sinks/s3/fake_transport.h"

namespace sluice::sinks::s3 {
namespace {

using ::testing::HasSubstr;

HttpResponse Answer(int status, std::string body = "", std::vector<HttpHeader> headers = {}) {
  return HttpResponse{status, std::move(headers), std::move(body), ""};
}

std::string ErrorXml(std::string_view code, std::string_view message) {
  return "<?xml version=\"1.0\"?><Error><Code>" + std::string(code) + "</Code><Message>" +
         std::string(message) + "</Message></Error>";
}

std::string HeaderOf(const SentRequest& sent, std::string_view name) {
  for (const HttpHeader& header : sent.request.headers) {
    if (header.name == name) return header.value;
  }
  return "<absent>";
}

// Answers like S3 for a multipart upload; `fail` may replace any answer.
HttpResponse S3Like(const SentRequest& sent) {
  const std::string& url = sent.request.url;
  if (sent.request.method == "POST" && url.ends_with("?uploads=")) {
    return Answer(200, "<InitiateMultipartUploadResult><UploadId>up&amp;1</UploadId>"
                       "</InitiateMultipartUploadResult>");
  }
  if (sent.request.method == "PUT" && url.find("partNumber=") != std::string::npos) {
    return Answer(200, "", {{"ETag", "\"etag-" + sent.body.substr(0, 1) + "\""}});
  }
  if (sent.request.method == "POST") return Answer(200, "<CompleteMultipartUploadResult/>");
  if (sent.request.method == "DELETE") return Answer(204);
  return Answer(200);
}

class S3BucketStoreTest : public ::testing::Test {
 protected:
  S3BucketStore MakeStore(FakeTransport::Script script, uint64_t part_size = 10) {
    return S3BucketStore(
        std::make_unique<S3Client>(Addressing{{"http", "s3.test:9000"}, true, "us-east-1"},
                                   Credentials{"AKID", "SECRET", ""},
                                   std::make_unique<FakeTransport>(sent_, std::move(script)),
                                   clock_),
        part_size);
  }

  ManualClock clock_{1440938160000};
  std::vector<SentRequest> sent_;
};

TEST_F(S3BucketStoreTest, SmallBodyIsOnePutObjectWithChecksums) {
  S3BucketStore store = MakeStore(S3Like);
  const DeliveryResult result = store.Deliver({"bkt", "a/b.gz", "curl body\n"});
  EXPECT_EQ(result.outcome, Outcome::kOk) << result.message;
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].request.method, "PUT");
  EXPECT_EQ(sent_[0].request.url, "http://s3.test:9000/bkt/a/b.gz");
  EXPECT_EQ(sent_[0].body, "curl body\n");
  EXPECT_EQ(HeaderOf(sent_[0], "Content-MD5"), "pWdOkCAXCHrxr1GoqwYcjQ==");
  EXPECT_EQ(HeaderOf(sent_[0], "X-Amz-Content-SHA256"),
            "dad111da547b08c3b345a4555645db4b766584e8a3df62a38e5d9a258b37e58d");
  EXPECT_EQ(HeaderOf(sent_[0], "X-Amz-Date"), "20150830T123600Z");
  EXPECT_EQ(HeaderOf(sent_[0], "X-Amz-Server-Side-Encryption"), "<absent>");
}

TEST_F(S3BucketStoreTest, KmsKeyBecomesSseHeaders) {
  S3BucketStore store = MakeStore(S3Like);
  const std::string key = "arn:aws:kms:us-east-1:123456789012:key/k1";
  EXPECT_EQ(store.Deliver({"bkt", "k", "x"}, ObjectOptions{key}).outcome, Outcome::kOk);
  EXPECT_EQ(store.Deliver({"bkt", "k", std::string(25, 'x')}, ObjectOptions{key}).outcome,
            Outcome::kOk);
  ASSERT_GE(sent_.size(), 2u);
  for (const size_t i : {size_t{0}, size_t{1}}) {  // PutObject, CreateMultipartUpload
    EXPECT_EQ(HeaderOf(sent_[i], "X-Amz-Server-Side-Encryption"), "aws:kms");
    EXPECT_EQ(HeaderOf(sent_[i], "X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id"), key);
    EXPECT_THAT(HeaderOf(sent_[i], "Authorization"),
                HasSubstr("x-amz-server-side-encryption;x-amz-server-side-encryption-aws-kms-key-id"));
  }
}

TEST_F(S3BucketStoreTest, ErrorsAreClassifiedAndNamed) {
  struct Case {
    HttpResponse answer;
    Outcome outcome;
    std::string message;
  };
  const std::vector<Case> cases = {
      {Answer(404, ErrorXml("NoSuchBucket", "The specified bucket does not exist")),
       Outcome::kPermanent,
       "S3 PutObject s3://bkt/k: HTTP 404 NoSuchBucket: The specified bucket does not exist"},
      {Answer(403, ErrorXml("InvalidAccessKeyId", "bad key")), Outcome::kPermanent,
       "S3 PutObject s3://bkt/k: HTTP 403 InvalidAccessKeyId: bad key"},
      {Answer(403, ErrorXml("AccessDenied", "Access Denied")), Outcome::kPermanent,
       "HTTP 403 AccessDenied"},
      {Answer(503, ErrorXml("SlowDown", "Reduce your request rate")), Outcome::kRetryable,
       "HTTP 503 SlowDown: Reduce your request rate"},
      {Answer(500, ""), Outcome::kRetryable, "S3 PutObject s3://bkt/k: HTTP 500"},
      {Answer(400, ErrorXml("RequestTimeout", "idle")), Outcome::kRetryable,
       "HTTP 400 RequestTimeout"},
      {HttpResponse{0, {}, "", "Couldn't connect to server"}, Outcome::kRetryable,
       "S3 PutObject s3://bkt/k at http://s3.test:9000: no HTTP answer: Couldn't connect to "
       "server"},
  };
  for (const Case& c : cases) {
    S3BucketStore store = MakeStore([&](const SentRequest&) { return c.answer; });
    const DeliveryResult result = store.Deliver({"bkt", "k", "x"});
    EXPECT_EQ(result.outcome, c.outcome) << c.message;
    EXPECT_THAT(result.message, HasSubstr(c.message));
  }
}

TEST_F(S3BucketStoreTest, LargeBodyUsesMultipartUpload) {
  S3BucketStore store = MakeStore(S3Like);
  const std::string body = std::string(10, 'a') + std::string(10, 'b') + std::string(5, 'c');
  const DeliveryResult result = store.Deliver({"bkt", "big", body});
  EXPECT_EQ(result.outcome, Outcome::kOk) << result.message;
  ASSERT_EQ(sent_.size(), 5u);
  EXPECT_EQ(sent_[0].request.url, "http://s3.test:9000/bkt/big?uploads=");
  EXPECT_EQ(sent_[1].request.url, "http://s3.test:9000/bkt/big?partNumber=1&uploadId=up%261");
  EXPECT_EQ(sent_[1].body, std::string(10, 'a'));
  EXPECT_EQ(HeaderOf(sent_[1], "Content-MD5"), Md5Base64(std::string(10, 'a')));
  EXPECT_EQ(sent_[2].body, std::string(10, 'b'));
  EXPECT_EQ(sent_[3].request.url, "http://s3.test:9000/bkt/big?partNumber=3&uploadId=up%261");
  EXPECT_EQ(sent_[3].body, std::string(5, 'c'));
  EXPECT_EQ(sent_[4].request.method, "POST");
  EXPECT_EQ(sent_[4].request.url, "http://s3.test:9000/bkt/big?uploadId=up%261");
  EXPECT_EQ(sent_[4].body,
            "<CompleteMultipartUpload>"
            "<Part><PartNumber>1</PartNumber><ETag>\"etag-a\"</ETag></Part>"
            "<Part><PartNumber>2</PartNumber><ETag>\"etag-b\"</ETag></Part>"
            "<Part><PartNumber>3</PartNumber><ETag>\"etag-c\"</ETag></Part>"
            "</CompleteMultipartUpload>");
}

TEST_F(S3BucketStoreTest, BodyEqualToPartSizeIsOnePut) {
  S3BucketStore store = MakeStore(S3Like);
  EXPECT_EQ(store.Deliver({"bkt", "k", std::string(10, 'x')}).outcome, Outcome::kOk);
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].request.url, "http://s3.test:9000/bkt/k");
}

TEST_F(S3BucketStoreTest, AWriterUploadsEachPartAsSoonAsBytesFollowIt) {
  S3BucketStore store = MakeStore(S3Like);
  auto writer = store.Begin({"bkt", "stream", ""});
  for (const std::string_view piece : {"aaaaaa", "aaaa", "b"}) {
    ASSERT_EQ(writer->Write(piece).outcome, Outcome::kOk);
  }
  // The first part went up when the byte after it came, before the object was finished.
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[0].request.url, "http://s3.test:9000/bkt/stream?uploads=");
  EXPECT_EQ(sent_[1].body, std::string(10, 'a'));
  ASSERT_EQ(writer->Write(std::string(24, 'c')).outcome, Outcome::kOk);  // parts straight from the input
  ASSERT_EQ(sent_.size(), 4u);
  EXPECT_EQ(sent_[2].body, "b" + std::string(9, 'c'));
  EXPECT_EQ(sent_[3].body, std::string(10, 'c'));
  const DeliveryResult result = writer->Finish();
  EXPECT_EQ(result.outcome, Outcome::kOk) << result.message;
  ASSERT_EQ(sent_.size(), 6u);
  EXPECT_EQ(sent_[4].body, std::string(5, 'c'));
  EXPECT_EQ(sent_[5].request.method, "POST");
  EXPECT_THAT(sent_[5].body, HasSubstr("<PartNumber>4</PartNumber>"));
}

TEST_F(S3BucketStoreTest, AWriterOfOnePartIsOnePutObject) {
  S3BucketStore store = MakeStore(S3Like);
  auto writer = store.Begin({"bkt", "small", ""});
  ASSERT_EQ(writer->Write(std::string(10, 'x')).outcome, Outcome::kOk);
  EXPECT_TRUE(sent_.empty());
  EXPECT_EQ(writer->Finish().outcome, Outcome::kOk);
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].request.url, "http://s3.test:9000/bkt/small");
}

TEST_F(S3BucketStoreTest, ADroppedWriterAbortsItsUpload) {
  S3BucketStore store = MakeStore(S3Like);
  {
    auto writer = store.Begin({"bkt", "gone", ""});
    ASSERT_EQ(writer->Write(std::string(15, 'x')).outcome, Outcome::kOk);
  }
  ASSERT_EQ(sent_.size(), 3u);  // create, part 1, abort
  EXPECT_EQ(sent_[2].request.method, "DELETE");
  EXPECT_EQ(sent_[2].request.url, "http://s3.test:9000/bkt/gone?uploadId=up%261");
}

TEST_F(S3BucketStoreTest, FailedPartAbortsTheUpload) {
  S3BucketStore store = MakeStore([](const SentRequest& sent) {
    if (sent.request.url.find("partNumber=2") != std::string::npos) {
      return Answer(500, ErrorXml("InternalError", "try again"));
    }
    return S3Like(sent);
  });
  const DeliveryResult result = store.Deliver({"bkt", "big", std::string(30, 'x')});
  EXPECT_EQ(result.outcome, Outcome::kRetryable);
  EXPECT_EQ(result.message,
            "S3 UploadPart s3://bkt/big part 2: HTTP 500 InternalError: try again");
  ASSERT_EQ(sent_.size(), 4u);  // create, part 1, part 2, abort
  EXPECT_EQ(sent_[3].request.method, "DELETE");
  EXPECT_EQ(sent_[3].request.url, "http://s3.test:9000/bkt/big?uploadId=up%261");
}

TEST_F(S3BucketStoreTest, CompleteWithErrorInA200AnswerFailsAndAborts) {
  S3BucketStore store = MakeStore([](const SentRequest& sent) {
    if (sent.request.method == "POST" && !sent.request.url.ends_with("?uploads=")) {
      return Answer(200, ErrorXml("InternalError", "We encountered an internal error"));
    }
    return S3Like(sent);
  });
  const DeliveryResult result = store.Deliver({"bkt", "big", std::string(11, 'x')});
  EXPECT_EQ(result.outcome, Outcome::kRetryable);
  EXPECT_THAT(result.message, HasSubstr("S3 CompleteMultipartUpload s3://bkt/big: HTTP 200 "
                                        "InternalError"));
  EXPECT_EQ(sent_.back().request.method, "DELETE");
}

TEST_F(S3BucketStoreTest, FailedAbortIsReported) {
  S3BucketStore store = MakeStore([](const SentRequest& sent) {
    if (sent.request.url.find("partNumber=1") != std::string::npos) {
      return Answer(403, ErrorXml("AccessDenied", "no"));
    }
    if (sent.request.method == "DELETE") return HttpResponse{0, {}, "", "Connection reset"};
    return S3Like(sent);
  });
  const DeliveryResult result = store.Deliver({"bkt", "big", std::string(11, 'x')});
  EXPECT_EQ(result.outcome, Outcome::kPermanent);
  EXPECT_THAT(result.message, HasSubstr("HTTP 403 AccessDenied: no; multipart upload up&1 of "
                                        "s3://bkt/big could not be aborted"));
  EXPECT_THAT(result.message, HasSubstr("Connection reset"));
}

TEST_F(S3BucketStoreTest, CreateFailureAndMalformedAnswers) {
  S3BucketStore no_bucket = MakeStore([](const SentRequest&) {
    return Answer(404, ErrorXml("NoSuchBucket", "missing"));
  });
  const DeliveryResult missing = no_bucket.Deliver({"bkt", "big", std::string(11, 'x')});
  EXPECT_EQ(missing.outcome, Outcome::kPermanent);
  EXPECT_THAT(missing.message, HasSubstr("S3 CreateMultipartUpload s3://bkt/big: HTTP 404"));

  S3BucketStore no_id = MakeStore([](const SentRequest&) { return Answer(200, "<x/>"); });
  EXPECT_THAT(no_id.Deliver({"bkt", "big", std::string(11, 'x')}).message,
              HasSubstr("has no <UploadId>"));

  S3BucketStore no_etag = MakeStore([](const SentRequest& sent) {
    if (sent.request.method == "PUT") return Answer(200);
    return S3Like(sent);
  });
  const DeliveryResult etag = no_etag.Deliver({"bkt", "big", std::string(11, 'x')});
  EXPECT_EQ(etag.outcome, Outcome::kRetryable);
  EXPECT_THAT(etag.message, HasSubstr("part 1: answer has no ETag header"));
}

TEST(S3ErrorTest, Classification) {
  EXPECT_EQ(ClassifyS3Error(0, ""), Outcome::kRetryable);
  EXPECT_EQ(ClassifyS3Error(502, ""), Outcome::kRetryable);
  EXPECT_EQ(ClassifyS3Error(429, ""), Outcome::kRetryable);
  EXPECT_EQ(ClassifyS3Error(400, "SlowDown"), Outcome::kRetryable);
  EXPECT_EQ(ClassifyS3Error(403, "RequestTimeTooSkewed"), Outcome::kRetryable);
  EXPECT_EQ(ClassifyS3Error(403, "SignatureDoesNotMatch"), Outcome::kPermanent);
  EXPECT_EQ(ClassifyS3Error(404, "NoSuchBucket"), Outcome::kPermanent);
  EXPECT_EQ(ClassifyS3Error(400, "InvalidDigest"), Outcome::kPermanent);
}

TEST(S3ErrorTest, XmlElementText) {
  EXPECT_EQ(XmlElementText("<a><Code>X&lt;&amp;&gt;&quot;&apos;&unknown;</Code></a>", "Code"),
            "X<&>\"'&unknown;");
  EXPECT_EQ(XmlElementText("<a><Code>unterminated", "Code"), "");
  EXPECT_EQ(XmlElementText("", "Code"), "");
}

TEST(S3BucketStoreCreateTest, ValidatesOptions) {
  const auto no_env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  S3StoreOptions options;
  options.credentials = Credentials{"AKID", "SECRET", ""};
  options.part_size_bytes = kMinPartSize - 1;
  auto small = S3BucketStore::Create(options, no_env);
  ASSERT_FALSE(small.has_value());
  EXPECT_THAT(small.error().message, HasSubstr("part size must be at least 5 MiB"));

  options.part_size_bytes = kMinPartSize;
  options.endpoint = "localhost:1";
  auto endpoint = S3BucketStore::Create(options, no_env);
  ASSERT_FALSE(endpoint.has_value());
  EXPECT_THAT(endpoint.error().message, HasSubstr("endpoint must be"));

  options.endpoint = "http://127.0.0.1:1";
  options.credentials.reset();
  auto credentials = S3BucketStore::Create(options, no_env);
  ASSERT_FALSE(credentials.has_value());
  EXPECT_EQ(credentials.error().code, ErrorCode::kNotFound);

  options.credentials = Credentials{"AKID", "SECRET", ""};
  auto store = S3BucketStore::Create(options, no_env);
  ASSERT_TRUE(store.has_value()) << store.error().message;
}

}  // namespace
}  // namespace sluice::sinks::s3
