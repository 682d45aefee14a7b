#include "api/http_server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "core/log.h"

namespace sluice::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string_view HttpRequest::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, RequestHandler handler, BodyLimitResponder too_large)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        too_large_(std::move(too_large)),
        work_(asio::make_work_guard(io_)),
        acceptor_(asio::make_strand(io_)) {}

  Status Start();
  void Stop();
  uint16_t port() const { return port_; }

  // In-flight accounting, so Stop can wait for every read request to be answered.
  void RequestStarted() {
    std::lock_guard lock(mutex_);
    ++in_flight_;
  }
  void RequestFinished() {
    std::lock_guard lock(mutex_);
    if (--in_flight_ == 0) idle_.notify_all();
  }
  bool stopping() const { return stopping_.load(); }

  const HttpServerOptions& options() const { return options_; }
  const RequestHandler& handler() const { return handler_; }
  const BodyLimitResponder& too_large() const { return too_large_; }

 private:
  void Accept();

  const HttpServerOptions options_;
  const RequestHandler handler_;
  const BodyLimitResponder too_large_;
  asio::io_context io_;
  // Keeps the I/O threads running while a handler holds a request and nothing else is
  // pending (for example after Stop closed the acceptor).
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> stopped_{false};
  std::mutex mutex_;  // guards in_flight_
  std::condition_variable idle_;
  int64_t in_flight_ = 0;
};

namespace {

// Spare capacity after a request body: simdjson parses a std::string in place (no copy) only if
// it may read this many bytes past the end.
constexpr size_t kBodySlack = 64;

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `server` outlives every session: sessions live in the server's io_context.
  Session(tcp::socket socket, HttpServer::Impl* server)
      : stream_(std::move(socket)), server_(server) {}

  void Start() { ReadRequest(); }

 private:
  // Reads the header with Beast, then a Content-Length body straight into the string that
  // becomes HttpRequest::body (one copy out of the socket, one read per wakeup instead of
  // Beast's 64 KiB steps). Other framings (chunked) go through Beast's body parser.
  void ReadRequest() {
    if (server_->stopping()) return Close();
    parser_.emplace();
    parser_->body_limit(server_->options().body_limit);
    parser_->header_limit(64 * 1024);
    stream_.expires_after(server_->options().request_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              self->OnHeader(ec);
                            });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnRead(ec);
    // A client that asked to be told before it sends the body (curl does for large bodies)
    // would otherwise wait for a timeout of its own first.
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = shared_from_this()](beast::error_code write_ec, size_t) {
                          if (write_ec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    const auto length = parser_->content_length();
    if (parser_->is_done() || !length) {
      http::async_read(stream_, buffer_, *parser_,
                       [self = shared_from_this()](beast::error_code read_ec, size_t) {
                         self->OnRead(read_ec);
                       });
      return;
    }
    body_.clear();
    body_.reserve(*length + kBodySlack);
    const size_t buffered = std::min<size_t>(buffer_.size(), *length);
    body_.append(static_cast<const char*>(buffer_.data().data()), buffered);
    buffer_.consume(buffered);
    // The rest is written by the socket read below before anything reads it. (The size is
    // returned explicitly: libstdc++ 12 passes the capacity, not the requested size.)
    const size_t size = *length;
    body_.resize_and_overwrite(size, [size](char*, size_t) { return size; });
    asio::async_read(stream_, asio::buffer(body_.data() + buffered, body_.size() - buffered),
                     [self = shared_from_this()](beast::error_code read_ec, size_t) {
                       if (read_ec) return self->Close();
                       self->Dispatch(self->parser_->get().base(), std::move(self->body_));
                     });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      server_->RequestStarted();
      keep_alive_ = false;
      return Write(server_->too_large()(server_->options().body_limit));
    }
    if (ec) return Close();  // end of stream, timeout, malformed HTTP: nothing to answer
    Dispatch(parser_->get().base(), std::move(parser_->get().body()));
  }

  void Dispatch(const http::request_header<>& header, std::string body) {
    keep_alive_ = parser_->keep_alive();
    HttpRequest request;
    request.method = std::string(header.method_string());
    request.target = std::string(header.target());
    request.headers.reserve(16);
    for (const auto& field : header) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.body = std::move(body);
    server_->RequestStarted();
    server_->handler()(std::move(request), [self = shared_from_this()](HttpResponse response) {
      asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->Write(std::move(response));
      });
    });
  }

  void Write(HttpResponse response) {
    auto message = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), 11);
    message->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) message->set(name, value);
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive_ && !server_->stopping());
    message->prepare_payload();
    stream_.expires_after(server_->options().write_timeout);
    http::async_write(stream_, *message,
                      [self = shared_from_this(), message](beast::error_code ec, size_t) {
                        self->server_->RequestFinished();
                        if (ec || !message->keep_alive()) return self->Close();
                        self->ReadRequest();
                      });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string body_;  // the body being read; moved into the HttpRequest once complete
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpServer::Impl* server_;
  bool keep_alive_ = true;
};

}  // namespace

Status HttpServer::Impl::Start() {
  beast::error_code ec;
  const auto address = asio::ip::make_address(options_.host, ec);
  if (ec) return InvalidArgument("listen address \"" + options_.host + "\" is not an IP address");
  const tcp::endpoint endpoint(address, options_.port);
  const auto fail = [&](std::string_view step) {
    return Fail(ErrorCode::kIo, std::string(step) + " " + options_.host + ":" +
                                    std::to_string(options_.port) + ": " + ec.message());
  };
  if (acceptor_.open(endpoint.protocol(), ec); ec) return fail("cannot open socket for");
  if (acceptor_.set_option(asio::socket_base::reuse_address(true), ec); ec) {
    return fail("cannot set SO_REUSEADDR on");
  }
  if (acceptor_.bind(endpoint, ec); ec) return fail("cannot bind");
  if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) return fail("cannot listen on");
  port_ = acceptor_.local_endpoint().port();
  Accept();
  const int threads = options_.threads > 0
                          ? options_.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
  return {};
}

void HttpServer::Impl::Accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
    if (stopping_) return;
    if (ec) {
      Log(LogLevel::kWarn, "http", "accept failed: " + ec.message());
    } else {
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Session>(std::move(socket), this)->Start();
    }
    Accept();
  });
}

void HttpServer::Impl::Stop() {
  if (stopped_.exchange(true)) return;
  stopping_ = true;
  if (!threads_.empty()) {
    std::promise<void> closed;
    asio::post(acceptor_.get_executor(), [this, &closed] {
      beast::error_code ignored;
      acceptor_.close(ignored);
      closed.set_value();
    });
    closed.get_future().wait();
  }
  {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return in_flight_ == 0; });
  }
  work_.reset();
  io_.stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler,
                       BodyLimitResponder too_large)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(too_large))) {}

HttpServer::~HttpServer() { impl_->Stop(); }

Status HttpServer::Start() { return impl_->Start(); }
uint16_t HttpServer::port() const { return impl_->port(); }
void HttpServer::Stop() { impl_->Stop(); }

}  // namespace sluice::api
