#include "api/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

namespace sluice::api {
namespace {

// A blocking loopback client speaking raw HTTP/1.1.
class Client {
 public:
  explicit Client(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~Client() { ::close(fd_); }
  bool connected() const { return connected_; }
  void Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }
  // Reads until the server closes the connection or `marker` has arrived.
  std::string Receive(std::string_view marker = {}) {
    std::string received;
    char buffer[4096];
    while (marker.empty() || received.find(marker) == std::string::npos) {
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      received.append(buffer, static_cast<size_t>(n));
    }
    return received;
  }

 private:
  int fd_;
  bool connected_ = false;
};

std::string Post(std::string_view body, bool keep_alive = true) {
  return "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
         (keep_alive ? "" : "\r\nConnection: close") + "\r\n\r\n" + std::string(body);
}

class HttpServerTest : public ::testing::Test {
 protected:
  void Start(HttpServerOptions options, RequestHandler handler) {
    options.port = 0;
    options.threads = 2;
    server_ = std::make_unique<HttpServer>(std::move(options), std::move(handler), [](size_t limit) {
      HttpResponse response;
      response.status = 413;
      response.body = "limit " + std::to_string(limit);
      return response;
    });
    ASSERT_TRUE(server_->Start());
  }
  static void Echo(HttpRequest&& request, Respond respond) {
    HttpResponse response;
    response.body = std::string(request.Header("x-test")) + ":" + request.body;
    respond(std::move(response));
  }
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, ServesSeveralRequestsOnOneKeepAliveConnection) {
  Start({}, &Echo);
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  client.Send("POST / HTTP/1.1\r\nHost: x\r\nX-Test: one\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_NE(client.Receive("one:abc").find("one:abc"), std::string::npos);
  client.Send(Post("second", false));
  const std::string second = client.Receive();
  EXPECT_NE(second.find("HTTP/1.1 200"), std::string::npos);
  EXPECT_NE(second.find(":second"), std::string::npos);
}

TEST_F(HttpServerTest, ReadsALargeBodySentInPiecesExactly) {
  Start({}, [](HttpRequest&& request, Respond respond) {
    HttpResponse response;
    size_t sum = 0;
    for (const char c : request.body) sum = sum * 31 + static_cast<unsigned char>(c);
    response.body = "size " + std::to_string(request.body.size()) + " sum " + std::to_string(sum) + ".";
    respond(std::move(response));
  });
  std::string body(3'000'000, '\0');
  size_t sum = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    body[i] = static_cast<char>('a' + i * 7 % 26);
    sum = sum * 31 + static_cast<unsigned char>(body[i]);
  }
  Client client(server_->port());
  const std::string request = Post(body);
  // The header and the body's first bytes arrive together, the rest in later segments.
  client.Send(std::string_view(request).substr(0, 100));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  client.Send(std::string_view(request).substr(100));
  const std::string expected = "size " + std::to_string(body.size()) + " sum " + std::to_string(sum) + ".";
  EXPECT_NE(client.Receive(expected).find(expected), std::string::npos);
}

TEST_F(HttpServerTest, AnswersPipelinedRequestsInOrderWithTheirOwnBodies) {
  Start({}, &Echo);
  Client client(server_->port());
  // Small bodies (held inline by std::string) and an empty one, all in one segment.
  client.Send(Post("first") + Post("") + Post("third", false));
  const std::string answers = client.Receive();
  size_t responses = 0;
  for (size_t at = answers.find("HTTP/1.1 200"); at != std::string::npos;
       at = answers.find("HTTP/1.1 200", at + 1)) {
    ++responses;
  }
  EXPECT_EQ(responses, 3u) << answers;
  const size_t first = answers.find(":first");
  ASSERT_NE(first, std::string::npos) << answers;
  EXPECT_NE(answers.find(":third", first), std::string::npos) << answers;
}

TEST_F(HttpServerTest, ReadsChunkedBodies) {
  Start({}, &Echo);
  Client client(server_->port());
  client.Send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
              "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");
  EXPECT_NE(client.Receive().find(":abcdefg"), std::string::npos);
}

TEST_F(HttpServerTest, AnswersExpect100ContinueBeforeReadingTheBody) {
  Start({}, &Echo);
  Client client(server_->port());
  client.Send("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\nConnection: close\r\n\r\n");
  const std::string interim = client.Receive("\r\n\r\n");
  EXPECT_TRUE(interim.starts_with("HTTP/1.1 100 Continue\r\n\r\n")) << interim;
  client.Send("body");
  const std::string answer = client.Receive();
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  EXPECT_NE(answer.find(":body"), std::string::npos) << answer;
}

TEST_F(HttpServerTest, AnswersBodiesOverTheLimitWith413AndCloses) {
  HttpServerOptions options;
  options.body_limit = 10;
  Start(options, &Echo);
  Client client(server_->port());
  client.Send(Post(std::string(11, 'x')));
  const std::string answer = client.Receive();
  EXPECT_NE(answer.find("HTTP/1.1 413"), std::string::npos) << answer;
  EXPECT_NE(answer.find("limit 10"), std::string::npos);
}

TEST_F(HttpServerTest, DisconnectsClientsThatDoNotFinishARequestInTime) {
  HttpServerOptions options;
  options.request_timeout = std::chrono::milliseconds(200);
  Start(options, &Echo);
  Client slow(server_->port());
  slow.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part");
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(slow.Receive(), "");  // closed without an answer
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
  Client idle(server_->port());
  EXPECT_EQ(idle.Receive(), "");
}

TEST_F(HttpServerTest, GarbageIsDroppedAndTheServerKeepsServing) {
  Start({}, &Echo);
  {
    Client garbage(server_->port());
    garbage.Send(std::string("\x00\xff not http at all\r\n\r\n", 23));
    garbage.Receive();
  }
  Client client(server_->port());
  client.Send(Post("ok", false));
  EXPECT_NE(client.Receive().find(":ok"), std::string::npos);
}

TEST_F(HttpServerTest, StopWaitsForRequestsInFlightAndThenRefusesConnections) {
  std::promise<Respond> pending;
  Start({}, [&](HttpRequest&&, Respond respond) { pending.set_value(std::move(respond)); });
  const uint16_t port = server_->port();
  Client client(port);
  client.Send(Post("slow", false));
  Respond respond = pending.get_future().get();
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    server_->Stop();
    stopped = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(stopped.load());  // still waiting for the answer
  HttpResponse response;
  response.body = "late answer";
  respond(std::move(response));
  EXPECT_NE(client.Receive().find("late answer"), std::string::npos);
  stopper.join();
  EXPECT_TRUE(stopped.load());
  EXPECT_FALSE(Client(port).connected());
}

TEST_F(HttpServerTest, ReportsAnAddressInUse) {
  Start({}, &Echo);
  HttpServerOptions options;
  options.port = server_->port();
  HttpServer second(options, &Echo, [](size_t) { return HttpResponse{}; });
  const auto started = second.Start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("cannot bind"), std::string::npos) << started.error().message;
}

}  // namespace
}  // namespace sluice::api
