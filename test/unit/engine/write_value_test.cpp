// Write-time value conversion (languages.md §4.9).
#include "engine/write_value.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace omnigraph::engine {
namespace {

using compiler::Property;
using compiler::ScalarKind;
using compiler::Type;

Property prop(Type type) {
  Property p;
  p.name = "p";
  p.type = std::move(type);
  p.id = 7;
  return p;
}

Property scalar(ScalarKind kind) {
  return prop(Type::scalar_of(kind));
}
Property list(ScalarKind kind) {
  return prop(Type::list_of(kind));
}

std::string error_of(const Value& v, const Property& p) {
  try {
    value_for_property(v, p);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    return e.what();
  }
  return "(no error)";
}

TEST(WriteValue, IntegersArePlainCasts) {
  EXPECT_EQ(value_for_property(Value::integer(5), scalar(ScalarKind::kI64)), Value::integer(5));
  // No range check (reference quirk): the value wraps like a C cast.
  EXPECT_EQ(value_for_property(Value::integer(3000000000), scalar(ScalarKind::kI32)),
            Value::integer(-1294967296));
  EXPECT_EQ(value_for_property(Value::integer(-1), scalar(ScalarKind::kU32)),
            Value::unsigned_integer(4294967295u));
  EXPECT_EQ(value_for_property(Value::integer(-1), scalar(ScalarKind::kU64)),
            Value::unsigned_integer(UINT64_MAX));
  EXPECT_EQ(value_for_property(Value::integer(7), scalar(ScalarKind::kU64)),
            Value::unsigned_integer(7));
}

TEST(WriteValue, FloatsAndTheIntegerToFloatQuirk) {
  EXPECT_EQ(value_for_property(Value::floating(0.1), scalar(ScalarKind::kF32)),
            Value::floating(static_cast<double>(0.1f)));
  EXPECT_EQ(value_for_property(Value::floating(0.1), scalar(ScalarKind::kF64)),
            Value::floating(0.1));
  EXPECT_EQ(error_of(Value::integer(5), scalar(ScalarKind::kF64)),
            "cannot convert Integer(5) to Float64");
  EXPECT_EQ(error_of(Value::integer(-5), scalar(ScalarKind::kF32)),
            "cannot convert Integer(-5) to Float32");
}

TEST(WriteValue, MismatchesUseTheReferenceDebugForms) {
  EXPECT_EQ(error_of(Value::floating(1.5), scalar(ScalarKind::kI64)),
            "cannot convert Float(1.5) to Int64");
  EXPECT_EQ(error_of(Value::floating(2), scalar(ScalarKind::kI32)),
            "cannot convert Float(2.0) to Int32");
  EXPECT_EQ(error_of(Value::floating(1e20), scalar(ScalarKind::kU32)),
            "cannot convert Float(1e20) to UInt32");
  EXPECT_EQ(error_of(Value::floating(-1.5e-7), scalar(ScalarKind::kU64)),
            "cannot convert Float(-1.5e-7) to UInt64");
  EXPECT_EQ(error_of(Value::string("a\"b"), scalar(ScalarKind::kI32)),
            "cannot convert String(\"a\\\"b\") to Int32");
  EXPECT_EQ(error_of(Value::boolean(true), scalar(ScalarKind::kString)),
            "cannot convert Bool(true) to Utf8");
  EXPECT_EQ(error_of(Value::integer(1), scalar(ScalarKind::kBool)),
            "cannot convert Integer(1) to Boolean");
  EXPECT_EQ(error_of(Value::list({Value::integer(1)}), scalar(ScalarKind::kI64)),
            "cannot convert List([Integer(1)]) to Int64");
  EXPECT_EQ(error_of(Value::date(Date{0}), scalar(ScalarKind::kDateTime)),
            "cannot convert Date(\"1970-01-01\") to Date64");
}

TEST(WriteValue, StringsAndEnumsPassUnchecked) {
  EXPECT_EQ(value_for_property(Value::string("x"), scalar(ScalarKind::kString)),
            Value::string("x"));
  // Enum membership is a constraint, checked elsewhere.
  EXPECT_EQ(value_for_property(Value::string("zzz"), prop(Type::enum_of({"a", "b"}))),
            Value::string("zzz"));
}

TEST(WriteValue, DatesFromStringsOrValues) {
  EXPECT_EQ(value_for_property(Value::string("1970-01-02"), scalar(ScalarKind::kDate)),
            Value::date(Date{1}));
  EXPECT_EQ(value_for_property(Value::date(Date{9}), scalar(ScalarKind::kDate)),
            Value::date(Date{9}));
  EXPECT_EQ(error_of(Value::string("nope"), scalar(ScalarKind::kDate)),
            "invalid Date literal 'nope'");
  EXPECT_EQ(
      value_for_property(Value::string("1970-01-01T00:00:02Z"), scalar(ScalarKind::kDateTime)),
      Value::datetime(DateTime{2000}));
  EXPECT_EQ(value_for_property(Value::datetime(DateTime{5}), scalar(ScalarKind::kDateTime)),
            Value::datetime(DateTime{5}));
  EXPECT_EQ(error_of(Value::string("later"), scalar(ScalarKind::kDateTime)),
            "invalid DateTime literal 'later'");
}

TEST(WriteValue, Blobs) {
  Property blob = scalar(ScalarKind::kBlob);
  EXPECT_EQ(value_for_property(Value::string("base64:aGk="), blob), Value::blob(Blob{false, "hi"}));
  EXPECT_EQ(value_for_property(Value::string("base64:"), blob), Value::blob(Blob{false, ""}));
  EXPECT_EQ(value_for_property(Value::string("file:///tmp/x"), blob),
            Value::blob(Blob{true, "file:///tmp/x"}));
  EXPECT_EQ(value_for_property(Value::blob(Blob{true, "s3://b/k"}), blob),
            Value::blob(Blob{true, "s3://b/k"}));
  // A non-string assignment is written as absent, like the reference.
  EXPECT_TRUE(value_for_property(Value::integer(1), blob).is_null());
}

TEST(WriteValue, InvalidBase64SaysWhy) {
  auto reason = [](const char* text) {
    return error_of(Value::string(text), scalar(ScalarKind::kBlob));
  };
  EXPECT_EQ(reason("base64:a!=="), "invalid base64 blob data: Invalid symbol 33, offset 1.");
  EXPECT_EQ(reason("base64:QQ==QQ=="), "invalid base64 blob data: Invalid symbol 61, offset 2.");
  EXPECT_EQ(reason("base64:Q==="), "invalid base64 blob data: Invalid symbol 61, offset 1.");
  EXPECT_EQ(reason("base64:QUJDR"), "invalid base64 blob data: Invalid input length: 5");
  EXPECT_EQ(reason("base64:QQ"), "invalid base64 blob data: Invalid padding");
  EXPECT_EQ(reason("base64:QR=="), "invalid base64 blob data: Invalid last symbol 82, offset 1.");
  EXPECT_EQ(blob_from_text("base64:aGk="), Value::blob(Blob{false, "hi"}));
  EXPECT_EQ(blob_from_text("gs://b/o"), Value::blob(Blob{true, "gs://b/o"}));
}

TEST(WriteValue, ListsElementWise) {
  EXPECT_EQ(value_for_property(Value::list({Value::integer(1), Value::integer(-2)}),
                               list(ScalarKind::kI32)),
            Value::list({Value::integer(1), Value::integer(-2)}));
  EXPECT_EQ(value_for_property(Value::list({Value::integer(1)}), list(ScalarKind::kU64)),
            Value::list({Value::unsigned_integer(1)}));
  EXPECT_EQ(value_for_property(Value::list({Value::integer(2), Value::floating(0.1)}),
                               list(ScalarKind::kF32)),
            Value::list({Value::floating(2.0), Value::floating(static_cast<double>(0.1f))}));
  EXPECT_EQ(value_for_property(Value::list({Value::integer(2)}), list(ScalarKind::kF64)),
            Value::list({Value::floating(2.0)}));
  // Wrong-kind and null elements are stored as null.
  EXPECT_EQ(value_for_property(Value::list({Value::string("a"), Value::integer(1), Value::null()}),
                               list(ScalarKind::kString)),
            Value::list({Value::string("a"), Value::null(), Value::null()}));
  EXPECT_EQ(value_for_property(Value::list({Value::floating(1.5)}), list(ScalarKind::kI64)),
            Value::list({Value::null()}));
  EXPECT_EQ(value_for_property(Value::list({Value::string("1970-01-02"), Value::date(Date{3})}),
                               list(ScalarKind::kDate)),
            Value::list({Value::date(Date{1}), Value::date(Date{3})}));
  EXPECT_EQ(value_for_property(Value::list({}), list(ScalarKind::kBool)), Value::list({}));
}

TEST(WriteValue, ListElementRanges) {
  EXPECT_EQ(error_of(Value::list({Value::integer(3000000000)}), list(ScalarKind::kI32)),
            "list value 3000000000 exceeds Int32 range");
  EXPECT_EQ(error_of(Value::list({Value::integer(-1)}), list(ScalarKind::kU32)),
            "list value -1 exceeds UInt32 range");
  EXPECT_EQ(error_of(Value::list({Value::integer(4294967296)}), list(ScalarKind::kU32)),
            "list value 4294967296 exceeds UInt32 range");
  EXPECT_EQ(error_of(Value::list({Value::integer(-1)}), list(ScalarKind::kU64)),
            "list value -1 exceeds UInt64 range");
  // I64 lists have no range to check.
  EXPECT_EQ(value_for_property(Value::list({Value::integer(INT64_MIN)}), list(ScalarKind::kI64)),
            Value::list({Value::integer(INT64_MIN)}));
  EXPECT_EQ(error_of(Value::integer(5), list(ScalarKind::kString)),
            "cannot convert Integer(5) to List(Field { name: \"item\", data_type: Utf8, nullable: "
            "true })");
}

TEST(WriteValue, Vectors) {
  Property v3 = prop(Type::vector_of(3));
  EXPECT_EQ(value_for_property(
                Value::list({Value::integer(1), Value::floating(2.5), Value::floating(0.1)}), v3),
            Value::vector(FloatVector{{1.0f, 2.5f, 0.1f}}));
  EXPECT_EQ(value_for_property(Value::vector(FloatVector{{1, 2, 3}}), v3),
            Value::vector(FloatVector{{1, 2, 3}}));
  EXPECT_EQ(error_of(Value::list({Value::integer(1), Value::integer(2)}), v3),
            "vector property expects 3 dimensions, got 2");
  EXPECT_EQ(error_of(Value::vector(FloatVector{{1, 2, 3, 4}}), v3),
            "vector property expects 3 dimensions, got 4");
  EXPECT_EQ(error_of(Value::list({Value::integer(1), Value::string("x"), Value::integer(3)}), v3),
            "vector elements must be numeric");
  EXPECT_EQ(error_of(Value::string("x"), v3),
            "cannot convert String(\"x\") to FixedSizeList(Field { name: \"item\", data_type: "
            "Float32, nullable: true }, 3)");
}

TEST(WriteValue, NullPassesThrough) {
  for (Property p : {scalar(ScalarKind::kI32), scalar(ScalarKind::kBlob), list(ScalarKind::kString),
                     prop(Type::vector_of(2))}) {
    EXPECT_TRUE(value_for_property(Value::null(), p).is_null());
  }
}

}  // namespace
}  // namespace omnigraph::engine
