#include "engine/jsonl_value.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/base64.h"
#include "common/error.h"
#include "engine/temporal.h"
#include "engine/write_value.h"

namespace omnigraph::engine {
namespace {

using compiler::ScalarKind;
using compiler::Type;

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

Value date_from_json(const rapidjson::Value& json) {
  if (json.IsInt64()) {
    int64_t days = json.GetInt64();
    if (days < INT32_MIN || days > INT32_MAX) {
      throw_bad_request("Date value out of range: " + std::to_string(days));
    }
    return Value::date(Date{static_cast<int32_t>(days)});
  }
  if (json.IsUint64())
    throw_bad_request("Date value out of range: " + std::to_string(json.GetUint64()));
  if (json.IsString()) {
    std::string_view text(json.GetString(), json.GetStringLength());
    auto date = parse_date(text);
    if (!date) throw_bad_request("invalid Date literal " + quoted(text));
    return Value::date(*date);
  }
  return Value::null();
}

Value datetime_from_json(const rapidjson::Value& json) {
  if (json.IsInt64()) return Value::datetime(DateTime{json.GetInt64()});
  if (json.IsUint64()) {
    throw_bad_request("DateTime value out of range: " + std::to_string(json.GetUint64()));
  }
  if (json.IsString()) {
    std::string_view text(json.GetString(), json.GetStringLength());
    auto time = parse_datetime(text);
    if (!time) throw_bad_request("invalid DateTime literal " + quoted(text));
    return Value::datetime(*time);
  }
  return Value::null();
}

// A scalar (not list, vector or blob). Wrong JSON types give null.
Value scalar_from_json(const rapidjson::Value& json, ScalarKind kind) {
  switch (kind) {
    case ScalarKind::kString:
      return json.IsString() ? Value::string(std::string(json.GetString(), json.GetStringLength()))
                             : Value::null();
    case ScalarKind::kBool: return json.IsBool() ? Value::boolean(json.GetBool()) : Value::null();
    case ScalarKind::kI32:
      // Like the reference: a wrapping cast, no range check.
      return json.IsInt64() ? Value::integer(static_cast<int32_t>(json.GetInt64())) : Value::null();
    case ScalarKind::kI64: return json.IsInt64() ? Value::integer(json.GetInt64()) : Value::null();
    case ScalarKind::kU32:
      return json.IsUint64() ? Value::unsigned_integer(static_cast<uint32_t>(json.GetUint64()))
                             : Value::null();
    case ScalarKind::kU64:
      return json.IsUint64() ? Value::unsigned_integer(json.GetUint64()) : Value::null();
    case ScalarKind::kF32:
      return json.IsNumber() ? Value::floating(static_cast<float>(json.GetDouble()))
                             : Value::null();
    case ScalarKind::kF64:
      return json.IsNumber() ? Value::floating(json.GetDouble()) : Value::null();
    case ScalarKind::kDate: return date_from_json(json);
    case ScalarKind::kDateTime: return datetime_from_json(json);
    case ScalarKind::kBlob:
    case ScalarKind::kVector: break;
  }
  return Value::null();
}

Value list_element_from_json(const rapidjson::Value& json, ScalarKind kind) {
  // Unlike top-level values, list elements of 32-bit types are range checked.
  if (kind == ScalarKind::kI32 && json.IsInt64()) {
    int64_t v = json.GetInt64();
    if (v < INT32_MIN || v > INT32_MAX) {
      throw_bad_request("list value " + std::to_string(v) + " exceeds Int32 range");
    }
  }
  if (kind == ScalarKind::kU32 && json.IsUint64() && json.GetUint64() > UINT32_MAX) {
    throw_bad_request("list value " + std::to_string(json.GetUint64()) + " exceeds UInt32 range");
  }
  return scalar_from_json(json, kind);
}

Value vector_from_json(const rapidjson::Value* json, const Type& type, std::string_view property) {
  if (json == nullptr || !json->IsArray()) {
    if (type.nullable) return Value::null();
    throw_bad_request("non-nullable vector property " + quoted(property) + " has null values");
  }
  if (json->Size() != type.vector_dim) {
    throw_bad_request("vector property " + quoted(property) + " expects " +
                      std::to_string(type.vector_dim) + " dimensions, got " +
                      std::to_string(json->Size()));
  }
  FloatVector v;
  v.values.reserve(json->Size());
  for (const auto& element : json->GetArray()) {
    v.values.push_back(element.IsNumber() ? static_cast<float>(element.GetDouble()) : 0.0f);
  }
  return Value::vector(std::move(v));
}

Value blob_from_json(const rapidjson::Value* json, const Type& type, std::string_view property) {
  if (json == nullptr || json->IsNull()) {
    if (type.nullable) return Value::null();
    throw_bad_request("non-nullable blob property " + quoted(property) + " has null values");
  }
  if (!json->IsString()) {
    throw_bad_request("blob property " + quoted(property) +
                      " must be a URI string or base64: prefixed data");
  }
  // One rule for blob text everywhere (loads, inserts, params).
  return blob_from_text(std::string_view(json->GetString(), json->GetStringLength()));
}

}  // namespace

std::string json_to_string(const rapidjson::Value& json) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  json.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

Value value_from_jsonl(const rapidjson::Value* json, const Type& type, std::string_view property) {
  if (type.is_vector()) return vector_from_json(json, type, property);
  if (type.is_blob() && !type.list) return blob_from_json(json, type, property);
  if (json == nullptr || json->IsNull()) return Value::null();
  if (type.list) {
    if (!json->IsArray()) {
      throw_bad_request("list property " + quoted(property) + " expects a JSON array, got " +
                        json_to_string(*json));
    }
    ValueList elements;
    elements.reserve(json->Size());
    for (const auto& element : json->GetArray()) {
      elements.push_back(list_element_from_json(element, type.scalar));
    }
    return Value::list(std::move(elements));
  }
  return scalar_from_json(*json, type.scalar);
}

}  // namespace omnigraph::engine
