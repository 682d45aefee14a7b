#include "loadgen/null_server.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "loadgen/http.h"
#include "loadgen/printf.h"

namespace sluice::bench {
namespace {

void Serve(int fd) {
  std::string buffer;
  std::string body;
  while (true) {
    auto request = ReadHttpMessage(fd, buffer);
    if (!request) break;
    size_t records = 0;
    for (size_t at = request->body.find("{\"Data\":"); at != std::string::npos;
         at = request->body.find("{\"Data\":", at + 1)) {
      ++records;
    }
    body = "{\"FailedPutCount\":0,\"Encrypted\":false,\"RequestResponses\":[";
    for (size_t i = 0; i < records; ++i) {
      body += i == 0 ? "{\"RecordId\":\"0\"}" : ",{\"RecordId\":\"0\"}";
    }
    body += "]}";
    const std::string head = Printf(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: %zu\r\n\r\n",
        body.size());
    if (!WriteAll(fd, head, body)) break;
  }
  ::close(fd);
}

}  // namespace

Status RunNullServer(uint16_t port, double seconds) {
  auto listener = ListenLoopback(port);
  if (!listener) return std::unexpected(listener.error());
  std::printf("{\"port\":%u}\n", port);
  std::fflush(stdout);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(seconds));
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd waiting{*listener, POLLIN, 0};
    if (::poll(&waiting, 1, 100) <= 0) continue;
    const int fd = ::accept4(*listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) std::thread(Serve, fd).detach();
  }
  ::close(*listener);
  return {};
}

}  // namespace sluice::bench
