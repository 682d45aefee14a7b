#include "sinks/bucket/errno_outcome.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace sluice::sinks {
namespace {

TEST(OutcomeForErrno, PathShapeErrorsArePermanent) {
  for (int e : {ENOTDIR, EISDIR, ELOOP, ENAMETOOLONG, EINVAL}) {
    EXPECT_EQ(OutcomeForErrno(e), Outcome::kPermanent) << e;
  }
}

TEST(OutcomeForErrno, ResourceAndPermissionErrorsAreRetryable) {
  for (int e : {ENOSPC, EDQUOT, EIO, EROFS, EACCES, EPERM, EMFILE, ENFILE, ENOMEM, EEXIST}) {
    EXPECT_EQ(OutcomeForErrno(e), Outcome::kRetryable) << e;
  }
}

}  // namespace
}  // namespace sluice::sinks
