#include "engine/value_compare.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "common/error.h"
#include "engine/temporal.h"

namespace omnigraph::engine {

namespace {

using compiler::ScalarKind;
using compiler::query::CompOp;
using compiler::query::Literal;
using Kind = Value::Kind;

constexpr int64_t kMillisPerDay = 86'400'000;
constexpr double kTwo63 = 9223372036854775808.0;
constexpr double kTwo64 = 18446744073709551616.0;

bool is_number(const Value& v) {
  return v.kind() == Kind::kInt || v.kind() == Kind::kUInt || v.kind() == Kind::kFloat;
}

int sign(bool less, bool greater) {
  return less ? -1 : greater ? 1 : 0;
}

// Doubles with NaN equal to itself and above every number; -0.0 = 0.0.
int compare_doubles(double a, double b) {
  bool a_nan = std::isnan(a), b_nan = std::isnan(b);
  if (a_nan || b_nan) return sign(b_nan && !a_nan, a_nan && !b_nan);
  return sign(a<b, a> b);
}

// Exact comparison of an integer with a double (no rounding of the integer).
int compare_int_double(int64_t i, double d) {
  if (std::isnan(d) || d >= kTwo63) return -1;
  if (d < -kTwo63) return 1;
  double t = std::trunc(d);
  auto ti = static_cast<int64_t>(t);
  if (i != ti) return sign(i<ti, i> ti);
  double frac = d - t;
  return sign(frac > 0, frac < 0);
}

int compare_uint_double(uint64_t u, double d) {
  if (std::isnan(d) || d >= kTwo64) return -1;
  if (d < 0) return 1;
  double t = std::trunc(d);
  auto tu = static_cast<uint64_t>(t);
  if (u != tu) return sign(u<tu, u> tu);
  double frac = d - t;
  return sign(frac > 0, frac < 0);
}

// Two numbers of any numeric kinds, exactly.
int compare_numbers(const Value& a, const Value& b) {
  switch (a.kind()) {
    case Kind::kInt:
      switch (b.kind()) {
        case Kind::kInt: return sign(a.as_int() < b.as_int(), a.as_int() > b.as_int());
        case Kind::kUInt:
          if (a.as_int() < 0) return -1;
          return sign(static_cast<uint64_t>(a.as_int()) < b.as_uint(),
                      static_cast<uint64_t>(a.as_int()) > b.as_uint());
        default: return compare_int_double(a.as_int(), b.as_float());
      }
    case Kind::kUInt:
      switch (b.kind()) {
        case Kind::kInt: return -compare_numbers(b, a);
        case Kind::kUInt: return sign(a.as_uint() < b.as_uint(), a.as_uint() > b.as_uint());
        default: return compare_uint_double(a.as_uint(), b.as_float());
      }
    default:
      switch (b.kind()) {
        case Kind::kInt: return -compare_int_double(b.as_int(), a.as_float());
        case Kind::kUInt: return -compare_uint_double(b.as_uint(), a.as_float());
        default: return compare_doubles(a.as_float(), b.as_float());
      }
  }
}

int compare_strings(const std::string& a, const std::string& b) {
  int c = a.compare(b);  // char_traits<char> compares as unsigned char: bytewise
  return sign(c<0, c> 0);
}

// Order of two values of comparable kinds; nullopt when they cannot be
// ordered (different non-numeric kinds, blobs, vectors, nulls).
std::optional<int> order_of(const Value& a, const Value& b) {
  if (is_number(a) && is_number(b)) return compare_numbers(a, b);
  if (a.kind() != b.kind()) return std::nullopt;
  switch (a.kind()) {
    case Kind::kBool: return sign(!a.as_bool() && b.as_bool(), a.as_bool() && !b.as_bool());
    case Kind::kString: return compare_strings(a.as_string(), b.as_string());
    case Kind::kDate: return sign(a.as_date() < b.as_date(), a.as_date() > b.as_date());
    case Kind::kDateTime:
      return sign(a.as_datetime() < b.as_datetime(), a.as_datetime() > b.as_datetime());
    case Kind::kList: {
      const ValueList& x = a.as_list();
      const ValueList& y = b.as_list();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        if (x[i].is_null() || y[i].is_null()) {
          if (x[i].is_null() != y[i].is_null()) return x[i].is_null() ? -1 : 1;
          continue;
        }
        std::optional<int> c = order_of(x[i], y[i]);
        if (!c) return std::nullopt;
        if (*c != 0) return c;
      }
      return sign(x.size() < y.size(), x.size() > y.size());
    }
    default: return std::nullopt;
  }
}

std::string float_text(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, res.ptr);
}

