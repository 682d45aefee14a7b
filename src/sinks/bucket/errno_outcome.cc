#include "sinks/bucket/errno_outcome.h"

#include <cerrno>

namespace sluice::sinks {

Outcome OutcomeForErrno(int errno_value) {
  switch (errno_value) {
    case ENOTDIR:
    case EISDIR:
    case ELOOP:
    case ENAMETOOLONG:
    case EINVAL:
      return Outcome::kPermanent;
    default:
      return Outcome::kRetryable;
  }
}

}  // namespace sluice::sinks
