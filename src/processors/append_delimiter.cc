#include "processors/append_delimiter.h"

#include <cstdint>
#include <string>
#include <utility>

namespace sluice::processors {
namespace {

// Parses 4 hex digits at `text[pos]`.
bool ParseHex4(std::string_view text, size_t pos, uint32_t& value) {
  if (pos + 4 > text.size()) return false;
  value = 0;
  for (size_t i = pos; i < pos + 4; ++i) {
    const char c = text[i];
    uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return false;
    }
    value = value * 16 + digit;
  }
  return true;
}

void AppendUtf8(uint32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

}  // namespace

Result<std::string> UnescapeDelimiter(std::string_view value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '\\') {
      out.push_back(value[i]);
      continue;
    }
    if (i + 1 == value.size()) {
      return InvalidArgument("ends with a lone backslash; write \\\\ for a backslash");
    }
    const char escape = value[++i];
    switch (escape) {
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '"':
        out.push_back('"');
        break;
      case '/':
        out.push_back('/');
        break;
      case 'u': {
        uint32_t code_point = 0;
        if (!ParseHex4(value, i + 1, code_point)) {
          return InvalidArgument("has \\u at offset " + std::to_string(i - 1) +
                                 " not followed by 4 hex digits");
        }
        i += 4;
        if (code_point >= 0xD800 && code_point <= 0xDBFF) {
          uint32_t low = 0;
          if (i + 2 >= value.size() || value[i + 1] != '\\' || value[i + 2] != 'u' ||
              !ParseHex4(value, i + 3, low) || low < 0xDC00 || low > 0xDFFF) {
            return InvalidArgument("has a high surrogate \\u escape not followed by a low one");
          }
          i += 6;
          code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
        } else if (code_point >= 0xDC00 && code_point <= 0xDFFF) {
          return InvalidArgument("has a low surrogate \\u escape without a high one");
        }
        AppendUtf8(code_point, out);
        break;
      }
      default:
        return InvalidArgument(std::string("has the unknown escape \\") + escape +
                               "; allowed: \\n \\r \\t \\b \\f \\\\ \\\" \\/ \\uXXXX");
    }
  }
  return out;
}

Result<std::vector<ProcessedRecord>> AppendDelimiterProcessor::Process(std::vector<Record> batch) {
  std::vector<ProcessedRecord> out;
  out.reserve(batch.size());
  for (Record& record : batch) {
    record.data += delimiter_;
    out.push_back(OkRecord(record, std::move(record.data)));
  }
  return out;
}

}  // namespace sluice::processors