template <typename T>
std::optional<T> parse_number(const std::string& s) {
  T out{};
  auto res = std::from_chars(s.data(), s.data() + s.size(), out);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size()) return std::nullopt;
  return out;
}

Value to_int(const Value& v) {
  switch (v.kind()) {
    case Kind::kInt: return v;
    case Kind::kUInt:
      return v.as_uint() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
                 ? Value()
                 : Value::integer(static_cast<int64_t>(v.as_uint()));
    case Kind::kFloat: {
      double d = v.as_float();
      if (std::isnan(d)) return Value();
      double t = std::trunc(d);
      if (t >= kTwo63 || t < -kTwo63) return Value();
      return Value::integer(static_cast<int64_t>(t));
    }
    case Kind::kBool: return Value::integer(v.as_bool() ? 1 : 0);
    case Kind::kString: {
      auto n = parse_number<int64_t>(v.as_string());
      return n ? Value::integer(*n) : Value();
    }
    case Kind::kDate: return Value::integer(v.as_date().days);
    case Kind::kDateTime: return Value::integer(v.as_datetime().millis);
    default: return Value();
  }
}

Value to_uint(const Value& v) {
  switch (v.kind()) {
    case Kind::kUInt: return v;
    case Kind::kInt:
      return v.as_int() < 0 ? Value() : Value::unsigned_integer(static_cast<uint64_t>(v.as_int()));
    case Kind::kFloat: {
      double d = v.as_float();
      if (std::isnan(d)) return Value();
      double t = std::trunc(d);  // -0.5 -> -0.0 -> 0, like Arrow's cast
      if (t < 0 || t >= kTwo64) return Value();
      return Value::unsigned_integer(static_cast<uint64_t>(t));
    }
    case Kind::kBool: return Value::unsigned_integer(v.as_bool() ? 1 : 0);
    case Kind::kString: {
      auto n = parse_number<uint64_t>(v.as_string());
      return n ? Value::unsigned_integer(*n) : Value();
    }
    default: return Value();
  }
}

Value to_float(const Value& v) {
  switch (v.kind()) {
    case Kind::kFloat: return v;
    case Kind::kInt: return Value::floating(static_cast<double>(v.as_int()));
    case Kind::kUInt: return Value::floating(static_cast<double>(v.as_uint()));
    case Kind::kBool: return Value::floating(v.as_bool() ? 1 : 0);
    case Kind::kString: {
      auto n = parse_number<double>(v.as_string());
      return n ? Value::floating(*n) : Value();
    }
    default: return Value();
  }
}

Value to_bool(const Value& v) {
  switch (v.kind()) {
    case Kind::kBool: return v;
    case Kind::kInt: return Value::boolean(v.as_int() != 0);
    case Kind::kUInt: return Value::boolean(v.as_uint() != 0);
    case Kind::kFloat: return Value::boolean(v.as_float() != 0);
    case Kind::kString: {
      std::string s;
      for (char c : v.as_string()) s.push_back(static_cast<char>(std::tolower(c)));
      if (s == "true") return Value::boolean(true);
      if (s == "false") return Value::boolean(false);
      return Value();
    }
    default: return Value();
  }
}

Value to_string_value(const Value& v) {
  switch (v.kind()) {
    case Kind::kString: return v;
    case Kind::kInt: return Value::string(std::to_string(v.as_int()));
    case Kind::kUInt: return Value::string(std::to_string(v.as_uint()));
    case Kind::kFloat: return Value::string(float_text(v.as_float()));
    case Kind::kBool: return Value::string(v.as_bool() ? "true" : "false");
    case Kind::kDate: return Value::string(format_date(v.as_date()));
    case Kind::kDateTime: return Value::string(format_datetime(v.as_datetime()));
    default: return Value();
  }
}

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

