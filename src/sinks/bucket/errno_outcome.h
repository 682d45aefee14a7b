#pragma once
// How a failed file-system call during local delivery is classified.

#include "sinks/sink.h"

namespace sluice::sinks {

// kPermanent only for errors that no amount of waiting can fix because they come from the key
// itself or from what already occupies its path: ENOTDIR, EISDIR, ELOOP (a symlink on the path),
// ENAMETOOLONG, EINVAL. Everything else is kRetryable, including ENOSPC, EDQUOT, EIO, EROFS and
// also EACCES/EPERM: an operator can fix a disk or a permission while the write-ahead log holds
// the records, which matches Firehose retrying every S3 error (AccessDenied included) for the
// whole retention window instead of discarding the batch.
Outcome OutcomeForErrno(int errno_value);

}  // namespace sluice::sinks
