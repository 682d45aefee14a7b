#include "processors/metadata_extraction.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "processors/append_delimiter.h"
#include "processors/chain.h"
#include "processors/jq_program.h"
#include "processors/processors_test_util.h"

namespace sluice::processors {
namespace {

using ::testing::HasSubstr;
using testing::MakeRecord;

using Engine = MetadataExtractionProcessor::Engine;

std::unique_ptr<MetadataExtractionProcessor> Make(std::string_view query, Engine engine = Engine::kFastest) {
  auto processor = MetadataExtractionProcessor::Create(query, engine);
  EXPECT_TRUE(processor) << processor.error().message;
  return processor ? std::move(*processor) : nullptr;
}

// The keys, or the failure message prefixed with "error: ".
std::string Outcome(Result<PartitionKeys> keys) {
  if (!keys) return "error: " + keys.error().message;
  std::string out;
  for (const auto& [key, value] : *keys) out += key + "=" + value + ";";
  return out;
}

TEST(MetadataExtractionTest, PutsQueryKeysOnRecordsAndPassesDataThrough) {
  auto processor = Make("{customer_id:.customer_id, device: .type.device}");
  ASSERT_TRUE(processor->UsesPlainPaths());
  std::vector<Record> batch;
  batch.push_back(MakeRecord(7, R"({"customer_id":"c1","type":{"device":"phone"}})"));
  batch.back().partition_keys = {{"fromLambda", "x"}};
  batch.push_back(MakeRecord(8, R"({"customer_id":42,"type":{"device":true}})"));
  auto out = processor->Process(batch);
  ASSERT_TRUE(out);
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ((*out)[0].result, ProcessResult::kOk);
  EXPECT_EQ((*out)[0].seq, 7u);
  EXPECT_EQ((*out)[0].data, batch[0].data);
  EXPECT_EQ((*out)[0].query_keys, (PartitionKeys{{"customer_id", "c1"}, {"device", "phone"}}));
  EXPECT_EQ((*out)[0].partition_keys, (PartitionKeys{{"fromLambda", "x"}}));
  EXPECT_EQ((*out)[1].query_keys, (PartitionKeys{{"customer_id", "42"}, {"device", "true"}}));
  EXPECT_EQ(processor->RecordsWithoutJq(), 2u);
}

TEST(MetadataExtractionTest, RunsFullJqQueriesSuchAsStrftime) {
  auto processor = Make(R"({customer_id:.customer_id, year:.ts|strftime("%Y"), month:.ts|strftime("%m")})");
  EXPECT_FALSE(processor->UsesPlainPaths());
  EXPECT_EQ(Outcome(processor->KeysOf(R"({"customer_id":"c1","ts":1700000000})")),
            "customer_id=c1;month=11;year=2023;");
  EXPECT_EQ(Outcome(processor->KeysOf(R"({"customer_id":"c1","ts":"2023-11-14"})")),
            "error: MetadataExtractionQuery failed: strftime/1 requires parsed datetime inputs");
  EXPECT_EQ(Outcome(Make("{k: (.a + .b | tostring)}")->KeysOf(R"({"a":1,"b":2.5})")), "k=3.5;");
}

TEST(MetadataExtractionTest, FailsRecordsAloneWithThePartitioningOutputAndAPreciseMessage) {
  auto processor = Make("{id: .id}");
  std::vector<Record> batch;
  batch.push_back(MakeRecord(1, R"({"other":1})"));
  batch.push_back(MakeRecord(2, R"({"id":"ok"})"));
  batch.push_back(MakeRecord(3, "not json"));
  auto out = processor->Process(std::move(batch));
  ASSERT_TRUE(out);
  ASSERT_EQ(out->size(), 3u);
  EXPECT_EQ((*out)[0].result, ProcessResult::kProcessingFailed);
  EXPECT_EQ((*out)[0].error_code, "DynamicPartitioning.MetadataExtractionFailed");
  EXPECT_EQ((*out)[0].error_output_type, "partitioning-failed");
  EXPECT_EQ((*out)[0].data, R"({"other":1})");
  EXPECT_EQ((*out)[0].error_message,
            "MetadataExtractionQuery gave null for partition key 'id' (the field is missing from the record or null)");
  EXPECT_EQ((*out)[1].result, ProcessResult::kOk);
  EXPECT_EQ((*out)[2].result, ProcessResult::kProcessingFailed);
  EXPECT_THAT((*out)[2].error_message, HasSubstr("record is not valid JSON: Invalid numeric literal at line 1, column 4"));
}

TEST(MetadataExtractionTest, NamesEachKindOfFailure) {
  auto jq = [](std::string_view query, std::string_view record) {
    return Outcome(Make(query, Engine::kJqOnly)->KeysOf(record));
  };
  EXPECT_EQ(jq("{a}", R"({"a":null})"),
            "error: MetadataExtractionQuery gave null for partition key 'a' (the field is missing from the record or null)");
  EXPECT_EQ(jq("{b, a}", R"({"a":[1],"b":{}})"),
            "error: MetadataExtractionQuery gave an array for partition key 'a'; partition keys must be strings, "
            "numbers or booleans");
  EXPECT_EQ(jq(".a", R"({"a":"x"})"),
            "error: MetadataExtractionQuery must produce a JSON object of partition keys, got a string");
  EXPECT_EQ(jq("{a: .a.b}", R"({"a":"x"})"),
            "error: MetadataExtractionQuery failed: Cannot index string with string \"b\"");
  EXPECT_EQ(jq("{a: (.a, .a)}", R"({"a":"x"})"), "error: MetadataExtractionQuery produced more than one result");
  EXPECT_EQ(jq("empty", R"({"a":"x"})"), "error: MetadataExtractionQuery produced no result");
  EXPECT_EQ(jq("{a}, error(\"late\")", R"({"a":"x"})"), "error: MetadataExtractionQuery failed: late");
  EXPECT_EQ(jq("error({why: 1})", R"({"a":"x"})"), "error: MetadataExtractionQuery failed: {\"why\":1}");
  EXPECT_EQ(jq("{a}", "[1,2]"),
            "error: record is an array, not a JSON object; MetadataExtraction needs one JSON object per record");
  EXPECT_EQ(jq("{a}", R"({"a":1}{"a":2})"), "error: record is not valid JSON: Unexpected extra JSON values");
  EXPECT_EQ(jq("{a}", ""), "error: record is not valid JSON: Expected JSON value");
  EXPECT_EQ(jq("{a}", "  \n"), "error: record is not valid JSON: Expected JSON value");
  EXPECT_THAT(jq("{a}", R"({"a":)"), HasSubstr("error: record is not valid JSON: Unfinished JSON term"));
  // jq's messages are cut short, the record is never quoted whole.
  const std::string long_value(5000, 'v');
  EXPECT_LT(jq("error(.a)", R"({"a":")" + long_value + "\"}").size(), 400u);
}

TEST(MetadataExtractionTest, KeepsUnicodeAsUtf8) {
  for (Engine engine : {Engine::kFastest, Engine::kJqOnly}) {
    auto processor = Make(R"({"клиент": ."поле", e: .e})", engine);
    EXPECT_EQ(Outcome(processor->KeysOf(R"({"поле":"日本","e":"\u00e9\ud83d\ude00"})")),
              "e=\xC3\xA9\xF0\x9F\x98\x80;клиент=日本;");
  }
}

// The same records through the fast path and through jq alone give the same outcome, errors
// included; the fast path answers most of them itself.
TEST(MetadataExtractionTest, PlainPathsAndJqAgreeOnEveryCase) {
  const std::vector<std::string> queries = {
      "{customer_id:.customer_id}",
      "{id: .customer_id, d: .nested.d, \"k k\": .nested.\"k k\"}",
      "{n, big, e, small, t, f}",
      "{arr}",
      "{obj: .nested}",
      "{nul}",
      "{deep: .nested.d.deeper}",
      "{missing: .no.such.path}",
      "{}",
  };
  const std::vector<std::string> records = {
      R"({"customer_id":"c1","n":1.0,"big":12345678901234567890,"e":1e17,"small":1e-5,"t":true,"f":false,)"
      R"("nested":{"d":"x","k k":3},"arr":[1],"nul":null})",
      R"({"customer_id":"c2","n":-0,"big":9007199254740993,"e":1E3,"small":0.1,"t":1.5e-300,"f":-12.50,)"
      R"("nested":{"d":{"deeper":"y"},"k k":"z"}})",
      R"({"customer_id":1e400})",
      R"({"customer_id":123456789012345678901234567890})",
      R"({"customer_id":"a","customer_id":"b"})",
      R"({"nested":"text"})",
      R"({"nested":[1,2]})",
      R"({"nested":null,"no":{"such":5}})",
      R"({"customer_id":"\ud800"})",
      "{\"customer_id\":\"\xff\"}",
      R"({"customer_id":"x\u0000y"})",
      R"({"customer_id":"é","nested":{"d":"日本"}})",
      " {\"customer_id\":\"spaces\"} \n",
      R"({"customer_id":0.30000000000000004,"n":100000000000000000000000})",
      "[1,2]", "\"s\"", "3", "null", "true", "{}",
      R"({"a":1}{"a":2})", "", "   ", R"({"a":)", "not json", "{'a':1}", R"({"a":1,})", "NaN",
  };
  uint64_t without_jq = 0;
  for (const std::string& query : queries) {
    auto fast = Make(query, Engine::kFastest);
    auto jq = Make(query, Engine::kJqOnly);
    ASSERT_TRUE(fast->UsesPlainPaths()) << query;
    ASSERT_FALSE(jq->UsesPlainPaths()) << query;
    for (const std::string& record : records) {
      EXPECT_EQ(Outcome(fast->KeysOf(record)), Outcome(jq->KeysOf(record))) << query << " on " << record;
    }
    EXPECT_EQ(jq->RecordsWithoutJq(), 0u);
    without_jq += fast->RecordsWithoutJq();
  }
  EXPECT_GT(without_jq, queries.size() * records.size() / 2);
  // Spot checks that the agreed outcomes are jq's documented ones.
  auto jq = Make("{n, big, e, small, t, f}", Engine::kJqOnly);
  EXPECT_EQ(Outcome(jq->KeysOf(records[0])), "big=12345678901234567000;e=1e+17;f=false;n=1;small=1e-05;t=true;");
  EXPECT_EQ(Outcome(jq->KeysOf(records[1])), "big=9007199254740992;e=1000;f=-12.5;n=-0;small=0.1;t=1.5e-300;");
  EXPECT_EQ(Outcome(Make("{customer_id}")->KeysOf(records[2])), "customer_id=1.7976931348623157e+308;");
  EXPECT_EQ(Outcome(Make("{customer_id}")->KeysOf(records[4])), "customer_id=b;");
  EXPECT_EQ(Outcome(Make("{customer_id}")->KeysOf(records[8])),
            "error: record is not valid JSON: Invalid \\uXXXX\\uXXXX surrogate pair escape at line 1, column 23");
  EXPECT_EQ(Outcome(Make("{customer_id}")->KeysOf(records[9])), "customer_id=\xEF\xBF\xBD;");
}

TEST(MetadataExtractionTest, RunsManyRecordsOnOneStateWithoutLeaking) {
  // LeakSanitizer (the sanitizer build) checks that jq values are all released.
  for (Engine engine : {Engine::kFastest, Engine::kJqOnly}) {
    auto processor = Make("{id: .id, g: .group.name}", engine);
    std::vector<Record> batch;
    for (int i = 0; i < 5000; ++i) {
      batch.push_back(MakeRecord(static_cast<uint64_t>(i),
                                 i % 10 == 0 ? "{\"id\":" + std::to_string(i) + "}"
                                             : "{\"id\":" + std::to_string(i) + ",\"group\":{\"name\":\"g" +
                                                   std::to_string(i % 7) + "\"}}"));
    }
    auto out = processor->Process(std::move(batch));
    ASSERT_TRUE(out);
    ASSERT_EQ(out->size(), 5000u);
    for (int i = 0; i < 5000; ++i) {
      const ProcessedRecord& record = (*out)[static_cast<size_t>(i)];
      if (i % 10 == 0) {
        EXPECT_EQ(record.result, ProcessResult::kProcessingFailed) << i;
      } else {
        ASSERT_EQ(record.result, ProcessResult::kOk) << i;
        EXPECT_EQ(record.query_keys, (PartitionKeys{{"g", "g" + std::to_string(i % 7)}, {"id", std::to_string(i)}}));
      }
    }
  }
}

TEST(MetadataExtractionTest, QueryKeysTravelThroughTheChain) {
  std::vector<std::unique_ptr<Processor>> processors;
  processors.push_back(std::make_unique<AppendDelimiterProcessor>());
  processors.push_back(Make("{id}"));
  Chain chain(std::move(processors));
  std::vector<Record> batch;
  batch.push_back(MakeRecord(1, R"({"id":"a"})"));
  batch.push_back(MakeRecord(2, R"({"id":null})"));
  auto out = chain.Process(std::move(batch));
  ASSERT_TRUE(out);
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ((*out)[0].result, ProcessResult::kOk);
  EXPECT_EQ((*out)[0].data, "{\"id\":\"a\"}\n");
  EXPECT_EQ((*out)[0].query_keys, (PartitionKeys{{"id", "a"}}));
  EXPECT_EQ((*out)[1].result, ProcessResult::kProcessingFailed);
  EXPECT_EQ((*out)[1].error_output_type, kPartitioningFailedOutput);
}

TEST(MetadataExtractionTest, RefusesQueriesJqCannotCompile) {
  auto processor = MetadataExtractionProcessor::Create("{a: .a |}");
  ASSERT_FALSE(processor);
  EXPECT_THAT(processor.error().message, HasSubstr("syntax error"));
}

TEST(MetadataExtractionTest, QueriesCannotReadTheServersEnvironmentOrFiles) {
  setenv("SLUICE_TEST_SECRET", "s3cr3t", 1);
  EXPECT_EQ(Outcome(Make(R"({n: (env | length | tostring), e: ($ENV | length | tostring)})")->KeysOf("{}")),
            "e=0;n=0;");
  EXPECT_EQ(Outcome(Make(R"({s: $ENV.SLUICE_TEST_SECRET})")->KeysOf("{}")).rfind("error: ", 0), 0u);
  EXPECT_EQ(Outcome(Make("{a: .a} # a comment ends the query")->KeysOf(R"({"a":"x"})")), "a=x;");
  for (const std::string_view query : {R"(import "data" as $d; {a: .a})", R"(include "lib"; {a: .a})"}) {
    auto refused = MetadataExtractionProcessor::Create(query);
    ASSERT_FALSE(refused) << query;
    EXPECT_THAT(refused.error().message, HasSubstr("module not found")) << query;
  }
  unsetenv("SLUICE_TEST_SECRET");
}

TEST(MetadataExtractionTest, AQueryThatNeverEndsIsStoppedAtTheTimeLimit) {
  auto program = JqProgram::Compile("{k: ([repeat(1)] | length | tostring)}", std::chrono::milliseconds(50));
  ASSERT_TRUE(program) << program.error().message;
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(Outcome((*program)->Evaluate(R"({"a":1})")),
            "error: MetadataExtractionQuery ran longer than 50 ms on this record and was stopped");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
  // The state serves the next records as before.
  auto quick = JqProgram::Compile("{k: .a}", std::chrono::milliseconds(50));
  ASSERT_TRUE(quick);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Outcome((*quick)->Evaluate(R"({"a":"x"})")), "k=x;");
  EXPECT_EQ(Outcome((*program)->Evaluate(R"({"a":1})")).rfind("error: MetadataExtractionQuery ran longer", 0), 0u);
}