Value to_date(const Value& v) {
  switch (v.kind()) {
    case Kind::kDate: return v;
    case Kind::kString: {
      std::optional<Date> d = parse_date(v.as_string());
      if (!d) throw_bad_request("invalid Date literal '" + v.as_string() + "'");
      return Value::date(*d);
    }
    case Kind::kDateTime:
      return Value::date(
          Date{static_cast<int32_t>(floor_div(v.as_datetime().millis, kMillisPerDay))});
    case Kind::kInt:
      if (v.as_int() < std::numeric_limits<int32_t>::min() ||
          v.as_int() > std::numeric_limits<int32_t>::max()) {
        return Value();
      }
      return Value::date(Date{static_cast<int32_t>(v.as_int())});
    default: return Value();
  }
}

Value to_datetime(const Value& v) {
  switch (v.kind()) {
    case Kind::kDateTime: return v;
    case Kind::kString: {
      std::optional<DateTime> t = parse_datetime(v.as_string());
      if (!t) throw_bad_request("invalid DateTime literal '" + v.as_string() + "'");
      return Value::datetime(*t);
    }
    case Kind::kDate: return Value::datetime(DateTime{int64_t{v.as_date().days} * kMillisPerDay});
    case Kind::kInt: return Value::datetime(DateTime{v.as_int()});
    default: return Value();
  }
}

// `v` converted to a value kind (the physical cast).
Value cast_to_kind(const Value& v, Kind kind) {
  if (v.is_null()) return v;
  switch (kind) {
    case Kind::kNull: return Value();
    case Kind::kBool: return to_bool(v);
    case Kind::kInt: return to_int(v);
    case Kind::kUInt: return to_uint(v);
    case Kind::kFloat: return to_float(v);
    case Kind::kString: return to_string_value(v);
    case Kind::kDate: return to_date(v);
    case Kind::kDateTime: return to_datetime(v);
    case Kind::kBlob:
    case Kind::kList:
    case Kind::kVector: return v.kind() == kind ? v : Value();
  }
  return Value();
}

Kind kind_of(ScalarKind scalar) {
  switch (scalar) {
    case ScalarKind::kString: return Kind::kString;
    case ScalarKind::kBool: return Kind::kBool;
    case ScalarKind::kI32:
    case ScalarKind::kI64: return Kind::kInt;
    case ScalarKind::kU32:
    case ScalarKind::kU64: return Kind::kUInt;
    case ScalarKind::kF32:
    case ScalarKind::kF64: return Kind::kFloat;
    case ScalarKind::kDate: return Kind::kDate;
    case ScalarKind::kDateTime: return Kind::kDateTime;
    case ScalarKind::kBlob: return Kind::kBlob;
    case ScalarKind::kVector: return Kind::kVector;
  }
  return Kind::kNull;
}

bool apply_op(CompOp op, int c) {
  switch (op) {
    case CompOp::kEq: return c == 0;
    case CompOp::kNe: return c != 0;
    case CompOp::kGt: return c > 0;
    case CompOp::kLt: return c < 0;
    case CompOp::kGe: return c >= 0;
    case CompOp::kLe: return c <= 0;
    case CompOp::kContains: break;
  }
  return false;
}

// Equality of two non-null values of (after casting) the same kind.
bool same_value(const Value& a, const Value& b) {
  std::optional<int> c = order_of(a, b);
  return c ? *c == 0 : a == b;
}

bool contains(const Value& list, const Value& needle, const CompareOptions& options) {
  if (list.is_null() || needle.is_null() || list.kind() != Kind::kList) return false;
  Value typed;
  if (options.left_type && options.left_type->list) {
    typed = cast_to_type(needle, options.left_type->element());
    if (typed.is_null()) return false;
  }
  for (const Value& element : list.as_list()) {
    if (element.is_null()) continue;
    Value cast = typed.is_null() ? cast_like(needle, element) : typed;
    if (!cast.is_null() && same_value(element, cast)) return true;
  }
  return false;
}

}  // namespace

Value literal_value(const Literal& literal) {
  switch (literal.kind) {
    case Literal::Kind::kString: return Value::string(literal.text);
    case Literal::Kind::kInteger: return Value::integer(literal.int_value);
    case Literal::Kind::kFloat: return Value::floating(literal.float_value);
    case Literal::Kind::kBool: return Value::boolean(literal.bool_value);
    case Literal::Kind::kDate: {
      std::optional<Date> d = parse_date(literal.text);
      if (!d) throw_bad_request("invalid Date literal '" + literal.text + "'");
      return Value::date(*d);
    }
    case Literal::Kind::kDateTime: {
      std::optional<DateTime> t = parse_datetime(literal.text);
      if (!t) throw_bad_request("invalid DateTime literal '" + literal.text + "'");
      return Value::datetime(*t);
    }
    case Literal::Kind::kList: {
      ValueList items;
      items.reserve(literal.items.size());
      for (const Literal& item : literal.items) items.push_back(literal_value(item));
      return Value::list(std::move(items));
    }
  }
  return Value();
}

