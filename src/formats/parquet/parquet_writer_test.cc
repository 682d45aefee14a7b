#include "formats/parquet/parquet_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace sluice::formats::parquet {
namespace {

const std::vector<ColumnSpec> kSchema{{"id", "bigint"}, {"Name", "string"}, {"ok", "boolean"}};

// Every piece the writer has not handed out yet.
std::string TakeAll(RecordWriter& writer) {
  std::string bytes;
  writer.Drain([&](std::string_view piece) {
    bytes += piece;
    return true;
  });
  return bytes;
}

// Ends the file and returns the pieces not taken yet.
std::string FinishAndTake(RecordWriter& writer) {
  EXPECT_TRUE(writer.Finish());
  return TakeAll(writer);
}

class ParquetWriterTest : public ::testing::Test {
 protected:
  std::unique_ptr<ParquetWriter> Make(WriterOptions options = {}, bool case_insensitive = true) {
    JsonInputOptions input;
    input.case_insensitive = case_insensitive;
    auto writer = ParquetWriter::Create(kSchema, options, input);
    EXPECT_TRUE(writer);
    return std::move(*writer);
  }
  Status Append(ParquetWriter& writer, const std::string& json) {
    return writer.Append(parser_.parse(json).value());
  }
  std::string WriteAll(const std::vector<std::string>& records, WriterOptions options = {},
                       bool case_insensitive = true) {
    auto writer = Make(options, case_insensitive);
    std::string file;
    for (const auto& record : records) {
      EXPECT_TRUE(Append(*writer, record)) << record;
      file += TakeAll(*writer);
    }
    return file + FinishAndTake(*writer);
  }

  simdjson::dom::parser parser_;
};

uint32_t FooterLength(const std::string& file) {
  uint32_t length = 0;
  std::memcpy(&length, file.data() + file.size() - 8, 4);
  return length;
}

TEST_F(ParquetWriterTest, EmptyFileIsMagicFooterMagic) {
  const std::string file = WriteAll({});
  ASSERT_GE(file.size(), 12u);
  EXPECT_EQ(file.substr(0, 4), "PAR1");
  EXPECT_EQ(file.substr(file.size() - 4), "PAR1");
  EXPECT_EQ(FooterLength(file), file.size() - 12);
  EXPECT_NE(file.find("sluice"), std::string::npos);  // created_by
}

TEST_F(ParquetWriterTest, FooterLengthMatchesWithRows) {
  const std::string file = WriteAll({R"({"id": 1, "name": "a"})", R"({"ok": true})"});
  const uint32_t footer = FooterLength(file);
  EXPECT_LT(footer, file.size() - 12);
  // The footer starts right after the last column chunk; FileMetaData's first field is version 1.
  EXPECT_EQ(file.substr(file.size() - 8 - footer, 2), std::string("\x15\x02", 2));
}

TEST_F(ParquetWriterTest, RejectedRecordLeavesNoTrace) {
  auto writer = Make();
  ASSERT_TRUE(Append(*writer, R"({"id": 1, "name": "a"})"));
  const Status bad = Append(*writer, R"({"name": "b", "id": "x"})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message, "column \"id\" (bigint): value \"x\" is not an integer");
  EXPECT_FALSE(Append(*writer, "[1, 2]"));
  EXPECT_NE(Append(*writer, "5").error().message.find("not a JSON object"), std::string::npos);
  ASSERT_TRUE(Append(*writer, R"({"id": 2})"));
  EXPECT_EQ(writer->rows(), 2);
  const std::string file = TakeAll(*writer) + FinishAndTake(*writer);
  EXPECT_EQ(file, WriteAll({R"({"id": 1, "name": "a"})", R"({"id": 2})"}));
}

TEST_F(ParquetWriterTest, KeysMatchIgnoringCaseAndExtrasAreIgnored) {
  const std::string expected = WriteAll({R"({"id": 1, "Name": "a"})"});
  EXPECT_EQ(WriteAll({R"({"ID": 1, "NAME": "a", "extra": [1]})"}), expected);
  // Case-sensitive: "NAME" is not "Name", so it is as if missing.
  EXPECT_EQ(WriteAll({R"({"id": 1, "NAME": "a"})"}, {}, false), WriteAll({R"({"id": 1})"}, {}, false));
  EXPECT_EQ(WriteAll({R"({"id": 1, "Name": "a"})"}, {}, false), expected);
}

TEST_F(ParquetWriterTest, RowGroupsAreCutAtTheConfiguredSize) {
  auto writer = Make({.row_group_bytes = 100});
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(Append(*writer, R"({"id": )" + std::to_string(i) + R"(, "name": "some text"})"));
  }
  // Complete row groups are available before Finish.
  EXPECT_GT(TakeAll(*writer).size(), 4u);
  const std::string rest = FinishAndTake(*writer);
  EXPECT_EQ(rest.substr(rest.size() - 4), "PAR1");
}

