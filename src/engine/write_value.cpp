#include "engine/write_value.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "common/base64.h"
#include "common/error.h"
#include "engine/temporal.h"

namespace omnigraph::engine {
namespace {

using compiler::ScalarKind;
using compiler::Type;

// ---- Error texts -------------------------------------------------------
// The reference formats `cannot convert {literal:?} to {arrow type:?}` with
// Rust's Debug output, so the helpers below reproduce that form.

// Rust's `{:?}` for f64: shortest round-trip digits, at least one decimal
// ("5.0"), scientific outside [1e-4, 1e16) ("1e20", "1.5e-7").
std::string float_debug(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[64];
  double magnitude = std::fabs(v);
  if (magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e16)) {
    auto end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed).ptr;
    std::string out(buf, end);
    if (out.find('.') == std::string::npos) out += ".0";
    return out;
  }
  auto end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific).ptr;
  std::string text(buf, end);  // e.g. "1.5e-07", "1e+20"
  size_t e = text.find('e');
  std::string mantissa = text.substr(0, e);
  std::string exponent = text.substr(e + 1);
  bool negative = exponent[0] == '-';
  size_t digits = exponent.find_first_not_of("+-0");
  return mantissa + "e" + (negative ? "-" : "") +
         (digits == std::string::npos ? "0" : exponent.substr(digits));
}

// Rust's `{:?}` for a string: quoted, with \" \\ \n \r \t \0 escapes and
// \u{..} for other control characters.
std::string string_debug(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\0': out += "\\0"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char hex[8];
          auto end = std::to_chars(hex, hex + sizeof hex, static_cast<unsigned char>(c), 16).ptr;
          out += "\\u{" + std::string(hex, end) + "}";
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// The reference's Literal Debug form of a value: Integer(5), Float(1.5),
// String("x"), List([...]), ... (blobs were plain strings there).
std::string literal_debug(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull: return "Null";
    case Value::Kind::kBool: return v.as_bool() ? "Bool(true)" : "Bool(false)";
    case Value::Kind::kInt: return "Integer(" + std::to_string(v.as_int()) + ")";
    case Value::Kind::kUInt: return "Integer(" + std::to_string(v.as_uint()) + ")";
    case Value::Kind::kFloat: return "Float(" + float_debug(v.as_float()) + ")";
    case Value::Kind::kString: return "String(" + string_debug(v.as_string()) + ")";
    case Value::Kind::kDate: return "Date(" + string_debug(format_date(v.as_date())) + ")";
    case Value::Kind::kDateTime:
      return "DateTime(" + string_debug(format_datetime(v.as_datetime())) + ")";
    case Value::Kind::kBlob: {
      const Blob& blob = v.as_blob();
      return "String(" +
             string_debug(blob.is_uri ? blob.data : "base64:" + base64_encode(blob.data)) + ")";
    }
    case Value::Kind::kList: {
      std::string out = "List([";
      const ValueList& items = v.as_list();
      for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ", ";
        out += literal_debug(items[i]);
      }
      return out + "])";
    }
    case Value::Kind::kVector: {
      std::string out = "List([";
      const auto& items = v.as_vector().values;
      for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ", ";
        out += "Float(" + float_debug(items[i]) + ")";
      }
      return out + "])";
    }
  }
  return "Null";
}

// The Arrow DataType Debug name of a storage type (languages.md §1.2).
std::string arrow_scalar_name(ScalarKind kind) {
  switch (kind) {
    case ScalarKind::kString: return "Utf8";
    case ScalarKind::kBool: return "Boolean";
    case ScalarKind::kI32: return "Int32";
    case ScalarKind::kI64: return "Int64";
    case ScalarKind::kU32: return "UInt32";
    case ScalarKind::kU64: return "UInt64";
    case ScalarKind::kF32: return "Float32";
    case ScalarKind::kF64: return "Float64";
    case ScalarKind::kDate: return "Date32";
    case ScalarKind::kDateTime: return "Date64";
    case ScalarKind::kBlob: return "LargeBinary";
    case ScalarKind::kVector: return "Float32";
  }
  return "Utf8";
}

std::string item_field(std::string_view data_type) {
  return "Field { name: \"item\", data_type: " + std::string(data_type) + ", nullable: true }";
}

std::string arrow_type_name(const Type& type) {
  if (type.is_vector()) {
    return "FixedSizeList(" + item_field("Float32") + ", " + std::to_string(type.vector_dim) + ")";
  }
  if (type.list) return "List(" + item_field(arrow_scalar_name(type.scalar)) + ")";
  return arrow_scalar_name(type.scalar);
}

[[noreturn]] void throw_cannot_convert(const Value& v, const Type& type) {
  throw_bad_request("cannot convert " + literal_debug(v) + " to " + arrow_type_name(type));
}

