// How query values compare (spec languages.md §4.4, §4.7): literal
// conversion, the "cast the right side to the left side's type" rule,
// three-valued comparison (null = unknown) with list membership for
// `contains`, and the total order ORDER BY sorts with.
//
// Shared by the read executor (filters, inline binding matches, ordering)
// and the mutation code (update/delete predicates).
#pragma once

#include <optional>

#include "compiler/query/ast.h"
#include "compiler/types.h"
#include "engine/value.h"

namespace omnigraph::engine {

// A query literal as a value: String -> string, Integer -> int64, Float ->
// double, Bool, Date/DateTime parsed (Error kBadRequest `invalid Date
// literal 'x'` / `invalid DateTime literal 'x'`), List -> list of items.
Value literal_value(const compiler::query::Literal& literal);

// The §4.4 cast: `right` converted to the kind of `left` (int <-> uint <->
// float, float -> int truncating toward zero, string -> date/datetime
// parsed, date <-> datetime, numbers/bools/dates -> string, ...). A value
// the target kind cannot represent (negative -> uint, NaN -> int, "abc" ->
// int) becomes null, like a safe Arrow cast, so it matches nothing. An
// unparsable string cast to Date/DateTime is an error (`invalid Date
// literal '…'`). A null `left` or `right` returns `right` unchanged.
Value cast_like(const Value& right, const Value& left);

// The same cast to a declared column type, which is more precise than a
// value's kind: I32/U32 range (out of range -> null), F32 rounding (0.1 ->
// 0.1f, so `f32_prop = 0.1` matches what was stored). Lists are cast
// element-wise; Blob and Vector values pass through unchanged.
Value cast_to_type(const Value& value, const compiler::Type& type);

struct CompareOptions {
  // The declared type of the left operand when it is a property: the right
  // side is then cast to exactly that type (see cast_to_type).
  const compiler::Type* left_type = nullptr;
  // SQL pushdown semantics (inline `{ prop: value }` matches, mutation
  // predicates): numbers compare in a common type, exactly, instead of
  // casting the right side to the left's type (so `{ age: 29.5 }` on an
  // I32 property matches nothing, while the filter `$p.age = 29.5` matches
  // 29 — spec §4.2 vs §4.4).
  bool common_type = false;
};

// `l op r`. nullopt = unknown because one side is null (a filter drops the
// row for every operator, `!=` included). kContains is list membership:
// true iff `l` is a non-null list, `r` is non-null and some non-null
// element equals `r` cast to the element type; never nullopt. Numbers
// compare numerically (-0.0 = 0.0, NaN = NaN and above every number),
// strings bytewise, Date/DateTime chronologically, false < true. Values
// that cannot be ordered (blobs, vectors) only support = and !=.
std::optional<bool> compare(const Value& l, compiler::query::CompOp op, const Value& r,
                            const CompareOptions& options = {});

// A total order for ORDER BY and min/max: <0, 0, >0. Nulls sort first
// (callers place them per direction), numbers of any kind numerically with
// NaN above all numbers, strings bytewise, lists and vectors
// lexicographically; values of unrelated kinds by kind.
int sort_compare(const Value& a, const Value& b);

}  // namespace omnigraph::engine