TEST_F(ParquetWriterTest, RowGroupsAreHandedOutPageByPage) {
  // Small pages, one row group for every record: it comes out at Finish as one piece per page
  // (and one for the footer), not as one buffer holding the whole row group.
  std::vector<std::string> records;
  for (int i = 0; i < 2'000; ++i) {
    const std::string n = std::to_string(i);
    records.push_back(R"({"id": )" + n + R"(, "name": "n)" + n + R"(", "ok": true})");
  }
  const WriterOptions options{.page_bytes = 256};
  auto writer = Make(options);
  std::string file;
  for (const std::string& record : records) {
    ASSERT_TRUE(Append(*writer, record));
    file += TakeAll(*writer);
  }
  EXPECT_EQ(file, "PAR1");  // nothing of the row group before it is complete
  ASSERT_TRUE(writer->Finish());
  size_t pieces = 0;
  size_t largest = 0;
  writer->Drain([&](std::string_view piece) {
    ++pieces;
    largest = std::max(largest, piece.size());
    file += piece;
    return true;
  });
  EXPECT_GT(pieces, 2'000u * 8 / 256);  // the ids' pages alone
  EXPECT_LT(largest, 1'000u);
  EXPECT_EQ(file.substr(file.size() - 4), "PAR1");
}

TEST_F(ParquetWriterTest, EveryCompressionWrites) {
  const std::vector<std::string> records(50, R"({"id": 7, "name": "repeated text repeated text"})");
  const size_t plain = WriteAll(records, {.compression = Compression::kUncompressed}).size();
  for (Compression compression : {Compression::kSnappy, Compression::kGzip, Compression::kZstd}) {
    for (PageVersion version : {PageVersion::kV1, PageVersion::kV2}) {
      const std::string file =
          WriteAll(records, {.compression = compression, .page_version = version});
      EXPECT_EQ(file.substr(file.size() - 4), "PAR1");
      EXPECT_GT(file.size(), 12u);
      EXPECT_LT(file.size(), plain + 200);
    }
  }
}

TEST_F(ParquetWriterTest, AppendAndFinishAfterFinishFail) {
  auto writer = Make();
  ASSERT_TRUE(writer->Finish());
  EXPECT_EQ(Append(*writer, "{}").error().code, ErrorCode::kInternal);
  EXPECT_EQ(writer->Finish().error().code, ErrorCode::kInternal);
}

TEST(ParquetWriterCreateTest, RefusesBadSchemas) {
  const auto error = [](std::vector<ColumnSpec> schema, bool case_insensitive = true) {
    JsonInputOptions input;
    input.case_insensitive = case_insensitive;
    auto writer = ParquetWriter::Create(schema, {}, input);
    EXPECT_FALSE(writer);
    return writer ? std::string() : writer.error().message;
  };
  EXPECT_EQ(error({}), "Parquet schema: the table has no columns");
  EXPECT_EQ(error({{"", "int"}}), "Parquet schema: a column has an empty name");
  EXPECT_EQ(error({{"a", "int"}, {"A", "string"}}),
            "Parquet schema: column \"A\" reads JSON key \"a\", which another column reads too "
            "(keys compare ignoring case)");
  JsonInputOptions case_sensitive;
  case_sensitive.case_insensitive = false;
  EXPECT_TRUE(ParquetWriter::Create({{"a", "int"}, {"A", "string"}}, {}, case_sensitive));
  EXPECT_EQ(error({{"a", "int"}, {"a", "string"}}, false),
            "Parquet schema: column \"a\" reads JSON key \"a\", which another column reads too");
  EXPECT_EQ(error({{"geo", "struct<lat:double"}}),
            "Parquet schema: column \"geo\": column type \"struct<lat:double\": expected ',' or "
            "'>' at position 18");
  auto huge = ParquetWriter::Create({{"a", "int"}}, {.row_group_bytes = size_t{3} << 30});
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.error().message.find("over the writer's limit of 2147483648 bytes"),
            std::string::npos);
}

TEST(ParquetWriterNestedTest, RejectedNestedRecordLeavesNoTrace) {
  const std::vector<ColumnSpec> schema{{"id", "int"}, {"l", "array<struct<a:int,m:map<string,int>>>"}};
  simdjson::dom::parser parser;
  const auto write = [&](const std::vector<std::string>& records) {
    auto writer = ParquetWriter::Create(schema, {});
    EXPECT_TRUE(writer);
    for (const std::string& record : records) {
      const Status appended = (*writer)->Append(parser.parse(record).value());
      EXPECT_EQ(appended.has_value(), record.find("bad") == std::string::npos) << record;
    }
    return TakeAll(**writer) + FinishAndTake(**writer);
  };
  const std::string good1 = R"({"id": 1, "l": [{"a": 1, "m": {"x": 1}}, null]})";
  const std::string good2 = R"({"id": 2, "l": []})";
  // Fails on the last leaf of the second element, after earlier leaves got entries.
  const std::string bad = R"({"id": 3, "l": [{"a": 5, "m": {"y": 2}}, {"a": 6, "m": {"z": "bad"}}]})";
  EXPECT_EQ(write({good1, bad, good2}), write({good1, good2}));
}

}  // namespace
}  // namespace sluice::formats::parquet
