#include "loadgen/workload.h"

#include <array>
#include <cstdio>
#include <cstring>
#include <random>

#include "core/base64.h"
#include "loadgen/printf.h"

namespace sluice::bench {
namespace {

constexpr std::array kMethods = {"GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE"};
constexpr std::array kStatuses = {200, 200, 200, 200, 200, 200, 201, 204, 301, 304, 400, 404, 500, 503};
constexpr std::array kResources = {"orders", "users", "carts", "products", "search", "sessions",
                                   "invoices", "shipments", "reviews", "recommendations"};
constexpr std::array kAgents = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148",
    "okhttp/4.12.0", "curl/8.5.0", "python-requests/2.31.0",
    "Googlebot/2.1 (+http://www.google.com/bot.html)"};
constexpr std::array kRegions = {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1",
                                 "ap-southeast-2", "sa-east-1"};
constexpr std::array kWords = {
    "alpha", "bravo", "checkout", "delta", "express", "fulfilment", "gateway", "harbor",
    "inventory", "jasmine", "kilo", "ledger", "mercury", "nightly", "orbit", "payment",
    "quartz", "refund", "shipping", "tariff", "upsell", "voucher", "warehouse", "xenon",
    "yield", "zephyr", "promo", "banner", "mobile", "desktop", "tablet", "retry"};
constexpr std::array kLevels = {"info", "info", "info", "info", "warn", "error", "debug"};

template <typename Array>
auto Pick(std::mt19937_64& rng, const Array& values) {
  return values[rng() % values.size()];
}

std::string HexString(std::mt19937_64& rng, size_t digits) {
  std::string out;
  while (out.size() < digits) out += Printf("%016llx", static_cast<unsigned long long>(rng()));
  out.resize(digits);
  return out;
}

// One web access-log line as a JSON object with a trailing newline. Field lengths vary (paths,
// agents, a free-text message) so that the average is near 1 KiB and compression behaves as it
// does on real logs: repeated keys and vocabularies, random ids and numbers. Values are drawn in
// statement order (never as sibling call arguments, whose order is unspecified), so a seed gives
// the same records with any compiler.
std::string JsonLogRecord(std::mt19937_64& rng, uint64_t index) {
  const uint64_t epoch_ms = 1767225600000ULL + index * 7 + rng() % 5;  // 2026-01-01 onwards
  const uint64_t s = epoch_ms / 1000;
  std::string r = std::string(kJsonTagPrefix) + std::string(kTagDigits, '0') + "\"";
  r += Printf(",\"ts\":\"2026-01-%02lluT%02llu:%02llu:%02llu.%03lluZ\"",
              static_cast<unsigned long long>(1 + (s / 86400) % 28),
              static_cast<unsigned long long>((s / 3600) % 24),
              static_cast<unsigned long long>((s / 60) % 60), static_cast<unsigned long long>(s % 60),
              static_cast<unsigned long long>(epoch_ms % 1000));
  r += std::string(",\"level\":\"") + Pick(rng, kLevels);
  r += std::string("\",\"region\":\"") + Pick(rng, kRegions);
  r += "\",\"host\":\"web-" + std::to_string(rng() % 200);
  r += std::string(".") + Pick(rng, kRegions) + ".internal\",\"client_ip\":\"";
  for (int octet = 0; octet < 4; ++octet) r += (octet ? "." : "") + std::to_string(1 + rng() % 254);
  r += std::string("\",\"method\":\"") + Pick(rng, kMethods);
  r += "\",\"path\":\"/api/v" + std::to_string(1 + rng() % 3);
  r += std::string("/") + Pick(rng, kResources);
  r += "/" + std::to_string(rng() % 1000000);
  r += "?page=" + std::to_string(rng() % 50);
  r += "&limit=" + std::to_string(10 + rng() % 90);
  r += "\",\"status\":" + std::to_string(Pick(rng, kStatuses));
  r += ",\"bytes_sent\":" + std::to_string(rng() % 200000);
  r += ",\"latency_ms\":" + std::to_string(rng() % 2000);
  r += Printf(".%03llu", static_cast<unsigned long long>(rng() % 1000));
  r += std::string(",\"user_agent\":\"") + Pick(rng, kAgents);
  r += std::string("\",\"referer\":\"https://shop.example.com/") + Pick(rng, kResources);
  r += "/" + std::to_string(rng() % 100000);
  r += "\",\"request_id\":\"" + HexString(rng, 32);
  r += "\",\"trace_id\":\"" + HexString(rng, 32);
  r += "\",\"user_id\":\"u-" + std::to_string(rng() % 10000000);
  r += "\",\"session\":\"" + HexString(rng, 24);
  r += "\",\"cart_items\":" + std::to_string(rng() % 20);
  r += std::string(",\"ab_bucket\":\"") + Pick(rng, kWords);
  r += "\",\"message\":\"";
  const size_t word_count = 10 + rng() % 90;
  for (size_t i = 0; i < word_count; ++i) {
    if (i != 0) r += ' ';
    r += Pick(rng, kWords);
  }
  r += "\"}\n";
  return r;
}

std::string BinaryRecord(std::mt19937_64& rng, size_t size) {
  std::string record(size, '\0');
  for (size_t i = 0; i < size; i += 8) {
    const uint64_t word = rng();
    std::memcpy(record.data() + i, &word, std::min<size_t>(8, size - i));
  }
  std::memset(record.data() + kTagOffset, '0', kTagDigits);
  return record;
}

}  // namespace

