#include "processors/command_invoker.h"

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace sluice::processors {
namespace {

using Status = LambdaInvokeResult::Status;

LambdaInvokeResult Failed(std::string code, std::string message) {
  return {Status::kRetryableError, "", std::move(code), std::move(message)};
}

}  // namespace

CommandInvoker::CommandInvoker(std::string command, std::chrono::milliseconds timeout)
    : command_(std::move(command)), timeout_(timeout) {}

CommandInvoker::~CommandInvoker() { Stop(); }

bool CommandInvoker::Start(std::string& error) {
  int sockets[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
    error = std::string("socketpair: ") + std::strerror(errno);
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, sockets[1], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, sockets[1], STDOUT_FILENO);
  // A process group of its own, so that Stop kills the shell and whatever it started (the
  // shell may run the command as its child rather than exec it).
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  const char* argv[] = {"/bin/sh", "-c", command_.c_str(), nullptr};
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, "/bin/sh", &actions, &attributes, const_cast<char* const*>(argv), environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  ::close(sockets[1]);
  if (rc != 0) {
    ::close(sockets[0]);
    error = std::string("cannot start /bin/sh: ") + std::strerror(rc);
    return false;
  }
  pid_ = pid;
  socket_ = sockets[0];
  received_.clear();
  return true;
}

void CommandInvoker::Stop() {
  if (socket_ >= 0) ::close(socket_);
  socket_ = -1;
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);  // the whole group
    ::waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
}

LambdaInvokeResult CommandInvoker::Invoke(const std::string& payload) {
  std::lock_guard lock(mutex_);
  if (pid_ < 0) {
    std::string error;
    if (!Start(error)) return Failed("Command.StartFailed", "command `" + command_ + "`: " + error);
  }
  const auto exited = [&](std::string what) {
    Stop();
    return Failed("Command.Exited", "command `" + command_ + "` " + what + "; it is restarted on the next batch");
  };
  // The request is one line: the contract's JSON has no raw newline.
  std::string line = payload;
  line += '\n';
  std::string_view rest = line;
  // The request is written and the answer read in one loop: a program may write before it has
  // read its whole input (a streaming filter), and then both socket buffers must keep moving or
  // the exchange would hang. The timeout covers the whole exchange.
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  size_t newline;
  while ((newline = received_.find('\n')) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd ready{socket_, static_cast<short>(POLLIN | (rest.empty() ? 0 : POLLOUT)), 0};
    const int polled = left.count() > 0 ? ::poll(&ready, 1, static_cast<int>(left.count())) : 0;
    if (polled < 0 && errno == EINTR) continue;
    if (polled == 0) {
      Stop();
      return Failed("Command.Timeout", "command `" + command_ + "` did not answer within " +
                                           std::to_string(timeout_.count()) + " ms; it is restarted");
    }
    if ((ready.revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      char buffer[1 << 16];
      const ssize_t n = ::recv(socket_, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) return exited("exited before answering");
      received_.append(buffer, static_cast<size_t>(n));
    } else if ((ready.revents & POLLOUT) != 0) {
      const ssize_t n = ::send(socket_, rest.data(), rest.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) return exited(std::string("stopped reading its input (") + std::strerror(errno) + ")");
      rest.remove_prefix(static_cast<size_t>(n));
    }
  }
  if (!rest.empty()) {
    // An answer before the whole request was read: what is left of it would be read as the
    // next request, so the process is started afresh.
    return exited("answered before reading its whole request");
  }
  LambdaInvokeResult result{Status::kOk, received_.substr(0, newline), "", ""};
  received_.erase(0, newline + 1);
  return result;
}

}  // namespace sluice::processors
