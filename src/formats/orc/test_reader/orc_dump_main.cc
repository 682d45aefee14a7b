// Test tool for tests/integration/conversion_test.mjs: prints the rows of an ORC file as JSON
// lines, read by the project's test-only ORC reader (proven on Apache ORC's example files).
// Structs are objects, lists arrays, maps arrays of [key, value]; decimals, dates, timestamps
// are their text; binary is hex.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/json_writer.h"
#include "formats/orc/test_reader/orc_reader.h"

namespace {

using sluice::JsonWriter;
using sluice::formats::orc::test_reader::Value;

void Write(JsonWriter& w, const Value& value) {
  switch (value.kind) {
    case Value::Kind::kNull: w.Null(); break;
    case Value::Kind::kBool: w.Bool(value.int_value != 0); break;
    case Value::Kind::kInt: w.Int(value.int_value); break;
    case Value::Kind::kFloat:
    case Value::Kind::kDouble: w.Double(value.double_value); break;
    case Value::Kind::kBinary: {
      static constexpr char kHex[] = "0123456789abcdef";
      std::string hex;
      for (const unsigned char c : value.text) {
        hex += kHex[c >> 4];
        hex += kHex[c & 15];
      }
      w.String(hex);
      break;
    }
    case Value::Kind::kString:
    case Value::Kind::kDecimal:
    case Value::Kind::kDate:
    case Value::Kind::kTimestamp: w.String(value.text); break;
    case Value::Kind::kList:
    case Value::Kind::kUnion:
      w.BeginArray();
      for (const Value& child : value.children) Write(w, child);
      w.EndArray();
      break;
    case Value::Kind::kMap:
      w.BeginArray();
      for (size_t i = 0; i + 1 < value.children.size(); i += 2) {
        w.BeginArray();
        Write(w, value.children[i]);
        Write(w, value.children[i + 1]);
        w.EndArray();
      }
      w.EndArray();
      break;
    case Value::Kind::kStruct:
      w.BeginObject();
      for (size_t i = 0; i < value.children.size(); ++i) {
        w.Key(value.field_names != nullptr && i < value.field_names->size() ? (*value.field_names)[i] : "");
        Write(w, value.children[i]);
      }
      w.EndObject();
      break;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: orc_dump FILE.orc  (prints each row as a JSON line)\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in.is_open()) {
    std::fprintf(stderr, "orc_dump: cannot open %s\n", argv[1]);
    return 1;
  }
  std::stringstream bytes;
  bytes << in.rdbuf();
  auto reader = sluice::formats::orc::test_reader::OrcReader::Open(bytes.str());
  if (!reader) {
    std::fprintf(stderr, "orc_dump: %s\n", reader.error().message.c_str());
    return 1;
  }
  auto rows = reader->ReadAll([](Value row) {
    JsonWriter w;
    Write(w, row);
    std::printf("%s\n", w.str().c_str());
  });
  if (!rows) {
    std::fprintf(stderr, "orc_dump: %s\n", rows.error().message.c_str());
    return 1;
  }
  return 0;
}
