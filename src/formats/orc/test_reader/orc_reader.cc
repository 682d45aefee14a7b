#include "formats/orc/test_reader/orc_reader.h"

#include <memory>

#include "formats/orc/test_reader/decompress.h"

namespace sluice::formats::orc::test_reader {
namespace {

constexpr uint64_t kDefaultBlockSize = 256 * 1024;
constexpr std::string_view kMagic = "ORC";

std::unexpected<Error> Corrupt(const std::string& what) {
  return Fail(ErrorCode::kCorruption, "ORC file: " + what);
}

bool IsKnownVersion(const std::vector<uint64_t>& version) {
  if (version.size() < 2) return true;  // very old writers did not record it
  return version[0] == 0 || (version[0] == 1 && version[1] <= 9999);
}

}  // namespace

Result<OrcReader> OrcReader::Open(std::string file) {
  OrcReader reader;
  reader.file_ = std::move(file);
  const std::string_view bytes = reader.file_;
  if (bytes.empty()) {
    reader.footer_.types.emplace_back();  // struct<>
    reader.footer_.rows = 0;
    return reader;
  }
  if (!bytes.starts_with(kMagic)) return Corrupt("does not start with the magic 'ORC'");
  const auto ps_length = static_cast<uint8_t>(bytes.back());
  if (ps_length + 1u > bytes.size()) return Corrupt("postscript length past the file start");
  auto ps = ParsePostScript(bytes.substr(bytes.size() - 1 - ps_length, ps_length));
  if (!ps) return std::unexpected(ps.error());
  reader.postscript_ = *ps;
  if (!IsKnownVersion(ps->version)) {
    return Fail(ErrorCode::kInvalidArgument,
                "ORC file: written by a future ORC version " + std::to_string(ps->version[0]) +
                    "." + std::to_string(ps->version[1]));
  }
  const uint64_t tail_end = bytes.size() - 1 - ps_length;
  if (ps->footer_length > tail_end || ps->metadata_length > tail_end - ps->footer_length) {
    return Corrupt("footer and metadata lengths exceed the file size");
  }
  const uint64_t footer_start = tail_end - ps->footer_length;
  reader.tail_start_ = footer_start - ps->metadata_length;
  const uint64_t block_size = ps->block_size.value_or(kDefaultBlockSize);
  auto footer_bytes =
      DecompressStream(ps->compression, block_size, bytes.substr(footer_start, ps->footer_length));
  if (!footer_bytes) return std::unexpected(footer_bytes.error());
  auto footer = ParseFooter(*footer_bytes);
  if (!footer) return std::unexpected(footer.error());
  reader.footer_ = std::move(*footer);
  if (auto status = reader.ValidateTypes(); !status) return std::unexpected(status.error());
  return reader;
}

Result<std::vector<std::vector<ColumnStatistics>>> OrcReader::StripeStatistics() const {
  auto bytes = DecompressStream(postscript_.compression,
                                postscript_.block_size.value_or(kDefaultBlockSize),
                                std::string_view(file_).substr(tail_start_, postscript_.metadata_length));
  if (!bytes) return std::unexpected(bytes.error());
  return ParseMetadata(*bytes);
}

Status OrcReader::ValidateTypes() const {
  const auto& types = footer_.types;
  if (types.empty()) return Corrupt("the footer has no types");
  for (size_t i = 0; i < types.size(); ++i) {
    const OrcType& type = types[i];
    const std::string where = "type " + std::to_string(i);
    for (uint64_t child : type.subtypes) {
      if (child <= i || child >= types.size()) {
        return Corrupt(where + " has child " + std::to_string(child) + " out of order or range");
      }
    }
    const size_t children = type.subtypes.size();
    const bool ok = type.kind == TypeKind::kStruct  ? type.field_names.size() == children
                    : type.kind == TypeKind::kList  ? children == 1
                    : type.kind == TypeKind::kMap   ? children == 2
                    : type.kind == TypeKind::kUnion ? children >= 1 && children <= 256
                                                    : children == 0;
    if (!ok) return Corrupt(where + " has a wrong number of children or field names");
  }
  return {};
}

Result<StripeData> OrcReader::LoadStripe(size_t index) const {
  if (footer_.encrypted) {
    return Fail(ErrorCode::kInvalidArgument,
                "ORC file: uses column encryption, which this reader does not read");
  }
  const StripeInformation& info = footer_.stripes.at(index);
  const std::string where = "stripe " + std::to_string(index);
  const uint64_t end = info.offset + info.index_length + info.data_length + info.footer_length;
  if (info.offset < kMagic.size() || end < info.offset || end > tail_start_) {
    return Corrupt(where + " lies outside the file's data section");
  }
  const uint64_t block_size = postscript_.block_size.value_or(kDefaultBlockSize);
  const std::string_view bytes = file_;
  auto footer_bytes = DecompressStream(
      postscript_.compression, block_size,
      bytes.substr(info.offset + info.index_length + info.data_length, info.footer_length));
  if (!footer_bytes) return std::unexpected(footer_bytes.error());
  auto footer = ParseStripeFooter(*footer_bytes);
  if (!footer) return Corrupt(where + " footer: " + footer.error().message);
  StripeData stripe;
  stripe.types = &footer_.types;
  stripe.compression = postscript_.compression;
  stripe.block_size = block_size;
  stripe.footer = std::move(*footer);
  if (stripe.footer.encodings.size() != footer_.types.size()) {
    return Corrupt(where + ": bad number of ColumnEncodings in StripeFooter: expected=" +
                   std::to_string(footer_.types.size()) +
                   ", actual=" + std::to_string(stripe.footer.encodings.size()));
  }
  uint64_t offset = info.offset;
  for (const StreamInfo& stream : stripe.footer.streams) {
    if (stream.length > end - offset) return Corrupt(where + ": streams exceed the stripe");
    if (stream.column >= footer_.types.size()) {
      return Corrupt(where + ": stream for column " + std::to_string(stream.column) +
                     " but the file has " + std::to_string(footer_.types.size()));
    }
    stripe.raw_streams[{stream.column, stream.kind}] = bytes.substr(offset, stream.length);
    offset += stream.length;
  }
  auto clock = WriterClock::Create(stripe.footer.writer_timezone);
  if (!clock) return std::unexpected(clock.error());
  stripe.clock = std::make_shared<const WriterClock>(std::move(*clock));
  const auto& version = postscript_.version;
  stripe.decimal64_as_rle = version.size() >= 2 && version[0] == 1 && version[1] == 9999;
  return stripe;
}

Status OrcReader::ReadRows(const StripeData& stripe, uint64_t rows,
                           const std::function<void(Value)>& on_row) const {
  auto root = ColumnReader::Create(stripe, 0);
  if (!root) return std::unexpected(root.error());
  if (auto status = (*root)->Load(rows); !status) return status;
  for (uint64_t row = 0; row < rows; ++row) on_row((*root)->Get(row));
  return {};
}

Result<uint64_t> OrcReader::ReadAll(const std::function<void(Value)>& on_row) const {
  uint64_t rows = 0;
  for (size_t i = 0; i < footer_.stripes.size(); ++i) {
    auto stripe = LoadStripe(i);
    if (!stripe) return std::unexpected(stripe.error());
    const uint64_t stripe_rows = footer_.stripes[i].rows;
    if (auto status = ReadRows(*stripe, stripe_rows, on_row); !status) {
      return Fail(status.error().code,
                  "stripe " + std::to_string(i) + ": " + status.error().message);
    }
    rows += stripe_rows;
  }
  return rows;
}

}  // namespace sluice::formats::orc::test_reader
