#pragma once
// Minimal HTTP/1.1 over blocking POSIX sockets, enough for the load generator and its null
// server: Content-Length framed messages, keep-alive. Chunked bodies are refused.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sluice::bench {

struct HttpMessage {
  std::string start_line;  // "HTTP/1.1 200 OK" or "POST / HTTP/1.1"
  int status = 0;          // responses only
  bool close = false;      // the peer sent `Connection: close`
  std::string body;
};

// Reads one message from `fd`. `buffer` keeps bytes read past the message for the next call.
Result<HttpMessage> ReadHttpMessage(int fd, std::string& buffer);

// Writes all of `head` then all of `body`.
Status WriteAll(int fd, std::string_view head, std::string_view body);

// A keep-alive client connection to 127.0.0.1:port that reconnects when the server closes it.
// Not thread-safe: one per thread.
class HttpConnection {
 public:
  explicit HttpConnection(uint16_t port) : port_(port) {}
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // POSTs a Firehose JSON 1.1 request for `operation` and returns the response.
  Result<HttpMessage> Post(std::string_view operation, std::string_view body);

 private:
  Status Connect();
  void Close();

  uint16_t port_;
  int fd_ = -1;
  std::string buffer_;
};

// A listening socket on 127.0.0.1:port (0: any free port). Returns the fd; `port` gets the
// bound port.
Result<int> ListenLoopback(uint16_t& port);

}  // namespace sluice::bench