// libjq 1.6 leaks a few bytes in its lexer on some malformed programs (an unterminated string
// interpolation such as "\("), which no caller can free. Allocations made while compiling are
// not leak-checked where this is in scope; every query that compiles then runs leak-checked.
struct LibjqCompileLeaksIgnored {
  LibjqCompileLeaksIgnored() {
#if defined(__SANITIZE_ADDRESS__)
    __lsan_disable();
#endif
  }
  ~LibjqCompileLeaksIgnored() {
#if defined(__SANITIZE_ADDRESS__)
    __lsan_enable();
#endif
  }
  LibjqCompileLeaksIgnored(const LibjqCompileLeaksIgnored&) = delete;
  LibjqCompileLeaksIgnored& operator=(const LibjqCompileLeaksIgnored&) = delete;
};

// Robustness: mutated queries (byte flips, truncations, inserted jq tokens) either fail to
// compile with a message or run; none may crash the server. Fixed seed, so a failure reproduces.
TEST(MetadataExtractionTest, MutatedQueriesNeverCrash) {
  constexpr std::string_view kQueries[] = {
      R"({customer_id:.customer_id, year:.ts|strftime("%Y")})", "{a: .a.b[0], b: (.c // \"x\")}",
      R"({k: ([.xs[] | select(. > 1)] | length | tostring)})", R"({k: (.s | ascii_downcase | ltrimstr("a"))})"};
  constexpr std::string_view kTokens[] = {"{", "}", "(", ")", "[", "]", "|", ".", "..", "$__loc__", "reduce",
                                          "def f: f;", "limit(", "\"", "\\", "@base64d", "?", "//", "as $x",
                                          "label $out", "input", "$ENV", "env", "getpath([\"a\"])", "tojson",
                                          "fromjson", "splits(", "test(\"(\")", "ltrimstr", "1e1000", "nan"};
  std::mt19937 random(1234);
  const std::string record = R"({"customer_id":"c","ts":1700000000,"a":{"b":[1]},"xs":[1,2,3],"s":"Abc"})";
  int compiled = 0;
  for (int i = 0; i < 500; ++i) {
    std::string query(kQueries[random() % std::size(kQueries)]);
    for (int edit = 0, edits = 1 + static_cast<int>(random() % 3); edit < edits && !query.empty(); ++edit) {
      const size_t at = random() % query.size();
      switch (random() % 3) {
        case 0: query[at] = static_cast<char>(32 + random() % 95); break;
        case 1: query.insert(at, kTokens[random() % std::size(kTokens)]); break;
        case 2: query.erase(at, 1 + random() % 4); break;
      }
    }
    // Queries that loop forever have no bound in libjq; these seeds cannot make one except
    // through recursion, which the inserted `def f: f;` alone does not call.
    auto processor = [&] {
      const LibjqCompileLeaksIgnored compiling;
      return MetadataExtractionProcessor::Create(query, Engine::kJqOnly);
    }();
    if (!processor) {
      EXPECT_FALSE(processor.error().message.empty()) << query;
      continue;
    }
    ++compiled;
    (void)(*processor)->KeysOf(record);
  }
  EXPECT_GT(compiled, 30);
}

}  // namespace
}  // namespace sluice::processors
