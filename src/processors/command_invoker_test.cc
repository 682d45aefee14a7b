#include "processors/command_invoker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "processors/make_processor.h"

namespace sluice::processors {
namespace {

using ::testing::HasSubstr;
using Status = LambdaInvokeResult::Status;

// A transformation in Python speaking the contract on stdin/stdout: upper-cases, drops records
// starting with "drop", fails those starting with "fail"; exits after a request "exit".
constexpr char kTransform[] = R"(/usr/bin/python3 -u -c '
import base64, json, sys
for line in sys.stdin:
    request = json.loads(line)
    out = []
    for r in request["records"]:
        text = base64.b64decode(r["data"]).decode()
        if text == "exit":
            sys.exit(3)
        if text.startswith("drop"):
            out.append({"recordId": r["recordId"], "result": "Dropped"})
        elif text.startswith("fail"):
            out.append({"recordId": r["recordId"], "result": "ProcessingFailed", "data": r["data"]})
        else:
            out.append({"recordId": r["recordId"], "result": "Ok",
                        "data": base64.b64encode(text.upper().encode()).decode()})
    print(json.dumps({"records": out}))
')";

ProcessorConfig Command(std::string command, std::string retries = "0", std::string timeout = "5") {
  return {"Command", {{"Command", std::move(command)}, {"NumberOfRetries", std::move(retries)},
                      {"TimeoutInSeconds", std::move(timeout)}}};
}

std::vector<Record> Records(std::initializer_list<std::string> data) {
  std::vector<Record> records;
  uint64_t seq = 1;
  for (const auto& d : data) records.push_back({seq++, 0, 1000, d, {}, {}});
  return records;
}

TEST(CommandInvokerTest, ALocalProcessTransformsDropsAndFailsRecords) {
  auto processor = MakeProcessor(0, Command(kTransform), {"arn:aws:firehose:us-east-1:1:deliverystream/s", "us-east-1", {}});
  ASSERT_TRUE(processor) << processor.error().message;
  for (int round = 0; round < 2; ++round) {  // the same process serves several batches
    auto out = (*processor)->Process(Records({"hello", "drop me", "fail me"}));
    ASSERT_TRUE(out);
    ASSERT_EQ(out->size(), 3u);
    EXPECT_EQ((*out)[0].result, ProcessResult::kOk);
    EXPECT_EQ((*out)[0].data, "HELLO");
    EXPECT_EQ((*out)[1].result, ProcessResult::kDropped);
    EXPECT_EQ((*out)[2].result, ProcessResult::kProcessingFailed);
  }
}

TEST(CommandInvokerTest, AProcessThatDiesIsRestartedOnTheNextCall) {
  CommandInvoker invoker(std::string(R"(/usr/bin/python3 -u -c 'import sys
line = sys.stdin.readline()
print("{\"records\":[]}" if "keep" in line else "")
if "keep" not in line: sys.exit(1)
for line in sys.stdin: print("{\"records\":[]}")')"),
                         std::chrono::seconds(5));
  // Answers with an empty line, then exits: the answer is read, the next call finds it gone.
  EXPECT_EQ(invoker.Invoke("first").status, Status::kOk);
  const auto gone = invoker.Invoke("second");
  EXPECT_EQ(gone.status, Status::kRetryableError);
  EXPECT_EQ(gone.error_code, "Command.Exited");
  const auto restarted = invoker.Invoke("keep");
  EXPECT_EQ(restarted.status, Status::kOk) << restarted.error_message;
  EXPECT_EQ(restarted.payload, R"({"records":[]})");
}

TEST(CommandInvokerTest, AProgramThatWritesWhileReadingDoesNotHangTheExchange) {
  // `cat` echoes its input as it reads it: with a request larger than both socket buffers, a
  // writer that sent everything before reading would wait for ever.
  CommandInvoker invoker("cat", std::chrono::seconds(30));
  const std::string request = "{\"records\":\"" + std::string(8 << 20, 'x') + "\"}";
  const auto result = invoker.Invoke(request);
  ASSERT_EQ(result.status, Status::kOk) << result.error_message;
  EXPECT_EQ(result.payload, request);
  EXPECT_EQ(invoker.Invoke("{}").payload, "{}");  // the next exchange is unaffected
}

// True while `pid` runs (a zombie, killed but not reaped yet, does not count).
bool Running(const std::string& pid) {
  std::ifstream stat("/proc/" + pid + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const size_t state = line.rfind(") ");
  return state != std::string::npos && line[state + 2] != 'Z';
}

TEST(CommandInvokerTest, StoppingKillsWhatTheCommandStartedToo) {
  const std::string pid_file = ::testing::TempDir() + "sluice-command-child-" + std::to_string(::getpid());
  CommandInvoker invoker("sleep 30 & echo $! > " + pid_file + "; wait", std::chrono::milliseconds(200));
  EXPECT_EQ(invoker.Invoke("{}").error_code, "Command.Timeout");
  std::string child;
  std::ifstream(pid_file) >> child;
  ASSERT_FALSE(child.empty());
  for (int i = 0; i < 100 && Running(child); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_FALSE(Running(child)) << "the command's child " << child << " outlived it";
  std::remove(pid_file.c_str());
}

TEST(CommandInvokerTest, ASilentProcessTimesOutAndIsKilled) {
  CommandInvoker invoker("sleep 30", std::chrono::milliseconds(200));
  const auto started = std::chrono::steady_clock::now();
  const auto result = invoker.Invoke("{}");
  EXPECT_EQ(result.status, Status::kRetryableError);
  EXPECT_EQ(result.error_code, "Command.Timeout");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST(CommandInvokerTest, FailedInvocationsFailTheirRecordsAfterTheRetries) {
  auto processor = MakeProcessor(0, Command("exit 1", "1"), {});
  ASSERT_TRUE(processor);
  auto out = (*processor)->Process(Records({"a"}));
  ASSERT_TRUE(out);
  ASSERT_EQ(out->size(), 1u);
  EXPECT_EQ((*out)[0].result, ProcessResult::kProcessingFailed);
  EXPECT_EQ((*out)[0].error_code, "Command.Exited");
}

TEST(CommandInvokerTest, ParametersAreValidatedByName) {
  EXPECT_THAT(ValidateProcessor(0, {"Command", {}}).error().message, HasSubstr("Command is required"));
  EXPECT_THAT(ValidateProcessor(0, Command("cat", "301")).error().message, HasSubstr("NumberOfRetries"));
  EXPECT_THAT(ValidateProcessor(0, Command("cat", "1", "0")).error().message, HasSubstr("TimeoutInSeconds"));
  EXPECT_TRUE(ValidateProcessor(0, Command("cat")));
}

}  // namespace
}  // namespace sluice::processors
