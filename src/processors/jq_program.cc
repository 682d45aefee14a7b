#include "processors/jq_program.h"

#include <map>
#include <utility>

#include "processors/query_keys.h"

extern "C" {
#include <jq.h>
#include <jv.h>
}

namespace sluice::processors {
namespace {

// jq's messages can quote whole values (`error(.)`); partition errors stay short.
constexpr size_t kMaxJqMessageBytes = 256;

std::string Shortened(std::string text) {
  if (text.size() <= kMaxJqMessageBytes) return text;
  size_t end = kMaxJqMessageBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // UTF-8 boundary
  text.resize(end);
  return text + "...";
}

// Consumes `value`: a string's bytes, any other value as JSON text.
std::string TextOf(jv value) {
  if (jv_get_kind(value) == JV_KIND_STRING) {
    std::string text(jv_string_value(value), static_cast<size_t>(jv_string_length_bytes(jv_copy(value))));
    jv_free(value);
    return text;
  }
  jv dumped = jv_dump_string(value, 0);
  std::string text = jv_string_value(dumped);
  jv_free(dumped);
  return text;
}

// Consumes an invalid `value`: its message, or "" when it has none (the end of the outputs).
std::string InvalidMessage(jv value) {
  if (!jv_invalid_has_msg(jv_copy(value))) {
    jv_free(value);
    return "";
  }
  return TextOf(jv_invalid_get_msg(value));
}

// jq reports "jq: error: WHAT at <top-level>, line 1:\nPROGRAM" per error, then a count.
void CollectMessage(void* data, jv message) {
  std::string text = TextOf(message);
  if (text.starts_with("jq: error: ")) {
    text.erase(0, 11);
  } else if (text.starts_with("jq: ") && text.find("compile error") != std::string::npos) {
    return;
  }
  text.erase(std::min(text.find('\n'), text.size()));
  if (text.ends_with(':')) text.pop_back();
  static_cast<std::vector<std::string>*>(data)->push_back(std::move(text));
}

JsonKind KindOf(jv value) {
  switch (jv_get_kind(value)) {
    case JV_KIND_FALSE:
    case JV_KIND_TRUE:
      return JsonKind::kBoolean;
    case JV_KIND_NUMBER:
      return JsonKind::kNumber;
    case JV_KIND_STRING:
      return JsonKind::kString;
    case JV_KIND_ARRAY:
      return JsonKind::kArray;
    case JV_KIND_OBJECT:
      return JsonKind::kObject;
    default:
      return JsonKind::kNull;
  }
}

// Consumes `value`.
QueryValue QueryValueOf(jv value) {
  QueryValue out{KindOf(value), ""};
  if (out.kind == JsonKind::kString || out.kind == JsonKind::kNumber || out.kind == JsonKind::kBoolean) {
    out.text = TextOf(value);  // numbers as jq prints them: 1.0 -> 1, 1e3 -> 1000
  } else {
    jv_free(value);
  }
  return out;
}

// One JSON value, as jv_parse_sized reads it, but with parser messages that do not quote the
// record. Consumes nothing; the result is owned by the caller.
jv ParseOne(std::string_view text) {
  jv_parser* parser = jv_parser_new(0);
  jv_parser_set_buf(parser, text.data(), static_cast<int>(text.size()), 0);
  jv value = jv_parser_next(parser);
  if (jv_is_valid(value)) {
    jv extra = jv_parser_next(parser);
    if (jv_is_valid(extra)) {
      jv_free(value);
      value = jv_invalid_with_msg(jv_string("Unexpected extra JSON values"));
    } else if (jv_invalid_has_msg(jv_copy(extra))) {
      jv_free(value);
      value = jv_copy(extra);
    }
    jv_free(extra);
  } else if (!jv_invalid_has_msg(jv_copy(value))) {
    jv_free(value);
    value = jv_invalid_with_msg(jv_string("Expected JSON value"));
  }
  jv_parser_free(parser);
  return value;
}

}  // namespace

JqProgram::JqProgram() : state_(jq_init()) {
  jq_set_error_cb(state_, CollectMessage, &messages_);
  // No module search path: without one, libjq 1.6 aborts on `import` (an assertion in
  // jv_array_concat); with an empty one, modules are simply not found.
  jq_set_attr(state_, jv_string("JQ_LIBRARY_PATH"), jv_array());
}

JqProgram::~JqProgram() {
  watchdog_.reset();
  jq_teardown(&state_);
}

Result<std::unique_ptr<JqProgram>> JqProgram::Compile(std::string_view program,
                                                     std::chrono::milliseconds time_limit) {
  if (program.find('\0') != std::string_view::npos) {
    return InvalidArgument("must not contain a NUL character");
  }
  std::unique_ptr<JqProgram> compiled(new JqProgram());
  // Queries come from API users and run in the server: the builtins that would read the
  // server's environment (its credentials), further input, or write to its stderr are shadowed,
  // and the parentheses make `import`/`include` (files of the server) a syntax error.
  const std::string sandboxed =
      "def env: {}; def input: empty; def inputs: empty; def input_filename: null; def debug: .; "
      "def stderr: .; {} as $ENV | (" + std::string(program) + "\n)";
  if (!jq_compile(compiled->state_, sandboxed.c_str())) {
    // The query alone gives the message that fits what the user wrote.
    compiled->messages_.clear();
    if (jq_compile(compiled->state_, std::string(program).c_str())) {
      return InvalidArgument("must not use import or include (a query may not read the server's files)");
    }
    std::string text;
    for (const std::string& message : compiled->messages_) text += (text.empty() ? "" : "; ") + message;
    return InvalidArgument(text.empty() ? "jq could not compile it" : text);
  }
  compiled->messages_.clear();
  compiled->watchdog_ = std::make_unique<JqWatchdog>(compiled->state_, time_limit);
  return compiled;
}

Result<PartitionKeys> JqProgram::Evaluate(std::string_view record) {
  jv input = ParseOne(record);
  if (!jv_is_valid(input)) {
    return InvalidArgument("record is not valid JSON: " + Shortened(InvalidMessage(input)));
  }
  if (jv_get_kind(input) != JV_KIND_OBJECT) {
    const JsonKind kind = KindOf(input);
    jv_free(input);
    return std::unexpected(NotAnObjectError(kind));
  }
  jq_start(state_, input, 0);
  watchdog_->Arm();
  jv result = jq_next(state_);
  jv next = jv_is_valid(result) ? jq_next(state_) : jv_invalid();
  if (watchdog_->Disarm()) {
    jv_free(result);
    jv_free(next);
    return InvalidArgument("MetadataExtractionQuery ran longer than " + std::to_string(watchdog_->limit().count()) +
                           " ms on this record and was stopped");
  }
  if (!jv_is_valid(result)) {
    jv_free(next);
    std::string message = InvalidMessage(result);
    if (!message.empty()) return InvalidArgument("MetadataExtractionQuery failed: " + Shortened(message));
    return InvalidArgument(jq_halted(state_) ? "MetadataExtractionQuery halted without a result"
                                             : "MetadataExtractionQuery produced no result");
  }
  if (jv_is_valid(next)) {
    jv_free(next);
    jv_free(result);
    return InvalidArgument("MetadataExtractionQuery produced more than one result");
  }
  if (std::string late_error = InvalidMessage(next); !late_error.empty()) {
    jv_free(result);
    return InvalidArgument("MetadataExtractionQuery failed: " + Shortened(late_error));
  }
  if (jv_get_kind(result) != JV_KIND_OBJECT) {
    const JsonKind kind = KindOf(result);
    jv_free(result);
    return InvalidArgument("MetadataExtractionQuery must produce a JSON object of partition keys, got " +
                           std::string(JsonKindName(kind)));
  }
  std::map<std::string, QueryValue> members;
  jv_object_foreach(result, key, value) {
    std::string name = TextOf(key);
    members[std::move(name)] = QueryValueOf(value);
  }
  jv_free(result);
  return PartitionKeysOf(std::move(members));
}

}  // namespace sluice::processors
