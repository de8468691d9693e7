#include "engine/params.h"

#include <rapidjson/error/en.h>

#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "common/error.h"
#include "common/json_surrogates.h"
#include "engine/temporal.h"
#include "engine/write_value.h"

namespace omnigraph::engine {
namespace {

using compiler::ScalarKind;
using compiler::Type;

// Undeclared array parameters are converted recursively; bound the depth so
// hostile input cannot exhaust the stack.
constexpr int kMaxInferredDepth = 128;

[[noreturn]] void param_error(std::string_view key, const std::string& message) {
  throw_bad_request("param '" + std::string(key) + "': " + message);
}

const char* json_type_name(const rapidjson::Value& json) {
  switch (json.GetType()) {
    case rapidjson::kNullType: return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return "boolean";
    case rapidjson::kNumberType: return "number";
    case rapidjson::kStringType: return "string";
    case rapidjson::kArrayType: return "array";
    case rapidjson::kObjectType: return "object";
  }
  return "null";
}

std::string string_of(const rapidjson::Value& json) {
  return std::string(json.GetString(), json.GetStringLength());
}

// Decimal integer text as Rust's `str::parse` takes it: an optional sign
// ('-' only when signed), then one or more ASCII digits, nothing else.
std::optional<uint64_t> parse_magnitude(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::optional<int64_t> parse_i64_text(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  auto magnitude = parse_magnitude(text);
  if (!magnitude) return std::nullopt;
  if (negative) {
    if (*magnitude > static_cast<uint64_t>(INT64_MAX) + 1) return std::nullopt;
    return static_cast<int64_t>(0 - *magnitude);
  }
  if (*magnitude > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(*magnitude);
}

std::optional<uint64_t> parse_u64_text(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  return parse_magnitude(text);
}

int64_t signed_param(std::string_view key, const rapidjson::Value& json) {
  if (json.IsNumber()) {
    if (!json.IsInt64()) param_error(key, "expected integer number");
    return json.GetInt64();
  }
  if (json.IsString()) {
    auto value = parse_i64_text(std::string_view(json.GetString(), json.GetStringLength()));
    if (!value) param_error(key, "expected integer string, got '" + string_of(json) + "'");
    return *value;
  }
  param_error(key, "expected integer");
}

uint64_t unsigned_param(std::string_view key, const rapidjson::Value& json) {
  if (json.IsNumber()) {
    if (!json.IsUint64()) param_error(key, "expected unsigned integer number");
    return json.GetUint64();
  }
  if (json.IsString()) {
    auto value = parse_u64_text(std::string_view(json.GetString(), json.GetStringLength()));
    if (!value) param_error(key, "expected unsigned integer string, got '" + string_of(json) + "'");
    return *value;
  }
  param_error(key, "expected unsigned integer");
}

Value vector_param(std::string_view key, const rapidjson::Value& json, const Type& type) {
  const std::string type_name = type.with_nullable(false).display();
  if (!json.IsArray()) param_error(key, "expected array for " + type_name);
  if (json.Size() != type.vector_dim) {
    param_error(key, "expected " + std::to_string(type.vector_dim) + " values for " + type_name +
                         ", got " + std::to_string(json.Size()));
  }
  FloatVector out;
  out.values.reserve(json.Size());
  for (const auto& element : json.GetArray()) {
    if (!element.IsNumber()) param_error(key, "vector element is not numeric");
    out.values.push_back(static_cast<float>(element.GetDouble()));
  }
  return Value::vector(std::move(out));
}

Value scalar_param(std::string_view key, const rapidjson::Value& json, const Type& type) {
  switch (type.scalar) {
    case ScalarKind::kString:
      if (json.IsString()) return Value::string(string_of(json));
      if (type.is_enum()) {
        // Not a declarable parameter type; the reference's catch-all text.
        param_error(key, "expected string for type '" + type.with_nullable(false).display() +
                             "', got " + json_type_name(json));
      }
      param_error(key, std::string("expected string, got ") + json_type_name(json));
    case ScalarKind::kI32: {
      int64_t value = signed_param(key, json);
      if (value < INT32_MIN || value > INT32_MAX) {
        param_error(key, "value " + std::to_string(value) + " exceeds I32");
      }
      return Value::integer(value);
    }
    case ScalarKind::kI64: return Value::integer(signed_param(key, json));
    case ScalarKind::kU32: {
      uint64_t value = unsigned_param(key, json);
      if (value > UINT32_MAX) param_error(key, "value " + std::to_string(value) + " exceeds U32");
      return Value::integer(static_cast<int64_t>(value));
    }
    case ScalarKind::kU64: {
      uint64_t value = unsigned_param(key, json);
      if (value > static_cast<uint64_t>(INT64_MAX)) {
        param_error(key, "value " + std::to_string(value) +
                             " exceeds current engine range for U64 (max " +
                             std::to_string(INT64_MAX) + ")");
      }
      return Value::integer(static_cast<int64_t>(value));
    }
    case ScalarKind::kF32:
    case ScalarKind::kF64:
      if (!json.IsNumber()) param_error(key, "expected float");
      return Value::floating(json.GetDouble());
    case ScalarKind::kBool:
      if (!json.IsBool()) param_error(key, "expected boolean");
      return Value::boolean(json.GetBool());
    case ScalarKind::kDate: {
      if (!json.IsString()) param_error(key, "expected date string");
      std::string text = string_of(json);
      auto date = parse_date(text);
      if (!date) throw_bad_request("invalid Date literal '" + text + "'");
      return Value::date(*date);
    }
    case ScalarKind::kDateTime: {
      if (!json.IsString()) param_error(key, "expected datetime string");
      std::string text = string_of(json);
      auto time = parse_datetime(text);
      if (!time) throw_bad_request("invalid DateTime literal '" + text + "'");
      return Value::datetime(*time);
    }
    case ScalarKind::kBlob:
      if (!json.IsString()) {
        param_error(key, std::string("expected blob URI string, got ") + json_type_name(json));
      }
      return blob_from_text(std::string_view(json.GetString(), json.GetStringLength()));
    case ScalarKind::kVector: return vector_param(key, json, type);
  }
  param_error(key, "unsupported parameter type");
}

// A non-null JSON value for a declared parameter.
Value typed_param(std::string_view key, const rapidjson::Value& json, const Type& type) {
  if (type.is_vector()) return vector_param(key, json, type);
  if (!type.list) return scalar_param(key, json, type);
  if (!json.IsArray())
    param_error(key, "expected array for " + type.with_nullable(false).display());
  // Elements are converted like a scalar of the element type (a null
  // element is rejected by that type's rule, as in the reference).
  const Type element = Type::scalar_of(type.scalar);
  ValueList out;
  out.reserve(json.Size());
  for (const auto& item : json.GetArray()) out.push_back(scalar_param(key, item, element));
  return Value::list(std::move(out));
}

Value inferred_param(std::string_view key, const rapidjson::Value& json, int depth) {
  switch (json.GetType()) {
    case rapidjson::kNullType: return Value::null();
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return Value::boolean(json.GetBool());
    case rapidjson::kStringType: return Value::string(string_of(json));
    case rapidjson::kNumberType:
      if (json.IsInt64()) return Value::integer(json.GetInt64());
      return Value::floating(json.GetDouble());
    case rapidjson::kArrayType: {
      if (depth >= kMaxInferredDepth) param_error(key, "array nesting is too deep");
      ValueList out;
      out.reserve(json.Size());
      for (const auto& item : json.GetArray()) out.push_back(inferred_param(key, item, depth + 1));
      return Value::list(std::move(out));
    }
    case rapidjson::kObjectType: break;
  }
  param_error(key, "object is not supported");
}

// Declared params not given: nullable ones become null, the others are an
// error (the reference left them out silently).
void fill_omitted(ParamMap& out, const std::vector<compiler::ir::ParamDecl>& decls) {
  for (const auto& decl : decls) {
    if (out.count(decl.name) > 0) continue;
    if (!decl.type.nullable) throw_bad_request("parameter '" + decl.name + "' not provided");
    out.emplace(decl.name, Value::null());
  }
}

}  // namespace

ParamMap params_from_json(const rapidjson::Value* params,
                          const std::vector<compiler::ir::ParamDecl>& decls) {
  ParamMap out;
  if (params == nullptr || params->IsNull()) {
    fill_omitted(out, decls);
    return out;
  }
  if (!params->IsObject()) throw_bad_request("params must be a JSON object");

  // A repeated key keeps its first position and its last value, as the
  // reference's JSON map does.
  std::vector<std::pair<std::string, const rapidjson::Value*>> members;
  std::map<std::string, size_t, std::less<>> position;
  for (const auto& member : params->GetObject()) {
    std::string key = string_of(member.name);
    auto [it, inserted] = position.emplace(key, members.size());
    if (inserted) {
      members.emplace_back(std::move(key), &member.value);
    } else {
      members[it->second].second = &member.value;
    }
  }

  for (const auto& [key, json] : members) {
    const compiler::ir::ParamDecl* decl = nullptr;
    for (const auto& d : decls) {
      if (d.name == key) {
        decl = &d;
        break;
      }
    }
    if (decl == nullptr) {
      out.insert_or_assign(key, inferred_param(key, *json, 0));
    } else if (json->IsNull()) {
      if (!decl->type.nullable) param_error(key, "null is not accepted for non-nullable parameter");
      out.insert_or_assign(key, Value::null());
    } else {
      out.insert_or_assign(key, typed_param(key, *json, decl->type));
    }
  }
  fill_omitted(out, decls);
  return out;
}

ParamMap params_from_json_text(std::string_view text,
                               const std::vector<compiler::ir::ParamDecl>& decls) {
  bool blank = true;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      blank = false;
      break;
    }
  }
  if (blank) return params_from_json(nullptr, decls);

  rapidjson::Document doc;
  // Iterative parsing: deep nesting in a request body must not overflow the stack.
  doc.Parse<rapidjson::kParseFullPrecisionFlag | rapidjson::kParseIterativeFlag>(text.data(),
                                                                                 text.size());
  const auto [error, error_offset] =
      first_json_error(doc.GetParseError(), doc.GetErrorOffset(), text);
  if (error != rapidjson::kParseErrorNone) {
    throw_bad_request("params must be a JSON object: invalid JSON at offset " +
                      std::to_string(error_offset) + ": " + rapidjson::GetParseError_En(error));
  }
  return params_from_json(&doc, decls);
}

}  // namespace omnigraph::engine
