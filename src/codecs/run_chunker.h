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

// A format made of independent chunks (Snappy framing, Hadoop's block framing): the body cut
// into chunks of `input_bytes` (the last one shorter), `encode` writing one chunk's encoding of
// at most `max_encoded_bytes` at `out` and returning its size.
struct ChunkFormat {
  size_t input_bytes;
  size_t max_encoded_bytes;
  size_t (*encode)(std::string_view chunk, char* out);
};

// An object in such a format: `prefix`, then the chunks, encoded and emitted `chunks_per_emit`
// at a time, cut at the same body offsets however the body arrives.
std::unique_ptr<ObjectCompressor> MakeChunkedCompressor(EmitBytes emit, const ChunkFormat& format,
                                                        size_t chunks_per_emit, std::string_view prefix);

}  // namespace sluice::codecs
