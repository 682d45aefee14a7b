#pragma once
// Error handling for everything that can fail for outside reasons (input, network, disk).
// No exceptions cross component boundaries: functions return Result<T> or Status.

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace sluice {

enum class ErrorCode {
  kInvalidArgument,   // the caller's input breaks a rule; the message names the field and the rule
  kNotFound,          // a named resource does not exist
  kAlreadyExists,     // a resource with that name exists
  kConflict,          // optimistic concurrency check failed (stale version id)
  kLimitExceeded,     // a count limit (streams, tags) would be exceeded
  kUnavailable,       // back-pressure: quota reached, shutting down; retry later
  kIo,                // the operating system refused a file or socket operation
  kCorruption,        // stored data failed a checksum or format check
  kInternal,          // a broken invariant
};

std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
};

template <typename T>
using Result = std::expected<T, Error>;
using Status = Result<void>;

inline std::unexpected<Error> Fail(ErrorCode code, std::string message) {
  return std::unexpected(Error{code, std::move(message)});
}
inline std::unexpected<Error> InvalidArgument(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message));
}

// Builds a kIo error from errno: "<what>: <strerror(errno)>".
std::unexpected<Error> IoError(std::string_view what, int errno_value);

}  // namespace sluice
