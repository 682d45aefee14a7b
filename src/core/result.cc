#include "core/result.h"

#include <cstring>

namespace sluice {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "InvalidArgument";
    case ErrorCode::kNotFound: return "NotFound";
    case ErrorCode::kAlreadyExists: return "AlreadyExists";
    case ErrorCode::kConflict: return "Conflict";
    case ErrorCode::kLimitExceeded: return "LimitExceeded";
    case ErrorCode::kUnavailable: return "Unavailable";
    case ErrorCode::kIo: return "Io";
    case ErrorCode::kCorruption: return "Corruption";
    case ErrorCode::kInternal: return "Internal";
  }
  return "Unknown";
}

std::unexpected<Error> IoError(std::string_view what, int errno_value) {
  std::string message(what);
  message += ": ";
  message += std::strerror(errno_value);
  return Fail(ErrorCode::kIo, std::move(message));
}

}  // namespace sluice