std::vector<std::string> GenerateRecords(const WorkloadOptions& options) {
  std::mt19937_64 rng(options.seed);
  const size_t count = options.batch_records * options.pool_batches;
  std::vector<std::string> records;
  records.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    records.push_back(options.kind == RecordKind::kJsonLog ? JsonLogRecord(rng, i)
                                                          : BinaryRecord(rng, options.record_size));
  }
  return records;
}

BatchBody::BatchBody(std::string_view stream, const std::vector<std::string>& records) {
  body_ = "{\"DeliveryStreamName\":\"" + std::string(stream) + "\",\"Records\":[";
  for (size_t i = 0; i < records.size(); ++i) {
    body_ += i == 0 ? "{\"Data\":\"" : ",{\"Data\":\"";
    data_offsets_.push_back(body_.size());
    Base64EncodeAppend(records[i], body_);
    data_lengths_.push_back(body_.size() - data_offsets_.back());
    body_ += "\"}";
    record_sizes_.push_back(records[i].size());
    payload_bytes_ += records[i].size();
  }
  body_ += "]}";
}

void BatchBody::SetTag(uint64_t tag) {
  char digits[kTagDigits + 1];
  std::snprintf(digits, sizeof(digits), "%012llu",
                static_cast<unsigned long long>(tag % 1000000000000ULL));
  const std::string encoded = Base64Encode(std::string_view(digits, kTagDigits));
  const size_t at = kTagOffset / 3 * 4;
  for (size_t offset : data_offsets_) std::memcpy(body_.data() + offset + at, encoded.data(), encoded.size());
}

std::string BatchBody::Subset(std::string_view stream, const std::vector<size_t>& indexes) const {
  std::string out = "{\"DeliveryStreamName\":\"" + std::string(stream) + "\",\"Records\":[";
  for (size_t i = 0; i < indexes.size(); ++i) {
    out += i == 0 ? "{\"Data\":\"" : ",{\"Data\":\"";
    out.append(body_, data_offsets_[indexes[i]], data_lengths_[indexes[i]]);
    out += "\"}";
  }
  out += "]}";
  return out;
}

uint64_t BatchBody::SubsetPayloadBytes(const std::vector<size_t>& indexes) const {
  uint64_t total = 0;
  for (size_t index : indexes) total += record_sizes_[index];
  return total;
}

std::vector<BatchBody> BuildBodies(std::string_view stream, const std::vector<std::string>& records,
                                   size_t batch_records) {
  std::vector<BatchBody> bodies;
  for (size_t start = 0; start < records.size(); start += batch_records) {
    const size_t end = std::min(records.size(), start + batch_records);
    bodies.emplace_back(stream, std::vector<std::string>(records.begin() + static_cast<ptrdiff_t>(start),
                                                         records.begin() + static_cast<ptrdiff_t>(end)));
  }
  return bodies;
}

}  // namespace sluice::bench
