#include "compiler/types.h"

#include <algorithm>

namespace omnigraph::compiler {

std::string_view scalar_kind_name(ScalarKind kind) {
  switch (kind) {
    case ScalarKind::kString: return "String";
    case ScalarKind::kBool: return "Bool";
    case ScalarKind::kI32: return "I32";
    case ScalarKind::kI64: return "I64";
    case ScalarKind::kU32: return "U32";
    case ScalarKind::kU64: return "U64";
    case ScalarKind::kF32: return "F32";
    case ScalarKind::kF64: return "F64";
    case ScalarKind::kDate: return "Date";
    case ScalarKind::kDateTime: return "DateTime";
    case ScalarKind::kBlob: return "Blob";
    case ScalarKind::kVector: return "Vector";
  }
  return "?";
}

std::optional<ScalarKind> parse_base_type(std::string_view name) {
  static constexpr ScalarKind kBase[] = {
      ScalarKind::kString, ScalarKind::kBool,     ScalarKind::kI32, ScalarKind::kI64,
      ScalarKind::kU32,    ScalarKind::kU64,      ScalarKind::kF32, ScalarKind::kF64,
      ScalarKind::kDate,   ScalarKind::kDateTime, ScalarKind::kBlob};
  for (ScalarKind k : kBase) {
    if (scalar_kind_name(k) == name) return k;
  }
  return std::nullopt;
}

bool is_integer(ScalarKind kind) {
  return kind == ScalarKind::kI32 || kind == ScalarKind::kI64 || kind == ScalarKind::kU32 ||
         kind == ScalarKind::kU64;
}
bool is_float(ScalarKind kind) {
  return kind == ScalarKind::kF32 || kind == ScalarKind::kF64;
}
bool is_numeric(ScalarKind kind) {
  return is_integer(kind) || is_float(kind);
}

Type Type::scalar_of(ScalarKind kind, bool nullable) {
  Type t;
  t.scalar = kind;
  t.nullable = nullable;
  return t;
}

Type Type::list_of(ScalarKind kind, bool nullable) {
  Type t = scalar_of(kind, nullable);
  t.list = true;
  return t;
}

Type Type::vector_of(uint32_t dim, bool nullable) {
  Type t = scalar_of(ScalarKind::kVector, nullable);
  t.vector_dim = dim;
  return t;
}

Type Type::enum_of(std::vector<std::string> values, bool nullable) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  Type t = scalar_of(ScalarKind::kString, nullable);
  t.enum_values = std::move(values);
  return t;
}

Type Type::element() const {
  Type t = *this;
  t.list = false;
  t.nullable = list;
  return t;
}

Type Type::with_nullable(bool value) const {
  Type t = *this;
  t.nullable = value;
  return t;
}

std::string Type::display() const {
  std::string base;
  if (is_enum()) {
    base = "enum(";
    for (size_t i = 0; i < enum_values.size(); ++i) {
      if (i) base += ", ";
      base += enum_values[i];
    }
    base += ")";
  } else if (scalar == ScalarKind::kVector) {
    base = "Vector(" + std::to_string(vector_dim) + ")";
  } else {
    base = std::string(scalar_kind_name(scalar));
  }
  if (list) base = "[" + base + "]";
  if (nullable) base += "?";
  return base;
}

bool types_compatible(const Type& a, const Type& b) {
  if (a.list != b.list) return false;
  if (a.scalar == b.scalar) {
    return a.scalar != ScalarKind::kVector || a.vector_dim == b.vector_dim;
  }
  return is_numeric(a.scalar) && is_numeric(b.scalar);
}

}  // namespace omnigraph::compiler
