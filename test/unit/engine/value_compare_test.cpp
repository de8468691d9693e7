#include "engine/value_compare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "common/error.h"

namespace omnigraph::engine {
namespace {

using compiler::ScalarKind;
using compiler::Type;
using compiler::query::CompOp;
using compiler::query::Literal;

Literal lit(Literal::Kind kind, std::string text = "") {
  Literal l;
  l.kind = kind;
  l.text = std::move(text);
  return l;
}

std::string error_message(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    return e.what();
  }
  return "";
}

TEST(LiteralValueTest, ConvertsEveryKind) {
  Literal i = lit(Literal::Kind::kInteger);
  i.int_value = -7;
  EXPECT_EQ(literal_value(i), Value::integer(-7));
  Literal f = lit(Literal::Kind::kFloat);
  f.float_value = 2.5;
  EXPECT_EQ(literal_value(f), Value::floating(2.5));
  Literal b = lit(Literal::Kind::kBool);
  b.bool_value = true;
  EXPECT_EQ(literal_value(b), Value::boolean(true));
  EXPECT_EQ(literal_value(lit(Literal::Kind::kString, "hi")), Value::string("hi"));
  EXPECT_EQ(literal_value(lit(Literal::Kind::kDate, "1970-01-03")), Value::date(Date{2}));
  EXPECT_EQ(literal_value(lit(Literal::Kind::kDateTime, "1970-01-01T00:00:01Z")),
            Value::datetime(DateTime{1000}));
  Literal list = lit(Literal::Kind::kList);
  list.items = {lit(Literal::Kind::kString, "a"), lit(Literal::Kind::kString, "b")};
  EXPECT_EQ(literal_value(list), Value::list({Value::string("a"), Value::string("b")}));
}

TEST(LiteralValueTest, InvalidTemporalLiteralsAreErrors) {
  EXPECT_EQ(error_message([] { literal_value(lit(Literal::Kind::kDate, "2024-02-30")); }),
            "invalid Date literal '2024-02-30'");
  EXPECT_EQ(error_message([] { literal_value(lit(Literal::Kind::kDateTime, "noon")); }),
            "invalid DateTime literal 'noon'");
}

TEST(ValueCastLikeTest, NumbersConvertToTheLeftKind) {
  EXPECT_EQ(cast_like(Value::floating(29.5), Value::integer(1)), Value::integer(29));
  EXPECT_EQ(cast_like(Value::floating(-29.5), Value::integer(1)), Value::integer(-29));
  EXPECT_EQ(cast_like(Value::integer(3), Value::floating(1)), Value::floating(3));
  EXPECT_EQ(cast_like(Value::integer(3), Value::unsigned_integer(1)), Value::unsigned_integer(3));
  EXPECT_EQ(cast_like(Value::unsigned_integer(3), Value::integer(1)), Value::integer(3));
  // Unrepresentable values become null (a safe cast).
  EXPECT_TRUE(cast_like(Value::integer(-1), Value::unsigned_integer(1)).is_null());
  EXPECT_TRUE(cast_like(Value::floating(std::nan("")), Value::integer(1)).is_null());
  EXPECT_TRUE(cast_like(Value::floating(1e300), Value::integer(1)).is_null());
  EXPECT_TRUE(
      cast_like(Value::unsigned_integer(std::numeric_limits<uint64_t>::max()), Value::integer(1))
          .is_null());
}

TEST(ValueCastLikeTest, TextAndTemporalConversions) {
  EXPECT_EQ(cast_like(Value::string("2024-01-02"), Value::date(Date{0})), Value::date(Date{19724}));
  EXPECT_EQ(cast_like(Value::string("1970-01-01T00:00:02Z"), Value::datetime(DateTime{0})),
            Value::datetime(DateTime{2000}));
  EXPECT_EQ(cast_like(Value::date(Date{1}), Value::datetime(DateTime{0})),
            Value::datetime(DateTime{86'400'000}));
  EXPECT_EQ(cast_like(Value::datetime(DateTime{-1}), Value::date(Date{0})), Value::date(Date{-1}));
  EXPECT_EQ(cast_like(Value::integer(5), Value::string("")), Value::string("5"));
  EXPECT_EQ(cast_like(Value::string("42"), Value::integer(0)), Value::integer(42));
  EXPECT_TRUE(cast_like(Value::string("abc"), Value::integer(0)).is_null());
  EXPECT_EQ(error_message([] { cast_like(Value::string("soon"), Value::date(Date{0})); }),
            "invalid Date literal 'soon'");
  EXPECT_EQ(error_message([] { cast_like(Value::string("soon"), Value::datetime(DateTime{0})); }),
            "invalid DateTime literal 'soon'");
  // Nulls pass through.
  EXPECT_TRUE(cast_like(Value(), Value::integer(1)).is_null());
  EXPECT_EQ(cast_like(Value::integer(1), Value()), Value::integer(1));
}

TEST(ValueCastToTypeTest, DeclaredTypesAreExact) {
  EXPECT_EQ(cast_to_type(Value::floating(0.1), Type::scalar_of(ScalarKind::kF32)),
            Value::floating(static_cast<float>(0.1)));
  EXPECT_TRUE(
      cast_to_type(Value::integer(3'000'000'000), Type::scalar_of(ScalarKind::kI32)).is_null());
  EXPECT_EQ(cast_to_type(Value::integer(3'000'000'000), Type::scalar_of(ScalarKind::kI64)),
            Value::integer(3'000'000'000));
  EXPECT_TRUE(
      cast_to_type(Value::integer(5'000'000'000), Type::scalar_of(ScalarKind::kU32)).is_null());
  EXPECT_EQ(cast_to_type(Value::list({Value::integer(1)}), Type::list_of(ScalarKind::kF64)),
            Value::list({Value::floating(1)}));
}

TEST(ValueCompareTest, NullIsUnknownForEveryOperator) {
  for (CompOp op : {CompOp::kEq, CompOp::kNe, CompOp::kLt, CompOp::kLe, CompOp::kGt, CompOp::kGe}) {
    EXPECT_EQ(compare(Value(), op, Value::integer(1)), std::nullopt);
    EXPECT_EQ(compare(Value::integer(1), op, Value()), std::nullopt);
    EXPECT_EQ(compare(Value(), op, Value()), std::nullopt);
  }
}

TEST(ValueCompareTest, OperatorsAfterTheCast) {
  EXPECT_EQ(compare(Value::integer(29), CompOp::kEq, Value::floating(29.5)), true);
  EXPECT_EQ(compare(Value::integer(30), CompOp::kGt, Value::floating(29.5)), true);
  EXPECT_EQ(compare(Value::integer(29), CompOp::kGt, Value::floating(29.5)), false);
  EXPECT_EQ(compare(Value::integer(5), CompOp::kNe, Value::integer(5)), false);
  EXPECT_EQ(compare(Value::integer(5), CompOp::kLe, Value::integer(5)), true);
  EXPECT_EQ(compare(Value::integer(4), CompOp::kLt, Value::integer(5)), true);
  EXPECT_EQ(compare(Value::integer(5), CompOp::kGe, Value::integer(6)), false);
  // Unrepresentable right side: unknown.
  EXPECT_EQ(compare(Value::unsigned_integer(5), CompOp::kGt, Value::integer(-1)), std::nullopt);
}

TEST(ValueCompareTest, CommonTypeModeComparesNumbersExactly) {
  CompareOptions sql;
  sql.common_type = true;
  EXPECT_EQ(compare(Value::integer(29), CompOp::kEq, Value::floating(29.5), sql), false);
  EXPECT_EQ(compare(Value::integer(29), CompOp::kLt, Value::floating(29.5), sql), true);
  EXPECT_EQ(compare(Value::integer(29), CompOp::kEq, Value::floating(29.0), sql), true);
  EXPECT_EQ(compare(Value::unsigned_integer(5), CompOp::kGt, Value::integer(-1), sql), true);
  EXPECT_EQ(compare(Value::integer(9007199254740993), CompOp::kGt,
                    Value::floating(9007199254740992.0), sql),
            true);
}

TEST(ValueCompareTest, DeclaredLeftTypeRefinesTheCast) {
  Type f32 = Type::scalar_of(ScalarKind::kF32);
  Value stored = Value::floating(static_cast<float>(0.1));
  EXPECT_EQ(compare(stored, CompOp::kEq, Value::floating(0.1)), false);
  EXPECT_EQ(compare(stored, CompOp::kEq, Value::floating(0.1), {&f32, false}), true);
  Type i32 = Type::scalar_of(ScalarKind::kI32);
  EXPECT_EQ(compare(Value::integer(1), CompOp::kLt, Value::integer(3'000'000'000), {&i32, false}),
            std::nullopt);
}

TEST(ValueCompareTest, KindsCompareByTheirNaturalOrder) {
  EXPECT_EQ(compare(Value::string("Zebra"), CompOp::kLt, Value::string("apple")), true);
  EXPECT_EQ(compare(Value::string("\xc3\xa9"), CompOp::kGt, Value::string("z")), true);
  EXPECT_EQ(compare(Value::boolean(false), CompOp::kLt, Value::boolean(true)), true);
  EXPECT_EQ(compare(Value::date(Date{1}), CompOp::kGt, Value::date(Date{-1})), true);
  EXPECT_EQ(compare(Value::date(Date{1}), CompOp::kEq, Value::string("1970-01-02")), true);
  EXPECT_EQ(compare(Value::datetime(DateTime{5}), CompOp::kGe, Value::datetime(DateTime{5})), true);
  EXPECT_EQ(compare(Value::floating(-0.0), CompOp::kEq, Value::floating(0.0)), true);
  double nan = std::nan("");
  EXPECT_EQ(compare(Value::floating(nan), CompOp::kEq, Value::floating(nan)), true);
  EXPECT_EQ(compare(Value::floating(nan), CompOp::kGt, Value::floating(1e308)), true);
  // Blobs and vectors only support equality.
  Value blob = Value::blob(Blob{false, "x"});
  EXPECT_EQ(compare(blob, CompOp::kEq, blob), true);
  EXPECT_EQ(compare(blob, CompOp::kLt, blob), std::nullopt);
}

TEST(ValueCompareTest, ContainsIsMembership) {
  Value list = Value::list({Value::integer(1), Value(), Value::integer(3)});
  EXPECT_EQ(compare(list, CompOp::kContains, Value::integer(3)), true);
  EXPECT_EQ(compare(list, CompOp::kContains, Value::integer(2)), false);
  EXPECT_EQ(compare(list, CompOp::kContains, Value::floating(3.0)), true);
  EXPECT_EQ(compare(list, CompOp::kContains, Value()), false);  // null never a member
  EXPECT_EQ(compare(Value(), CompOp::kContains, Value::integer(1)), false);
  EXPECT_EQ(compare(Value::string("abc"), CompOp::kContains, Value::string("b")), false);
  Type f32s = Type::list_of(ScalarKind::kF32);
  Value floats = Value::list({Value::floating(static_cast<float>(0.1))});
  EXPECT_EQ(compare(floats, CompOp::kContains, Value::floating(0.1), {&f32s, false}), true);
}

TEST(ValueSortCompareTest, TotalOrder) {
  double nan = std::nan("");
  EXPECT_LT(sort_compare(Value(), Value::integer(0)), 0);
  EXPECT_EQ(sort_compare(Value(), Value()), 0);
  EXPECT_LT(sort_compare(Value::integer(-1), Value::unsigned_integer(0)), 0);
  EXPECT_LT(sort_compare(Value::integer(2), Value::floating(2.5)), 0);
  EXPECT_GT(sort_compare(Value::floating(nan), Value::floating(1e308)), 0);
  EXPECT_GT(sort_compare(Value::floating(nan), Value::integer(5)), 0);
  EXPECT_EQ(sort_compare(Value::floating(nan), Value::floating(nan)), 0);
  EXPECT_LT(
      sort_compare(Value::floating(-std::numeric_limits<double>::infinity()), Value::floating(-1)),
      0);
  EXPECT_LT(sort_compare(Value::string("B"), Value::string("a")), 0);
  EXPECT_LT(sort_compare(Value::string("a"), Value::string("ab")), 0);
  EXPECT_LT(sort_compare(Value::boolean(false), Value::boolean(true)), 0);
  EXPECT_LT(sort_compare(Value::list({Value::integer(1)}),
                         Value::list({Value::integer(1), Value::integer(0)})),
            0);
  EXPECT_GT(sort_compare(Value::datetime(DateTime{2}), Value::datetime(DateTime{1})), 0);
}

}  // namespace
}  // namespace omnigraph::engine
