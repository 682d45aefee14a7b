#include "streams/compressed_object.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::streams {
namespace {

// Records what reaches it; fails the write numbered `fail_write` (1-based, 0: none).
class RecordingSink final : public sinks::Sink {
 public:
  sinks::DeliveryResult Deliver(const sinks::Delivery&) override { return {sinks::Outcome::kPermanent, "unused"}; }

  std::unique_ptr<sinks::ObjectWriter> Begin(const sinks::Delivery& d) override {
    begun.push_back(d.bucket + "/" + d.key);
    return std::make_unique<Writer>(*this);
  }

  std::vector<std::string> begun;
  std::vector<std::string> writes;
  int finished = 0;
  size_t fail_write = 0;

 private:
  class Writer final : public sinks::ObjectWriter {
   public:
    explicit Writer(RecordingSink& sink) : sink_(sink) {}
    sinks::DeliveryResult Write(std::string_view bytes) override {
      sink_.writes.emplace_back(bytes);
      if (sink_.writes.size() == sink_.fail_write) return {sinks::Outcome::kRetryable, "store is down"};
      return {sinks::Outcome::kOk, ""};
    }
    sinks::DeliveryResult Finish() override {
      ++sink_.finished;
      return {sinks::Outcome::kOk, ""};
    }

   private:
    RecordingSink& sink_;
  };
};

class BrokenCodec final : public codecs::Codec {
 public:
  Result<std::unique_ptr<codecs::ObjectCompressor>> Start(codecs::EmitBytes, std::optional<uint64_t>) override {
    return Fail(ErrorCode::kInternal, "out of memory");
  }
  std::string_view Extension() const override { return ".x"; }
};

std::string Body() {
  std::string body;
  for (int i = 0; i < 2000; ++i) body += "{\"line\":" + std::to_string(i) + ",\"text\":\"some log text\"}\n";
  return body;
}

TEST(StoreCompressed, HandsEachPieceToTheSinkThenFinishes) {
  RecordingSink sink;
  auto codec = codecs::MakeGzip(6, 10'000);
  const std::string body = Body();
  const auto stored = StoreCompressed(sink, *codec, {"b", "k.gz", body});
  ASSERT_EQ(stored.outcome, sinks::Outcome::kOk) << stored.message;
  EXPECT_EQ(sink.begun, std::vector<std::string>{"b/k.gz"});
  EXPECT_EQ(sink.writes.size(), (body.size() + 9'999) / 10'000);
  std::string joined;
  for (const auto& piece : sink.writes) joined += piece;
  EXPECT_EQ(joined, *codec->Compress(body));
  EXPECT_EQ(sink.finished, 1);
}

TEST(StoreCompressed, AFailedWriteStopsCompressionAndIsTheResult) {
  RecordingSink sink;
  sink.fail_write = 2;
  auto codec = codecs::MakeGzip(6, 10'000);
  const auto stored = StoreCompressed(sink, *codec, {"b", "k.gz", Body()});
  EXPECT_EQ(stored.outcome, sinks::Outcome::kRetryable);
  EXPECT_EQ(stored.message, "store is down");
  EXPECT_EQ(sink.writes.size(), 2u);
  EXPECT_EQ(sink.finished, 0);
}

TEST(StoreCompressed, ACodecFailureIsRetryableAndStoresNothing) {
  RecordingSink sink;
  BrokenCodec codec;
  const auto stored = StoreCompressed(sink, codec, {"b", "k.x", "data"});
  EXPECT_EQ(stored.outcome, sinks::Outcome::kRetryable);
  EXPECT_EQ(stored.message, "cannot compress s3://b/k.x: out of memory");
  EXPECT_TRUE(sink.writes.empty());
  EXPECT_EQ(sink.finished, 0);
}

// Slices of `body` of `slice_bytes` each, then `error` if set.
BodySlices SlicesOf(const std::string& body, size_t slice_bytes, std::optional<Error> error = std::nullopt) {
  return [&body, slice_bytes, error](const WriteSlice& write) -> Status {
    for (size_t at = 0; at < body.size(); at += slice_bytes) {
      if (auto written = write(std::string_view(body).substr(at, slice_bytes)); !written) return written;
    }
    if (error) return std::unexpected(*error);
    return {};
  };
}

TEST(StoreCompressedSlices, ABodyInSlicesIsStoredAsTheWholeBodyWouldBe) {
  const std::string body = Body();
  for (const std::string_view format : {"GZIP", "ZSTD", "Snappy", "UNCOMPRESSED"}) {
    auto codec = std::move(*codecs::MakeCodec(format));
    RecordingSink sink;
    const auto stored = StoreCompressedSlices(sink, *codec, {"b", "k", {}}, body.size(), SlicesOf(body, 3001));
    ASSERT_TRUE(stored.has_value()) << format;
    ASSERT_EQ(stored->outcome, sinks::Outcome::kOk) << format << ": " << stored->message;
    std::string joined;
    for (const auto& piece : sink.writes) joined += piece;
    EXPECT_EQ(joined, *codec->Compress(body)) << format;
    EXPECT_EQ(sink.finished, 1) << format;
  }
}

TEST(StoreCompressedSlices, ABodyThatCannotBeReadIsTheErrorAndNothingIsFinished) {
  RecordingSink sink;
  auto codec = codecs::MakeUncompressed();
  const std::string body = Body();
  const auto stored = StoreCompressedSlices(sink, *codec, {"b", "k", {}}, std::nullopt,
                                            SlicesOf(body, 5000, Error{ErrorCode::kCorruption, "torn record"}));
  ASSERT_FALSE(stored.has_value());
  EXPECT_EQ(stored.error().message, "torn record");
  EXPECT_EQ(sink.finished, 0);
}

TEST(StoreCompressedSlices, AFailedWriteIsTheResultNotAReadError) {
  RecordingSink sink;
  sink.fail_write = 2;
  auto codec = codecs::MakeUncompressed();
  const std::string body = Body();
  const auto stored = StoreCompressedSlices(sink, *codec, {"b", "k", {}}, std::nullopt, SlicesOf(body, 5000));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->outcome, sinks::Outcome::kRetryable);
  EXPECT_EQ(stored->message, "store is down");
  EXPECT_EQ(sink.writes.size(), 2u);
  EXPECT_EQ(sink.finished, 0);
}

}  // namespace
}  // namespace sluice::streams
