#include "formats/orc/test_reader/orc_metadata.h"

#include <bit>

#include "formats/orc/test_reader/proto_reader.h"

namespace sluice::formats::orc::test_reader {
namespace {

// Calls `on_field(reader)` for every field of `bytes`; stops at the first error.
template <typename OnField>
Status ForEachField(std::string_view bytes, OnField&& on_field) {
  ProtoReader reader(bytes);
  while (true) {
    auto more = reader.Next();
    if (!more) return std::unexpected(more.error());
    if (!*more) return {};
    if (auto status = on_field(reader); !status) return status;
  }
}

int64_t ZigZag(uint64_t n) { return static_cast<int64_t>(n >> 1) ^ -static_cast<int64_t>(n & 1); }
double AsDouble(uint64_t bits) { return std::bit_cast<double>(bits); }

// Statistics sub-messages: min (field 1), max (2), sum (3) of one numeric kind.
template <typename Convert, typename T>
Status ParseMinMaxSum(std::string_view bytes, Convert convert, std::optional<T>& min,
                      std::optional<T>& max, std::optional<T>* sum) {
  return ForEachField(bytes, [&](const ProtoReader& r) -> Status {
    if (r.field() == 1) min = convert(r);
    if (r.field() == 2) max = convert(r);
    if (r.field() == 3 && sum != nullptr) *sum = convert(r);
    return {};
  });
}

Result<OrcType> ParseType(std::string_view bytes) {
  OrcType type;
  auto status = ForEachField(bytes, [&](const ProtoReader& r) -> Status {
    switch (r.field()) {
      case 1: type.kind = static_cast<TypeKind>(r.number()); break;
      case 2: return r.AppendVarints(type.subtypes);
      case 3: type.field_names.emplace_back(r.bytes()); break;
      case 4: type.maximum_length = r.number(); break;
      case 5: type.precision = r.number(); break;
      case 6: type.scale = r.number(); break;
      default: break;
    }
    return {};
  });
  if (!status) return std::unexpected(status.error());
  if (type.kind > TypeKind::kTimestampInstant) {
    return Fail(ErrorCode::kCorruption,
                "ORC footer: unknown type kind " + std::to_string(static_cast<int>(type.kind)));
  }
  return type;
}

Result<StripeInformation> ParseStripeInformation(std::string_view bytes) {
  StripeInformation stripe;
  auto status = ForEachField(bytes, [&](const ProtoReader& r) -> Status {
    switch (r.field()) {
      case 1: stripe.offset = r.number(); break;
      case 2: stripe.index_length = r.number(); break;
      case 3: stripe.data_length = r.number(); break;
      case 4: stripe.footer_length = r.number(); break;
      case 5: stripe.rows = r.number(); break;
      default: break;
    }
    return {};
  });
  if (!status) return std::unexpected(status.error());
  return stripe;
}

Result<std::pair<std::string, std::string>> ParseUserMetadata(std::string_view bytes) {
  std::pair<std::string, std::string> item;
  auto status = ForEachField(bytes, [&](const ProtoReader& r) -> Status {
    if (r.field() == 1) item.first = r.bytes();
    if (r.field() == 2) item.second = r.bytes();
    return {};
  });
  if (!status) return std::unexpected(status.error());
  return item;
}

// Appends the parsed sub-message to `out`, or returns the parse error.
template <typename T>
Status Append(Result<T> parsed, std::vector<T>& out) {
  if (!parsed) return std::unexpected(parsed.error());
  out.push_back(std::move(*parsed));
  return {};
}

}  // namespace

Result<PostScript> ParsePostScript(std::string_view bytes) {
  PostScript ps;
  auto status = ForEachField(bytes, [&](const ProtoReader& r) -> Status {
    switch (r.field()) {
      case 1: ps.footer_length = r.number(); break;
      case 2: ps.compression = static_cast<CompressionKind>(r.number()); break;
      case 3: ps.block_size = r.number(); break;
      case 4: return r.AppendVarints(ps.version);
      case 5: ps.metadata_length = r.number(); break;
      case 6: ps.writer_version = r.number(); break;
      case 8000: ps.magic = r.bytes(); break;
      default: break;
    }
    return {};
  });
  if (!status) return std::unexpected(status.error());
  if (ps.compression > CompressionKind::kZstd) {
    return Fail(ErrorCode::kCorruption, "ORC postscript: unknown compression kind " +
                                            std::to_string(static_cast<int>(ps.compression)));
  }
  return ps;
}

Result<ColumnStatistics> ParseColumnStatistics(std::string_view bytes) {
  ColumnStatistics s;
  const auto sint = [](const ProtoReader& r) { return ZigZag(r.number()); };
  const auto dbl = [](const ProtoReader& r) { return AsDouble(r.number()); };
  const auto str = [](const ProtoReader& r) { return std::string(r.bytes()); };
  auto status = ForEachField(bytes, [&](const ProtoReader& r) -> Status {
    switch (r.field()) {
      case 1: s.number_of_values = r.number(); break;
      case 2: return ParseMinMaxSum(r.bytes(), sint, s.int_min, s.int_max, &s.int_sum);
      case 3: return ParseMinMaxSum(r.bytes(), dbl, s.double_min, s.double_max, &s.double_sum);
      case 4:
        return ForEachField(r.bytes(), [&](const ProtoReader& f) -> Status {
          if (f.field() == 1) s.string_min = f.bytes();
          if (f.field() == 2) s.string_max = f.bytes();
          if (f.field() == 3) s.string_sum = ZigZag(f.number());
          return {};
        });
      case 5:
        return ForEachField(r.bytes(), [&](const ProtoReader& f) -> Status {
          return f.field() == 1 ? f.AppendVarints(s.bucket_count) : Status{};
        });
      case 6: return ParseMinMaxSum(r.bytes(), str, s.decimal_min, s.decimal_max, &s.decimal_sum);
      case 7: return ParseMinMaxSum<decltype(sint), int64_t>(r.bytes(), sint, s.date_min, s.date_max, nullptr);
      case 8:
        return ForEachField(r.bytes(), [&](const ProtoReader& f) -> Status {
          if (f.field() == 1) s.binary_sum = ZigZag(f.number());
          return {};
        });
      case 9:
        return ForEachField(r.bytes(), [&](const ProtoReader& f) -> Status {
          if (f.field() == 1) s.timestamp_min = ZigZag(f.number());
          if (f.field() == 2) s.timestamp_max = ZigZag(f.number());
          if (f.field() == 3) s.timestamp_min_utc = ZigZag(f.number());
          if (f.field() == 4) s.timestamp_max_utc = ZigZag(f.number());
          return {};
        });
      case 10: s.has_null = r.number() != 0; break;
      case 12:
        return ForEachField(r.bytes(), [&](const ProtoReader& f) -> Status {
          if (f.field() == 3) s.total_children = f.number();
          return {};
        });
      default: break;
    }
    return {};
  });
  if (!status) return std::unexpected(status.error());
  return s;
}

Result<Footer> ParseFooter(std::string_view bytes) {
  Footer footer;
  auto status = ForEachField(bytes, [&](const ProtoReader& r) -> Status {
    switch (r.field()) {
      case 1: footer.header_length = r.number(); break;
      case 2: footer.content_length = r.number(); break;
      case 3: return Append(ParseStripeInformation(r.bytes()), footer.stripes);
      case 4: return Append(ParseType(r.bytes()), footer.types);
      case 5: return Append(ParseUserMetadata(r.bytes()), footer.user_metadata);
      case 6: footer.rows = r.number(); break;
      case 7: return Append(ParseColumnStatistics(r.bytes()), footer.statistics);
      case 8: footer.row_index_stride = r.number(); break;
      case 9: footer.writer = r.number(); break;
      case 10: footer.encrypted = true; break;
      default: break;
    }
    return {};
  });
  if (!status) return std::unexpected(status.error());
  return footer;
}

Result<std::vector<std::vector<ColumnStatistics>>> ParseMetadata(std::string_view bytes) {
  std::vector<std::vector<ColumnStatistics>> stripes;
  auto status = ForEachField(bytes, [&](const ProtoReader& r) -> Status {
    if (r.field() != 1) return {};
    stripes.emplace_back();
    return ForEachField(r.bytes(), [&](const ProtoReader& f) -> Status {
      return f.field() == 1 ? Append(ParseColumnStatistics(f.bytes()), stripes.back()) : Status{};
    });
  });
  if (!status) return std::unexpected(status.error());
  return stripes;
}

Result<StripeFooter> ParseStripeFooter(std::string_view bytes) {
  StripeFooter footer;
  auto status = ForEachField(bytes, [&](const ProtoReader& r) -> Status {
    switch (r.field()) {
      case 1:
        footer.streams.emplace_back();
        return ForEachField(r.bytes(), [&](const ProtoReader& f) -> Status {
          auto& stream = footer.streams.back();
          if (f.field() == 1) stream.kind = static_cast<StreamKind>(f.number());
          if (f.field() == 2) stream.column = f.number();
          if (f.field() == 3) stream.length = f.number();
          return {};
        });
      case 2:
        footer.encodings.emplace_back();
        return ForEachField(r.bytes(), [&](const ProtoReader& f) -> Status {
          auto& encoding = footer.encodings.back();
          if (f.field() == 1) encoding.kind = static_cast<EncodingKind>(f.number());
          if (f.field() == 2) encoding.dictionary_size = f.number();
          return {};
        });
      case 3: footer.writer_timezone = r.bytes(); break;
      default: break;
    }
    return {};
  });
  if (!status) return std::unexpected(status.error());
  return footer;
}

Result<std::vector<RowIndexEntry>> ParseRowIndex(std::string_view bytes) {
  std::vector<RowIndexEntry> entries;
  auto status = ForEachField(bytes, [&](const ProtoReader& r) -> Status {
    if (r.field() != 1) return {};
    entries.emplace_back();
    return ForEachField(r.bytes(), [&](const ProtoReader& f) -> Status {
      if (f.field() == 1) return f.AppendVarints(entries.back().positions);
      if (f.field() != 2) return {};
      auto stats = ParseColumnStatistics(f.bytes());
      if (!stats) return std::unexpected(stats.error());
      entries.back().statistics = std::move(*stats);
      return {};
    });
  });
  if (!status) return std::unexpected(status.error());
  return entries;
}

}  // namespace sluice::formats::orc::test_reader
