#include "formats/parquet/thrift_compact.h"

namespace sluice::formats::parquet {

void AppendUleb128(uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

uint64_t ZigZag(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}

void CompactWriter::BeginStruct() {
  saved_ids_.push_back(last_field_id_);
  last_field_id_ = 0;
}

void CompactWriter::EndStruct() {
  out_.push_back(0);  // stop field
  last_field_id_ = saved_ids_.back();
  saved_ids_.pop_back();
}

void CompactWriter::FieldHeader(int16_t id, CompactType type) {
  const int delta = id - last_field_id_;
  if (delta > 0 && delta <= 15) {
    out_.push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    out_.push_back(static_cast<char>(type));
    AppendUleb128(ZigZag(id), out_);
  }
  last_field_id_ = id;
}

void CompactWriter::FieldBool(int16_t id, bool value) {
  FieldHeader(id, value ? CompactType::kBoolTrue : CompactType::kBoolFalse);
}

void CompactWriter::FieldI8(int16_t id, int8_t value) {
  FieldHeader(id, CompactType::kByte);
  out_.push_back(static_cast<char>(value));
}

void CompactWriter::FieldI32(int16_t id, int32_t value) {
  FieldHeader(id, CompactType::kI32);
  AppendUleb128(ZigZag(value), out_);
}

void CompactWriter::FieldI64(int16_t id, int64_t value) {
  FieldHeader(id, CompactType::kI64);
  AppendUleb128(ZigZag(value), out_);
}

void CompactWriter::FieldBinary(int16_t id, std::string_view value) {
  FieldHeader(id, CompactType::kBinary);
  ElementBinary(value);
}

void CompactWriter::FieldStructBegin(int16_t id) {
  FieldHeader(id, CompactType::kStruct);
  BeginStruct();
}

void CompactWriter::FieldListBegin(int16_t id, CompactType element_type, uint32_t size) {
  FieldHeader(id, CompactType::kList);
  if (size < 15) {
    out_.push_back(static_cast<char>((size << 4) | static_cast<uint32_t>(element_type)));
  } else {
    out_.push_back(static_cast<char>(0xF0 | static_cast<int>(element_type)));
    AppendUleb128(size, out_);
  }
}

void CompactWriter::ElementI32(int32_t value) { AppendUleb128(ZigZag(value), out_); }

void CompactWriter::ElementBinary(std::string_view value) {
  AppendUleb128(value.size(), out_);
  out_.append(value);
}

}  // namespace sluice::formats::parquet
