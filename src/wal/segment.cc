#include "wal/segment.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace sluice::wal {

std::string SegmentFileName(uint64_t base_seq) {
  char digits[kSegmentNameDigits + 1];
  std::snprintf(digits, sizeof digits, "%020llu", static_cast<unsigned long long>(base_seq));
  return std::string(digits) + std::string(kSegmentSuffix);
}

std::optional<uint64_t> ParseSegmentFileName(std::string_view name) {
  if (name.size() != kSegmentNameDigits + kSegmentSuffix.size() ||
      !name.ends_with(kSegmentSuffix)) {
    return std::nullopt;
  }
  const std::string_view digits = name.substr(0, kSegmentNameDigits);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

SegmentFile::~SegmentFile() { (void)io_.Close(fd_); }

void Segment::NoteRecord(uint64_t seq, uint64_t offset) {
  last_record_seq = seq;
  max_ref_seq = std::max(max_ref_seq, seq);
  if (index.empty() || offset - index.back().offset >= kIndexStrideBytes) {
    index.push_back({seq, offset});
  }
}

uint64_t Segment::ScanStart(uint64_t seq) const {
  const auto after = std::upper_bound(index.begin(), index.end(), seq,
                                      [](uint64_t s, const IndexPoint& p) { return s < p.seq; });
  return after == index.begin() ? 0 : std::prev(after)->offset;
}

size_t FindSegment(const std::vector<Segment>& segments, uint64_t seq) {
  const auto after = std::upper_bound(segments.begin(), segments.end(), seq,
                                      [](uint64_t s, const Segment& g) { return s < g.base_seq; });
  return after == segments.begin() ? 0 : static_cast<size_t>(after - segments.begin()) - 1;
}

}  // namespace sluice::wal
