#pragma once
// The Firehose JSON 1.1 API: routes `POST /` by X-Amz-Target to an operation, parses and
// validates the body, calls the stream registry, and answers with Firehose's shapes.

#include <string_view>

#include "api/http_server.h"
#include "core/clock.h"
#include "streams/registry.h"

namespace sluice::api {

class FirehoseService {
 public:
  FirehoseService(streams::Registry& registry, const Clock& clock);

  // A RequestHandler for HttpServer.
  void Handle(HttpRequest&& request, Respond respond);

  // The answer to a body over the server's limit.
  static HttpResponse BodyTooLarge(size_t limit);

 private:
  streams::Registry& registry_;
  const Clock& clock_;
};

}  // namespace sluice::api
