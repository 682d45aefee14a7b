// sluice-parquet-bench: JSON records to Parquet on one core, the figures bench/parquet/compare
// sets next to DuckDB's. See bench/README.md.
//
//   sluice-parquet-bench --out-dir DIR [--records 100000] [--seed 1] [--repeat 3]
//                        [--compression SNAPPY|GZIP|ZSTD|UNCOMPRESSED]
//
// Writes DIR/records.jsonl (the workload), DIR/columns.json (the table: name and Hive type of its
// 30 columns) and DIR/sluice.parquet, and prints one JSON object: records, json_bytes, the best
// of --repeat conversions as CPU seconds (cpu_seconds, the process's user + system time, which
// other load on the machine disturbs less than wall time) and wall seconds, records_per_s and
// json_mb_per_s (from CPU time) and parquet_bytes. A conversion parses each line with simdjson
// and appends it to a ParquetWriter, as the delivery pipeline does; the input is in memory and
// the output is kept in memory until the timing ends.

#include <time.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <simdjson.h>

#include "core/json_writer.h"
#include "formats/parquet/parquet_writer.h"
#include "loadgen/printf.h"
#include "loadgen/workload.h"

namespace {

using sluice::formats::ColumnSpec;
using sluice::formats::parquet::Compression;
using sluice::formats::parquet::ParquetWriter;
using sluice::formats::parquet::WriterOptions;

// The load generator's 20 access-log fields, then 10 more of the same kind.
const std::vector<ColumnSpec> kColumns{
    {"rqid", "string"},        {"ts", "timestamp"},      {"level", "string"},
    {"region", "string"},      {"host", "string"},       {"client_ip", "string"},
    {"method", "string"},      {"path", "string"},       {"status", "int"},
    {"bytes_sent", "bigint"},  {"latency_ms", "double"}, {"user_agent", "string"},
    {"referer", "string"},     {"request_id", "string"}, {"trace_id", "string"},
    {"user_id", "string"},     {"session", "string"},    {"cart_items", "int"},
    {"ab_bucket", "string"},   {"message", "string"},    {"country", "string"},
    {"device", "string"},      {"os", "string"},         {"cache", "string"},
    {"is_bot", "boolean"},     {"retries", "int"},       {"upstream_ms", "double"},
    {"content_length", "bigint"}, {"tls", "string"},     {"sample_rate", "float"},
};

constexpr std::array kCountries = {"US", "DE", "FR", "BR", "JP", "IN", "GB", "AU", "CA", "NL"};
constexpr std::array kDevices = {"desktop", "mobile", "tablet", "bot"};
constexpr std::array kSystems = {"Windows", "macOS", "Linux", "iOS", "Android"};
constexpr std::array kCache = {"HIT", "MISS", "EXPIRED", "BYPASS"};
constexpr std::array kTls = {"TLSv1.3", "TLSv1.2"};

template <typename Array>
auto Pick(std::mt19937_64& rng, const Array& values) {
  return values[rng() % values.size()];
}

// A load generator record with the ten extra fields appended (before its closing brace).
std::string WithExtraFields(std::string record, std::mt19937_64& rng) {
  record.resize(record.size() - 2);  // "}\n"
  record += std::string(",\"country\":\"") + Pick(rng, kCountries);
  record += std::string("\",\"device\":\"") + Pick(rng, kDevices);
  record += std::string("\",\"os\":\"") + Pick(rng, kSystems);
  record += std::string("\",\"cache\":\"") + Pick(rng, kCache);
  record += std::string("\",\"is_bot\":") + (rng() % 10 == 0 ? "true" : "false");
  record += ",\"retries\":" + std::to_string(rng() % 4);
  record += sluice::bench::Printf(",\"upstream_ms\":%llu.%02llu",
                                  static_cast<unsigned long long>(rng() % 900),
                                  static_cast<unsigned long long>(rng() % 100));
  record += ",\"content_length\":" + std::to_string(rng() % 5000000);
  record += std::string(",\"tls\":\"") + Pick(rng, kTls);
  record += sluice::bench::Printf("\",\"sample_rate\":0.%02llu}\n",
                                  static_cast<unsigned long long>(rng() % 100));
  return record;
}

double CpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

int Usage(const std::string& why) {
  std::cerr << "sluice-parquet-bench: " << why << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out_dir;
  size_t records = 100000;
  uint64_t seed = 1;
  int repeat = 3;
  std::string compression_name = "SNAPPY";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--out-dir") out_dir = value;
    else if (flag == "--records") records = std::stoul(value);
    else if (flag == "--seed") seed = std::stoull(value);
    else if (flag == "--repeat") repeat = std::stoi(value);
    else if (flag == "--compression") compression_name = value;
    else return Usage("unknown flag " + flag);
  }
  if (out_dir.empty() || repeat < 1 || records == 0) return Usage("--out-dir DIR is required");
  WriterOptions options;
  if (compression_name == "SNAPPY") options.compression = Compression::kSnappy;
  else if (compression_name == "GZIP") options.compression = Compression::kGzip;
  else if (compression_name == "ZSTD") options.compression = Compression::kZstd;
  else if (compression_name == "UNCOMPRESSED") options.compression = Compression::kUncompressed;
  else return Usage("unknown compression " + compression_name);

