#pragma once
// A do-nothing Firehose endpoint: answers every PutRecordBatch with success for each record
// and stores nothing. The load generator against it measures the request path's own limit.

#include <cstdint>

#include "core/result.h"

namespace sluice::bench {

// Serves on 127.0.0.1:port (0: any free port) for `seconds`, one thread per connection.
// Prints {"port":N} on stdout once listening.
Status RunNullServer(uint16_t port, double seconds);

}  // namespace sluice::bench