// ---- Base64 validation -------------------------------------------------
// The reference's decoder (Rust's base64 crate, standard engine) says why
// it rejects a text, and also rejects non-zero unused bits in the last
// symbol, which base64_decode lets through. So blobs are validated here
// first, with the crate's wording.

bool in_alphabet(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

int symbol_bits(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  return c == '+' ? 62 : 63;
}

std::string invalid_symbol(size_t offset, unsigned char byte) {
  return "Invalid symbol " + std::to_string(byte) + ", offset " + std::to_string(offset) + ".";
}

// Why `text` is not canonical padded base64, or nullopt when it is.
std::optional<std::string> base64_problem(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (!in_alphabet(c) && c != '=') return invalid_symbol(i, c);
  }
  size_t symbols = text.find('=');
  if (symbols == std::string_view::npos) symbols = text.size();
  // Padding may only end the text, at most two, after two or three symbols.
  for (size_t i = symbols; i < text.size(); ++i) {
    if (text[i] != '=') return invalid_symbol(symbols, '=');
  }
  size_t padding = text.size() - symbols;
  if (padding > 0 && (padding > 2 || symbols % 4 < 2)) return invalid_symbol(symbols, '=');
  if (symbols % 4 == 1) return "Invalid input length: " + std::to_string(text.size());
  if (text.size() % 4 != 0) return "Invalid padding";
  // Canonical encodings leave the unused low bits of the last symbol zero.
  if (symbols % 4 != 0) {
    auto last = static_cast<unsigned char>(text[symbols - 1]);
    int unused_bits_mask = symbols % 4 == 2 ? 0x0f : 0x03;
    if ((symbol_bits(last) & unused_bits_mask) != 0) {
      return "Invalid last symbol " + std::to_string(last) + ", offset " +
             std::to_string(symbols - 1) + ".";
    }
  }
  return std::nullopt;
}

// ---- Conversions -------------------------------------------------------

// Integers travel as int64 (§6.1); an unsigned value is reinterpreted.
bool integer_of(const Value& v, int64_t& out) {
  if (v.kind() == Value::Kind::kInt) {
    out = v.as_int();
    return true;
  }
  if (v.kind() == Value::Kind::kUInt) {
    out = static_cast<int64_t>(v.as_uint());
    return true;
  }
  return false;
}

Value date_from_string(const std::string& text) {
  auto date = parse_date(text);
  if (!date) throw_bad_request("invalid Date literal '" + text + "'");
  return Value::date(*date);
}

Value datetime_from_string(const std::string& text) {
  auto time = parse_datetime(text);
  if (!time) throw_bad_request("invalid DateTime literal '" + text + "'");
  return Value::datetime(*time);
}

Value scalar_for_type(const Value& v, const Type& type) {
  int64_t n = 0;
  const bool is_integer = integer_of(v, n);
  const Value::Kind kind = v.kind();
  switch (type.scalar) {
    case ScalarKind::kString:
      if (kind == Value::Kind::kString) return v;
      break;
    case ScalarKind::kBool:
      if (kind == Value::Kind::kBool) return v;
      break;
    // Plain casts, no range check: the reference's quirk.
    case ScalarKind::kI32:
      if (is_integer) return Value::integer(static_cast<int32_t>(n));
      break;
    case ScalarKind::kI64:
      if (is_integer) return Value::integer(n);
      break;
    case ScalarKind::kU32:
      if (is_integer) return Value::unsigned_integer(static_cast<uint32_t>(n));
      break;
    case ScalarKind::kU64:
      if (is_integer) return Value::unsigned_integer(static_cast<uint64_t>(n));
      break;
    // An Integer for a float column is an error (quirk, §4.9).
    case ScalarKind::kF32:
      if (kind == Value::Kind::kFloat) return Value::floating(static_cast<float>(v.as_float()));
      break;
    case ScalarKind::kF64:
      if (kind == Value::Kind::kFloat) return v;
      break;
    case ScalarKind::kDate:
      if (kind == Value::Kind::kDate) return v;
      if (kind == Value::Kind::kString) return date_from_string(v.as_string());
      break;
    case ScalarKind::kDateTime:
      if (kind == Value::Kind::kDateTime) return v;
      if (kind == Value::Kind::kString) return datetime_from_string(v.as_string());
      break;
    case ScalarKind::kBlob:
      if (kind == Value::Kind::kBlob) return v;
      if (kind == Value::Kind::kString) return blob_from_text(v.as_string());
      // The reference writes a non-string blob assignment as absent (null);
      // the caller's nullability check then applies.
      return Value::null();
    case ScalarKind::kVector: break;
  }
  throw_cannot_convert(v, type);
}

