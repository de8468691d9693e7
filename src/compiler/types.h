// The value types of the schema language (spec §1.2), shared by the schema
// compiler, the query type checker and the engine.
//
// Like the reference, an enum is a String whose allowed values are listed
// (sorted, deduplicated): type compatibility ignores the value set, so an
// enum property compares with a String parameter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omnigraph::compiler {

enum class ScalarKind {
  kString,
  kBool,
  kI32,
  kI64,
  kU32,
  kU64,
  kF32,
  kF64,
  kDate,      // days since the Unix epoch
  kDateTime,  // milliseconds since the Unix epoch, UTC
  kBlob,
  kVector,  // fixed-size list of F32; dimension in Type::vector_dim
};

// Largest Vector(n) dimension (the reference's Arrow FixedSizeList bound).
inline constexpr uint32_t kMaxVectorDim = 2147483647u;

// "String", "I32", ..., "Vector" (without the dimension).
std::string_view scalar_kind_name(ScalarKind kind);
// Parses a base type name (String, Blob, Bool, I32, I64, U32, U64, F32, F64,
// DateTime, Date). Vector(n) is not a base type and is not accepted here.
std::optional<ScalarKind> parse_base_type(std::string_view name);

bool is_numeric(ScalarKind kind);  // I32 I64 U32 U64 F32 F64
bool is_integer(ScalarKind kind);  // I32 I64 U32 U64
bool is_float(ScalarKind kind);    // F32 F64

struct Type {
  ScalarKind scalar = ScalarKind::kString;
  bool list = false;                     // [T]; list elements are always nullable internally
  bool nullable = false;                 // T? — applies to the whole value
  uint32_t vector_dim = 0;               // only for kVector
  std::vector<std::string> enum_values;  // non-empty only for enums (scalar kString), sorted

  static Type scalar_of(ScalarKind kind, bool nullable = false);
  static Type list_of(ScalarKind kind, bool nullable = false);
  static Type vector_of(uint32_t dim, bool nullable = false);
  // Sorts and deduplicates `values`.
  static Type enum_of(std::vector<std::string> values, bool nullable = false);

  bool is_enum() const { return !enum_values.empty(); }
  bool is_vector() const { return scalar == ScalarKind::kVector; }
  bool is_blob() const { return scalar == ScalarKind::kBlob; }
  bool is_numeric() const { return compiler::is_numeric(scalar); }
  // A plain String scalar (enum or not), not a list.
  bool is_scalar_string() const { return scalar == ScalarKind::kString && !list; }

  // The element type of a list (nullable, like the stored elements); for a
  // non-list, the type itself without nullability.
  Type element() const;
  Type with_nullable(bool value) const;

  // Display name used in messages: `String`, `Vector(3)`, `[String]`,
  // `enum(blocked, closed, open)`, with a `?` suffix when nullable.
  std::string display() const;

  // Identical types (including nullability and enum value set).
  friend bool operator==(const Type&, const Type&) = default;
};

// Compatibility used throughout type checking: same list-ness, and the same
// scalar or both numeric; Vector dimensions must match. Nullability and enum
// value sets are ignored.
bool types_compatible(const Type& a, const Type& b);

}  // namespace omnigraph::compiler
