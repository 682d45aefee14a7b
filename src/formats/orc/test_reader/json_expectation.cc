#include "formats/orc/test_reader/json_expectation.h"

#include <libdeflate.h>
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

namespace sluice::formats::orc::test_reader {
namespace {

using simdjson::ondemand::json_type;

std::string Describe(const Value& value) {
  switch (value.kind) {
    case Value::Kind::kNull: return "null";
    case Value::Kind::kBool: return value.int_value != 0 ? "true" : "false";
    case Value::Kind::kInt: return std::to_string(value.int_value);
    case Value::Kind::kFloat:
    case Value::Kind::kDouble: {
      std::ostringstream out;
      out.precision(17);
      out << value.double_value;
      return out.str();
    }
    case Value::Kind::kList: return "list of " + std::to_string(value.children.size());
    case Value::Kind::kMap: return "map of " + std::to_string(value.children.size() / 2);
    case Value::Kind::kStruct: return "struct";
    case Value::Kind::kUnion: return "union tag " + std::to_string(value.int_value);
    default: return "\"" + value.text + "\"";
  }
}

std::string Differ(const std::string& path, const Value& actual, std::string_view expected) {
  return path + ": read " + Describe(actual) + ", expected " + std::string(expected);
}

std::string Compare(const Value& actual, simdjson::ondemand::value expected,
                    const std::string& path);

std::string CompareArray(const std::vector<Value>& actual, simdjson::ondemand::value expected,
                         const std::string& path,
                         std::string (*compare)(const Value&, simdjson::ondemand::value,
                                                const std::string&)) {
  simdjson::ondemand::array array;
  if (expected.get_array().get(array) != simdjson::SUCCESS) return path + ": expected no array";
  size_t i = 0;
  for (auto element : array) {
    simdjson::ondemand::value value;
    if (element.get(value) != simdjson::SUCCESS) return path + ": bad expected JSON";
    if (i >= actual.size()) return path + ": read fewer than the expected elements";
    const std::string mismatch = compare(actual[i], value, path + "[" + std::to_string(i) + "]");
    if (!mismatch.empty()) return mismatch;
    ++i;
  }
  if (i != actual.size()) {
    return path + ": read " + std::to_string(actual.size()) + " elements, expected " +
           std::to_string(i);
  }
  return "";
}

// Objects of the shape {"key": k, "value": v} / {"tag": t, "value": v}, checked against the
// two Values `first` (key or tag) and `second`.
std::string ComparePair(const Value& first, const Value& second, std::string_view first_name,
                        simdjson::ondemand::value expected, const std::string& path) {
  simdjson::ondemand::object object;
  if (expected.get_object().get(object) != simdjson::SUCCESS) return path + ": expected no object";
  int seen = 0;
  for (auto field : object) {
    std::string_view key;
    simdjson::ondemand::value value;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS ||
        field.value().get(value) != simdjson::SUCCESS) {
      return path + ": bad expected JSON";
    }
    const bool is_first = key == first_name;
    if (!is_first && key != "value") return path + ": unexpected key " + std::string(key);
    const std::string mismatch =
        Compare(is_first ? first : second, value, path + "." + std::string(key));
    if (!mismatch.empty()) return mismatch;
    ++seen;
  }
  return seen == 2 ? "" : path + ": expected object lacks a field";
}

std::string CompareStruct(const Value& actual, simdjson::ondemand::value expected,
                          const std::string& path) {
  simdjson::ondemand::object object;
  if (expected.get_object().get(object) != simdjson::SUCCESS) return Differ(path, actual, "a non-object");
  size_t i = 0;
  for (auto field : object) {
    std::string_view key;
    simdjson::ondemand::value value;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS ||
        field.value().get(value) != simdjson::SUCCESS) {
      return path + ": bad expected JSON";
    }
    if (i >= actual.children.size() || (*actual.field_names)[i] != key) {
      return path + ": expected field " + std::string(key) + " at position " + std::to_string(i);
    }
    const std::string mismatch = Compare(actual.children[i], value, path + "." + std::string(key));
    if (!mismatch.empty()) return mismatch;
    ++i;
  }
  return i == actual.children.size() ? "" : path + ": expected fewer fields than read";
}

