#include "loadgen/http.h"

#include "loadgen/printf.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>

namespace sluice::bench {
namespace {

constexpr size_t kMaxHeaderBytes = 64 * 1024;
constexpr size_t kMaxBodyBytes = 64 * 1024 * 1024;
constexpr size_t kReadChunk = 256 * 1024;

bool HeaderNameIs(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  return std::equal(name.begin(), name.end(), line.begin(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}

std::string_view HeaderValue(std::string_view line) {
  std::string_view value = line.substr(line.find(':') + 1);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\r')) value.remove_suffix(1);
  return value;
}

// Appends up to kReadChunk bytes from `fd` to `buffer`; fails at end of stream.
Status ReadMore(int fd, std::string& buffer) {
  const size_t old_size = buffer.size();
  buffer.resize(old_size + kReadChunk);
  ssize_t n;
  do {
    n = ::recv(fd, buffer.data() + old_size, kReadChunk, 0);
  } while (n < 0 && errno == EINTR);
  buffer.resize(old_size + static_cast<size_t>(std::max<ssize_t>(n, 0)));
  if (n < 0) return std::unexpected(IoError("recv", errno).error());
  if (n == 0) return Fail(ErrorCode::kIo, "connection closed by peer");
  return {};
}

}  // namespace

Result<HttpMessage> ReadHttpMessage(int fd, std::string& buffer) {
  size_t header_end;
  while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (buffer.size() > kMaxHeaderBytes) {
      return Fail(ErrorCode::kIo, Printf("HTTP header exceeds %zu bytes", kMaxHeaderBytes));
    }
    if (auto status = ReadMore(fd, buffer); !status) return std::unexpected(status.error());
  }
  HttpMessage message;
  std::string_view head(buffer.data(), header_end + 2);
  size_t content_length = 0;
  bool first = true;
  while (!head.empty()) {
    const size_t eol = head.find("\r\n");
    const std::string_view line = head.substr(0, eol);
    head.remove_prefix(eol + 2);
    if (first) {
      message.start_line = std::string(line);
      first = false;
      if (line.starts_with("HTTP/1.") && line.size() >= 12) {
        std::from_chars(line.data() + 9, line.data() + 12, message.status);
      }
    } else if (HeaderNameIs(line, "content-length")) {
      const std::string_view value = HeaderValue(line);
      std::from_chars(value.data(), value.data() + value.size(), content_length);
    } else if (HeaderNameIs(line, "transfer-encoding")) {
      return Fail(ErrorCode::kIo, "chunked HTTP bodies are not supported by the load generator");
    } else if (HeaderNameIs(line, "connection")) {
      message.close = HeaderValue(line) == "close";
    }
  }
  if (content_length > kMaxBodyBytes) {
    return Fail(ErrorCode::kIo, Printf("HTTP body of %zu bytes exceeds %zu", content_length,
                                            kMaxBodyBytes));
  }
  const size_t body_start = header_end + 4;
  while (buffer.size() < body_start + content_length) {
    if (auto status = ReadMore(fd, buffer); !status) return std::unexpected(status.error());
  }
  message.body.assign(buffer, body_start, content_length);
  buffer.erase(0, body_start + content_length);
  return message;
}

Status WriteAll(int fd, std::string_view head, std::string_view body) {
  iovec parts[2] = {{const_cast<char*>(head.data()), head.size()},
                    {const_cast<char*>(body.data()), body.size()}};
  int first = 0;
  while (first < 2) {
    const ssize_t n = ::writev(fd, parts + first, 2 - first);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::unexpected(IoError("writev", errno).error());
    }
    size_t left = static_cast<size_t>(n);
    while (first < 2 && left >= parts[first].iov_len) {
      left -= parts[first].iov_len;
      ++first;
    }
    if (first < 2) {
      parts[first].iov_base = static_cast<char*>(parts[first].iov_base) + left;
      parts[first].iov_len -= left;
    }
  }
  return {};
}

HttpConnection::~HttpConnection() { Close(); }

void HttpConnection::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

Status HttpConnection::Connect() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return std::unexpected(IoError("socket", errno).error());
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    const int error = errno;
    Close();
    return std::unexpected(IoError(Printf("connect to 127.0.0.1:%u", port_), error).error());
  }
  return {};
}

Result<HttpMessage> HttpConnection::Post(std::string_view operation, std::string_view body) {
  if (fd_ < 0) {
    if (auto status = Connect(); !status) return std::unexpected(status.error());
  }
  const std::string head = Printf(
      "POST / HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nContent-Type: application/x-amz-json-1.1\r\n"
      "X-Amz-Target: Firehose_20150804.%.*s\r\nContent-Length: %zu\r\n\r\n",
      port_, static_cast<int>(operation.size()), operation.data(), body.size());
  if (auto written = WriteAll(fd_, head, body); !written) {
    Close();
    return std::unexpected(written.error());
  }
  auto response = ReadHttpMessage(fd_, buffer_);
  if (!response || response->close) Close();
  return response;
}

Result<int> ListenLoopback(uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::unexpected(IoError("socket", errno).error());
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(fd, 128) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    ::close(fd);
    return std::unexpected(IoError(Printf("listen on 127.0.0.1:%u", port), error).error());
  }
  port = ntohs(address.sin_port);
  return fd;
}

}  // namespace sluice::bench
