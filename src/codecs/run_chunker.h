#pragma once
// Cuts an object body that arrives in pieces of any size into runs of a fixed size, at the same
// offsets however it arrives, so that a chunked format's bytes do not depend on how the body was
// handed over.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "codecs/codec.h"
#include "core/result.h"

namespace sluice::codecs {

class RunChunker {
 public:
  using TakeRun = std::function<Status(std::string_view run)>;

  explicit RunChunker(size_t run_bytes);

  // Hands `take` every run of `run_bytes` completed by `piece`, in order. Runs lying whole in
  // `piece` are handed straight from it (no copy); only a partial run is kept.
  Status Add(std::string_view piece, const TakeRun& take);
  // The body's last bytes, shorter than a run (empty when the body ended on a run boundary).
  std::string_view Rest() const { return partial_; }
  void Clear() { partial_.clear(); }

 private:
  size_t run_bytes_;
  std::string partial_;
};

// An object of a format made of independent chunks (Snappy framing, Hadoop's block framing):
// `prefix`, then `encode` appends each run's encoding to the output, which is emitted run by
// run. `run_bytes` must be a multiple of the format's chunk input size, so chunks fall at the
// same offsets as in a whole-body encoding.
using EncodeRun = std::function<void(std::string_view run, std::string& out)>;
std::unique_ptr<ObjectCompressor> MakeChunkedCompressor(EmitBytes emit, size_t run_bytes, std::string_view prefix,
                                                        EncodeRun encode);

}  // namespace sluice::codecs