std::string Compare(const Value& actual, simdjson::ondemand::value expected,
                    const std::string& path) {
  json_type type;
  if (expected.type().get(type) != simdjson::SUCCESS) return path + ": bad expected JSON";
  if (type == json_type::null) {
    return actual.kind == Value::Kind::kNull ? "" : Differ(path, actual, "null");
  }
  if (actual.kind == Value::Kind::kNull) {
    std::string_view raw = expected.raw_json_token();
    return Differ(path, actual, raw);
  }
  switch (actual.kind) {
    case Value::Kind::kBool: {
      bool b = false;
      if (expected.get_bool().get(b) != simdjson::SUCCESS || b != (actual.int_value != 0)) {
        return Differ(path, actual, "another boolean or non-boolean");
      }
      return "";
    }
    case Value::Kind::kInt: {
      int64_t i = 0;
      if (expected.get_int64().get(i) != simdjson::SUCCESS || i != actual.int_value) {
        return Differ(path, actual, "another integer");
      }
      return "";
    }
    case Value::Kind::kFloat:
    case Value::Kind::kDouble: {
      double d = 0;
      if (expected.get_double().get(d) != simdjson::SUCCESS) return Differ(path, actual, "a non-number");
      // The expected files print floats with 7 and doubles with 14 significant digits.
      char printed[64];
      std::snprintf(printed, sizeof printed, actual.kind == Value::Kind::kFloat ? "%.7g" : "%.14g",
                    actual.double_value);
      if (std::strtod(printed, nullptr) != d) return Differ(path, actual, std::to_string(d));
      return "";
    }
    case Value::Kind::kDecimal: {
      std::string_view raw = expected.raw_json_token();
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n')) raw.remove_suffix(1);
      return raw == actual.text ? "" : Differ(path, actual, raw);
    }
    case Value::Kind::kString:
    case Value::Kind::kDate:
    case Value::Kind::kTimestamp: {
      std::string_view s;
      if (expected.get_string().get(s) != simdjson::SUCCESS) return Differ(path, actual, "a non-string");
      return s == actual.text ? "" : Differ(path, actual, "\"" + std::string(s) + "\"");
    }
    case Value::Kind::kBinary: {
      std::vector<Value> bytes;
      for (unsigned char c : actual.text) {
        Value byte;
        byte.kind = Value::Kind::kInt;
        byte.int_value = c;
        bytes.push_back(byte);
      }
      return CompareArray(bytes, expected, path, Compare);
    }
    case Value::Kind::kList: return CompareArray(actual.children, expected, path, Compare);
    case Value::Kind::kMap: {
      std::vector<Value> entries;  // one list per entry: key, value
      for (size_t i = 0; i + 1 < actual.children.size(); i += 2) {
        Value entry;
        entry.kind = Value::Kind::kList;
        entry.children = {actual.children[i], actual.children[i + 1]};
        entries.push_back(std::move(entry));
      }
      return CompareArray(entries, expected, path,
                          [](const Value& entry, simdjson::ondemand::value value,
                             const std::string& at) {
                            return ComparePair(entry.children[0], entry.children[1], "key", value, at);
                          });
    }
    case Value::Kind::kUnion: {
      Value tag;
      tag.kind = Value::Kind::kInt;
      tag.int_value = actual.int_value;
      return ComparePair(tag, actual.children[0], "tag", expected, path);
    }
    case Value::Kind::kStruct: return CompareStruct(actual, expected, path);
    case Value::Kind::kNull: break;
  }
  return path + ": unhandled value kind";
}

}  // namespace

Result<std::vector<std::string>> ReadGzipLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kIo, "cannot open " + path);
  const std::string compressed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::unique_ptr<libdeflate_decompressor, decltype(&libdeflate_free_decompressor)> d(
      libdeflate_alloc_decompressor(), &libdeflate_free_decompressor);
  std::string text;
  std::string_view rest = compressed;
  while (rest.size() >= 18) {
    // ISIZE, the member's uncompressed size mod 2^32, ends the member; the files are small.
    std::string member(64u << 20, '\0');
    size_t in_bytes = 0;
    size_t out_bytes = 0;
    if (libdeflate_gzip_decompress_ex(d.get(), rest.data(), rest.size(), member.data(),
                                      member.size(), &in_bytes, &out_bytes) != LIBDEFLATE_SUCCESS) {
      return Fail(ErrorCode::kCorruption, path + ": not a valid gzip file");
    }
    text.append(member.data(), out_bytes);
    rest.remove_prefix(in_bytes);
  }
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    if (!line.empty()) lines.push_back(std::move(line));
  }
  return lines;
}

std::string Mismatch(const Value& actual, std::string_view expected) {
  // Wrapped in an array so that a bare scalar (a file whose root is not a struct) is a value.
  const simdjson::padded_string padded("[" + std::string(expected) + "]");
  static simdjson::ondemand::parser parser;  // reused: one allocation for every line
  simdjson::ondemand::document document;
  if (parser.iterate(padded).get(document) != simdjson::SUCCESS) return "bad expected JSON";
  simdjson::ondemand::array array;
  if (document.get_array().get(array) != simdjson::SUCCESS) return "bad expected JSON";
  for (auto element : array) {
    simdjson::ondemand::value value;
    if (element.get(value) != simdjson::SUCCESS) return "bad expected JSON";
    return Compare(actual, value, "$");
  }
  return "empty expected line";
}

}  // namespace sluice::formats::orc::test_reader
