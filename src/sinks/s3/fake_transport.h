#pragma once
// Test double: records every request and answers from a script.

#include <functional>
#include <mutex>
#include <vector>

#include "sinks/s3/http_transport.h"

namespace sluice::sinks::s3 {

struct SentRequest {
  PreparedRequest request;
  std::string body;
};

class FakeTransport final : public HttpTransport {
 public:
  using Script = std::function<HttpResponse(const SentRequest&)>;
  FakeTransport(std::vector<SentRequest>& sent, Script script)
      : sent_(sent), script_(std::move(script)) {}

  HttpResponse Send(const PreparedRequest& request, std::string_view body) override {
    std::lock_guard lock(mutex_);
    sent_.push_back({request, std::string(body)});
    return script_(sent_.back());
  }

 private:
  std::mutex mutex_;
  std::vector<SentRequest>& sent_;
  Script script_;
};

}  // namespace sluice::sinks::s3
