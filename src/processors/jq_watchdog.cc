#include "processors/jq_watchdog.h"

// libjq 1.6 headers declare C functions without extern "C".
extern "C" {
#include <jq.h>
}

namespace sluice::processors {

JqWatchdog::JqWatchdog(jq_state* state, std::chrono::milliseconds limit) : state_(state), limit_(limit) {}

JqWatchdog::~JqWatchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void JqWatchdog::Arm() {
  {
    std::lock_guard lock(mutex_);
    armed_ = true;
    fired_ = false;
    deadline_ = std::chrono::steady_clock::now() + limit_;
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  }
  wake_.notify_one();
}

bool JqWatchdog::Disarm() {
  std::lock_guard lock(mutex_);
  armed_ = false;
  return fired_;
}

void JqWatchdog::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (!armed_ || fired_) {
      wake_.wait(lock);
      continue;
    }
    wake_.wait_until(lock, deadline_);
    if (armed_ && !fired_ && !stopping_ && std::chrono::steady_clock::now() >= deadline_) {
      // The evaluating thread reads only the halted flag until it takes this mutex in Disarm.
      jq_halt(state_, jv_invalid(), jv_string("time limit"));
      fired_ = true;
    }
  }
}

}  // namespace sluice::processors
