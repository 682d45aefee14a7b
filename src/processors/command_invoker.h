#pragma once
// Sluice's own `Command` processor transport: a long-running local process that speaks the
// Lambda transformation contract, one request per line on its stdin and one answer per line
// on its stdout (both JSON, as Firehose sends to and expects from Lambda). The process is
// started on first use, restarted after it dies, and killed on a timeout. Lets users transform
// records in any language without Lambda.

#include <sys/types.h>

#include <chrono>
#include <mutex>
#include <string>

#include "processors/lambda_processor.h"

namespace sluice::processors {

class CommandInvoker {
 public:
  // `command` runs with /bin/sh -c; its stderr is the server's.
  CommandInvoker(std::string command, std::chrono::milliseconds timeout);
  ~CommandInvoker();
  CommandInvoker(const CommandInvoker&) = delete;
  CommandInvoker& operator=(const CommandInvoker&) = delete;

  // One request line out, one answer line back. Failures (cannot start, died, timed out) are
  // kRetryableError with codes Command.StartFailed / Command.Exited / Command.Timeout; the
  // process is restarted on the next call.
  LambdaInvokeResult Invoke(const std::string& payload);

 private:
  bool Start(std::string& error);
  void Stop();

  const std::string command_;
  const std::chrono::milliseconds timeout_;
  std::mutex mutex_;  // one exchange at a time; guards the members below
  pid_t pid_ = -1;
  int socket_ = -1;      // the process's stdin and stdout
  std::string received_;  // bytes read past the last answer line
};

}  // namespace sluice::processors
