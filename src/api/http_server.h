#pragma once
// A small HTTP/1.1 server for the Firehose API: keep-alive, bounded request size, a timeout
// on every read and write, and asynchronous completion so handlers never block an I/O thread
// while they wait (for example) for a group commit. Boost.Beast stays inside http_server.cc.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace sluice::api {

struct HttpRequest {
  std::string method;
  std::string target;
  // Header names are lower-cased.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The value of header `lower_name`, or empty.
  std::string_view Header(std::string_view lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/x-amz-json-1.1";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Called exactly once per request, from any thread.
using Respond = std::function<void(HttpResponse)>;
using RequestHandler = std::function<void(HttpRequest&&, Respond)>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 4573;  // 0 = any free port
  int threads = 0;       // 0 = one per core
  size_t body_limit = 16 << 20;
  // Whole-request budget: a client that has not sent a complete request in this time
  // (idle keep-alive, slow headers, slow body) is disconnected.
  std::chrono::milliseconds request_timeout{60'000};
  std::chrono::milliseconds write_timeout{60'000};
};

// Answer used when the request body is over HttpServerOptions::body_limit.
using BodyLimitResponder = std::function<HttpResponse(size_t limit)>;

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, RequestHandler handler, BodyLimitResponder too_large);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the I/O threads.
  Status Start();
  // The bound port (useful with port 0).
  uint16_t port() const;
  // Stops accepting, waits until every request already read has been answered, then closes
  // all connections and joins the threads. Idempotent.
  void Stop();

 public:
  class Impl;  // named by the session type inside http_server.cc

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::api