  sluice::bench::WorkloadOptions workload;
  workload.seed = seed;
  workload.batch_records = records;
  workload.pool_batches = 1;
  std::mt19937_64 rng(seed ^ 0x5eed);
  std::string input;  // every record, one per line, with simdjson's padding after the last
  std::vector<std::pair<size_t, size_t>> lines;
  for (std::string& record : sluice::bench::GenerateRecords(workload)) {
    const std::string line = WithExtraFields(std::move(record), rng);
    lines.emplace_back(input.size(), line.size() - 1);
    input += line;
  }
  const size_t json_bytes = input.size();
  input.append(simdjson::SIMDJSON_PADDING, ' ');

  std::ofstream(out_dir + "/records.jsonl", std::ios::binary).write(input.data(), json_bytes);
  {
    sluice::JsonWriter json;
    json.BeginArray();
    for (const ColumnSpec& column : kColumns) {
      json.BeginObject().Key("name").String(column.name).Key("type").String(column.type).EndObject();
    }
    std::ofstream(out_dir + "/columns.json") << json.EndArray().str() << "\n";
  }

  double best = 0;
  double best_wall = 0;
  std::string file;
  const auto append = [&](std::string_view piece) {
    file += piece;
    return true;
  };
  simdjson::dom::parser parser;
  for (int run = 0; run < repeat; ++run) {
    file.clear();
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = CpuSeconds();
    auto writer = ParquetWriter::Create(kColumns, options);
    if (!writer) return Usage(writer.error().message);
    for (const auto& [offset, length] : lines) {
      simdjson::dom::element record;
      if (parser.parse(input.data() + offset, length, false).get(record) != simdjson::SUCCESS) {
        return Usage("workload record is not JSON");
      }
      if (auto appended = (*writer)->Append(record); !appended) {
        return Usage(appended.error().message);
      }
      (*writer)->Drain(append);
    }
    if (auto finished = (*writer)->Finish(); !finished) return Usage(finished.error().message);
    (*writer)->Drain(append);
    const double seconds = CpuSeconds() - cpu_start;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (run == 0 || seconds < best) best = seconds;
    if (run == 0 || wall < best_wall) best_wall = wall;
  }
  std::ofstream(out_dir + "/sluice.parquet", std::ios::binary) << file;

  sluice::JsonWriter json;
  json.BeginObject()
      .Key("records").Int(static_cast<int64_t>(records))
      .Key("json_bytes").Int(static_cast<int64_t>(json_bytes))
      .Key("compression").String(compression_name)
      .Key("cpu_seconds").Double(best)
      .Key("wall_seconds").Double(best_wall)
      .Key("records_per_s").Double(static_cast<double>(records) / best)
      .Key("json_mb_per_s").Double(static_cast<double>(json_bytes) / best / 1e6)
      .Key("parquet_bytes").Int(static_cast<int64_t>(file.size()));
  std::cout << json.EndObject().str() << "\n";
  return 0;
}