// One list element. A null or wrong-kind element is stored as null, like
// the reference's list builders; integer elements of 32-bit and unsigned
// columns are range checked.
Value list_element(const Value& v, ScalarKind kind) {
  int64_t n = 0;
  const bool is_integer = integer_of(v, n);
  switch (kind) {
    case ScalarKind::kString: return v.kind() == Value::Kind::kString ? v : Value::null();
    case ScalarKind::kBool: return v.kind() == Value::Kind::kBool ? v : Value::null();
    case ScalarKind::kI32:
      if (!is_integer) return Value::null();
      if (n < INT32_MIN || n > INT32_MAX) {
        throw_bad_request("list value " + std::to_string(n) + " exceeds Int32 range");
      }
      return Value::integer(n);
    case ScalarKind::kI64: return is_integer ? Value::integer(n) : Value::null();
    case ScalarKind::kU32:
      if (!is_integer) return Value::null();
      if (n < 0 || n > static_cast<int64_t>(UINT32_MAX)) {
        throw_bad_request("list value " + std::to_string(n) + " exceeds UInt32 range");
      }
      return Value::unsigned_integer(static_cast<uint64_t>(n));
    case ScalarKind::kU64:
      if (!is_integer) return Value::null();
      if (n < 0) throw_bad_request("list value " + std::to_string(n) + " exceeds UInt64 range");
      return Value::unsigned_integer(static_cast<uint64_t>(n));
    // Unlike scalars, list elements take integers for float columns.
    case ScalarKind::kF32:
      if (is_integer) return Value::floating(static_cast<float>(n));
      if (v.kind() == Value::Kind::kFloat) {
        return Value::floating(static_cast<float>(v.as_float()));
      }
      return Value::null();
    case ScalarKind::kF64:
      if (is_integer) return Value::floating(static_cast<double>(n));
      return v.kind() == Value::Kind::kFloat ? v : Value::null();
    case ScalarKind::kDate:
      if (v.kind() == Value::Kind::kDate) return v;
      if (v.kind() == Value::Kind::kString) return date_from_string(v.as_string());
      return Value::null();
    case ScalarKind::kDateTime:
      if (v.kind() == Value::Kind::kDateTime) return v;
      if (v.kind() == Value::Kind::kString) return datetime_from_string(v.as_string());
      return Value::null();
    case ScalarKind::kBlob:
    case ScalarKind::kVector: break;
  }
  throw_bad_request("cannot convert list literal to " + arrow_scalar_name(kind));
}

Value list_for_type(const Value& v, const Type& type) {
  ValueList out;
  if (v.kind() == Value::Kind::kVector) {
    // A Vector(n) parameter is a list of floats to the reference.
    for (float f : v.as_vector().values) {
      out.push_back(list_element(Value::floating(f), type.scalar));
    }
    return Value::list(std::move(out));
  }
  if (v.kind() != Value::Kind::kList) throw_cannot_convert(v, type);
  out.reserve(v.as_list().size());
  for (const Value& element : v.as_list()) out.push_back(list_element(element, type.scalar));
  return Value::list(std::move(out));
}

Value vector_for_type(const Value& v, const Type& type) {
  size_t size = 0;
  if (v.kind() == Value::Kind::kList) {
    size = v.as_list().size();
  } else if (v.kind() == Value::Kind::kVector) {
    size = v.as_vector().values.size();
  } else {
    throw_cannot_convert(v, type);
  }
  if (size != type.vector_dim) {
    throw_bad_request("vector property expects " + std::to_string(type.vector_dim) +
                      " dimensions, got " + std::to_string(size));
  }
  if (v.kind() == Value::Kind::kVector) return v;
  FloatVector out;
  out.values.reserve(size);
  for (const Value& element : v.as_list()) {
    int64_t n = 0;
    if (integer_of(element, n)) {
      out.values.push_back(static_cast<float>(n));
    } else if (element.kind() == Value::Kind::kFloat) {
      out.values.push_back(static_cast<float>(element.as_float()));
    } else {
      throw_bad_request("vector elements must be numeric");
    }
  }
  return Value::vector(std::move(out));
}

}  // namespace

Value blob_from_text(std::string_view text) {
  constexpr std::string_view kPrefix = "base64:";
  if (text.substr(0, kPrefix.size()) != kPrefix) {
    return Value::blob(Blob{true, std::string(text)});
  }
  std::string_view encoded = text.substr(kPrefix.size());
  if (auto problem = base64_problem(encoded)) {
    throw_bad_request("invalid base64 blob data: " + *problem);
  }
  auto bytes = base64_decode(encoded);
  if (!bytes) throw_bad_request("invalid base64 blob data: Invalid padding");
  return Value::blob(Blob{false, std::move(*bytes)});
}

Value value_for_property(const Value& v, const compiler::Property& p) {
  if (v.is_null()) return v;
  if (p.type.is_vector()) return vector_for_type(v, p.type);
  if (p.type.list) return list_for_type(v, p.type);
  return scalar_for_type(v, p.type);
}

}  // namespace omnigraph::engine