Value cast_like(const Value& right, const Value& left) {
  if (right.is_null() || left.is_null()) return right;
  if (left.kind() == Kind::kList) {
    if (right.kind() != Kind::kList) return Value();
    const Value* model = nullptr;
    for (const Value& e : left.as_list()) {
      if (!e.is_null()) {
        model = &e;
        break;
      }
    }
    if (!model) return right;
    ValueList out;
    out.reserve(right.as_list().size());
    for (const Value& e : right.as_list()) out.push_back(cast_like(e, *model));
    return Value::list(std::move(out));
  }
  return cast_to_kind(right, left.kind());
}

Value cast_to_type(const Value& value, const compiler::Type& type) {
  if (value.is_null()) return value;
  if (type.list) {
    if (value.kind() != Kind::kList) return Value();
    compiler::Type element = type.element();
    ValueList out;
    out.reserve(value.as_list().size());
    for (const Value& e : value.as_list()) out.push_back(cast_to_type(e, element));
    return Value::list(std::move(out));
  }
  if (type.scalar == ScalarKind::kBlob || type.scalar == ScalarKind::kVector) return value;
  Value out = cast_to_kind(value, kind_of(type.scalar));
  if (out.is_null()) return out;
  switch (type.scalar) {
    case ScalarKind::kI32:
      if (out.as_int() < std::numeric_limits<int32_t>::min() ||
          out.as_int() > std::numeric_limits<int32_t>::max()) {
        return Value();
      }
      break;
    case ScalarKind::kU32:
      if (out.as_uint() > std::numeric_limits<uint32_t>::max()) return Value();
      break;
    case ScalarKind::kF32: return Value::floating(static_cast<float>(out.as_float()));
    default: break;
  }
  return out;
}

std::optional<bool> compare(const Value& l, CompOp op, const Value& r,
                            const CompareOptions& options) {
  if (op == CompOp::kContains) return contains(l, r, options);
  if (l.is_null() || r.is_null()) return std::nullopt;
  Value right;
  if (options.common_type && is_number(l) && is_number(r)) {
    right = r;  // compared exactly by compare_numbers
  } else if (options.left_type && !options.left_type->list) {
    right = cast_to_type(r, *options.left_type);
  } else {
    right = cast_like(r, l);
  }
  if (right.is_null()) return std::nullopt;
  std::optional<int> c = order_of(l, right);
  if (!c) {
    if (l.kind() != right.kind()) return std::nullopt;
    if (op == CompOp::kEq) return l == right;
    if (op == CompOp::kNe) return !(l == right);
    return std::nullopt;
  }
  return apply_op(op, *c);
}

int sort_compare(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return sign(!b.is_null(), !a.is_null());
  if (is_number(a) && is_number(b)) return compare_numbers(a, b);
  if (a.kind() != b.kind()) {
    return sign(static_cast<int>(a.kind()) < static_cast<int>(b.kind()),
                static_cast<int>(a.kind()) > static_cast<int>(b.kind()));
  }
  switch (a.kind()) {
    case Kind::kBlob: {
      const Blob& x = a.as_blob();
      const Blob& y = b.as_blob();
      if (x.is_uri != y.is_uri) return x.is_uri ? 1 : -1;
      return compare_strings(x.data, y.data);
    }
    case Kind::kVector: {
      const auto& x = a.as_vector().values;
      const auto& y = b.as_vector().values;
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        int c = compare_doubles(x[i], y[i]);
        if (c != 0) return c;
      }
      return sign(x.size() < y.size(), x.size() > y.size());
    }
    case Kind::kList: {
      const ValueList& x = a.as_list();
      const ValueList& y = b.as_list();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        int c = sort_compare(x[i], y[i]);
        if (c != 0) return c;
      }
      return sign(x.size() < y.size(), x.size() > y.size());
    }
    default: return order_of(a, b).value_or(0);
  }
}

}  // namespace omnigraph::engine
