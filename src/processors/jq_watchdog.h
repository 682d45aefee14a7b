#pragma once
// Stops a jq evaluation that runs past its time limit. libjq has no limit of its own, and a
// query such as `[repeat(1)]` never ends, which would hold up the stream's delivery for good. A
// thread of the watchdog's own calls jq_halt on the state when an armed deadline passes; jq_next
// then returns at its next step.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

struct jq_state;

namespace sluice::processors {

class JqWatchdog {
 public:
  JqWatchdog(jq_state* state, std::chrono::milliseconds limit);
  ~JqWatchdog();
  JqWatchdog(const JqWatchdog&) = delete;
  JqWatchdog& operator=(const JqWatchdog&) = delete;

  // An evaluation starts (after jq_start): it is halted if it is still running `limit` from now.
  void Arm();
  // The evaluation ended. True if the watchdog halted it.
  bool Disarm();

  std::chrono::milliseconds limit() const { return limit_; }

 private:
  void Run();

  jq_state* const state_;
  const std::chrono::milliseconds limit_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool armed_ = false;     // guarded
  bool fired_ = false;     // guarded
  bool stopping_ = false;  // guarded
  std::chrono::steady_clock::time_point deadline_;  // guarded
  std::thread thread_;     // started by the first Arm, so a program only validated has none
};

}  // namespace sluice::processors
