// Query parameter conversion from JSON (languages.md §6.1).
#include "engine/params.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace omnigraph::engine {
namespace {

using compiler::ScalarKind;
using compiler::Type;
using compiler::ir::ParamDecl;

std::vector<ParamDecl> decl(const std::string& name, Type type) {
  return {ParamDecl{name, std::move(type)}};
}

std::vector<ParamDecl> decl(const std::string& name, ScalarKind kind, bool nullable = false) {
  return decl(name, Type::scalar_of(kind, nullable));
}

std::string error_of(std::string_view text, const std::vector<ParamDecl>& decls) {
  try {
    params_from_json_text(text, decls);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    return e.what();
  }
  return "(no error)";
}

Value one(std::string_view text, const std::vector<ParamDecl>& decls, const std::string& key) {
  ParamMap params = params_from_json_text(text, decls);
  auto it = params.find(key);
  EXPECT_NE(it, params.end()) << key;
  return it == params.end() ? Value::null() : it->second;
}

TEST(Params, MustBeAnObject) {
  EXPECT_EQ(error_of("[1]", {}), "params must be a JSON object");
  EXPECT_EQ(error_of("5", {}), "params must be a JSON object");
  EXPECT_EQ(error_of("\"x\"", {}), "params must be a JSON object");
  std::string parse_error = error_of("{\"a\": }", {});
  EXPECT_EQ(parse_error.rfind("params must be a JSON object: invalid JSON at offset 6: ", 0), 0u)
      << parse_error;
  EXPECT_EQ(error_of(R"({"a": "\udc00"})", {}),
            "params must be a JSON object: invalid JSON at offset 7: The surrogate pair in string "
            "is invalid.");
}

TEST(Params, AbsentParamsFillNullablesAndRequireTheRest) {
  auto nullable = decl("x", ScalarKind::kString, true);
  for (const char* text : {"", "  \n", "null", "{}"}) {
    ParamMap params = params_from_json_text(text, nullable);
    ASSERT_EQ(params.size(), 1u) << text;
    EXPECT_TRUE(params.at("x").is_null());
  }
  EXPECT_TRUE(params_from_json(nullptr, nullable).at("x").is_null());
  EXPECT_TRUE(params_from_json(nullptr, {}).empty());

  // Deliberate difference: the reference silently left these out.
  auto required = decl("x", ScalarKind::kI64);
  EXPECT_EQ(error_of("", required), "parameter 'x' not provided");
  EXPECT_EQ(error_of("null", required), "parameter 'x' not provided");
  EXPECT_EQ(error_of("{\"y\": 1}", required), "parameter 'x' not provided");
  EXPECT_THROW(params_from_json(nullptr, required), Error);
}

TEST(Params, ExplicitNull) {
  EXPECT_TRUE(one("{\"x\": null}", decl("x", ScalarKind::kI32, true), "x").is_null());
  EXPECT_EQ(error_of("{\"x\": null}", decl("x", ScalarKind::kI32)),
            "param 'x': null is not accepted for non-nullable parameter");
}

TEST(Params, Strings) {
  auto d = decl("x", ScalarKind::kString);
  EXPECT_EQ(one("{\"x\": \"hi\"}", d, "x"), Value::string("hi"));
  EXPECT_EQ(error_of("{\"x\": 5}", d), "param 'x': expected string, got number");
  EXPECT_EQ(error_of("{\"x\": true}", d), "param 'x': expected string, got boolean");
  EXPECT_EQ(error_of("{\"x\": [1]}", d), "param 'x': expected string, got array");
  EXPECT_EQ(error_of("{\"x\": {}}", d), "param 'x': expected string, got object");
}

TEST(Params, SignedIntegers) {
  auto i32 = decl("x", ScalarKind::kI32);
  EXPECT_EQ(one("{\"x\": 42}", i32, "x"), Value::integer(42));
  EXPECT_EQ(one("{\"x\": \"-42\"}", i32, "x"), Value::integer(-42));
  EXPECT_EQ(one("{\"x\": \"+7\"}", i32, "x"), Value::integer(7));
  EXPECT_EQ(one("{\"x\": -2147483648}", i32, "x"), Value::integer(INT32_MIN));
  EXPECT_EQ(error_of("{\"x\": 3000000000}", i32), "param 'x': value 3000000000 exceeds I32");
  EXPECT_EQ(error_of("{\"x\": \"-3000000000\"}", i32), "param 'x': value -3000000000 exceeds I32");
  EXPECT_EQ(error_of("{\"x\": 1.5}", i32), "param 'x': expected integer number");
  EXPECT_EQ(error_of("{\"x\": 1.0}", i32), "param 'x': expected integer number");
  EXPECT_EQ(error_of("{\"x\": \"abc\"}", i32), "param 'x': expected integer string, got 'abc'");
  EXPECT_EQ(error_of("{\"x\": \" 1\"}", i32), "param 'x': expected integer string, got ' 1'");
  EXPECT_EQ(error_of("{\"x\": \"+-1\"}", i32), "param 'x': expected integer string, got '+-1'");
  EXPECT_EQ(error_of("{\"x\": \"\"}", i32), "param 'x': expected integer string, got ''");
  EXPECT_EQ(error_of("{\"x\": true}", i32), "param 'x': expected integer");

  auto i64 = decl("x", ScalarKind::kI64);
  EXPECT_EQ(one("{\"x\": \"9223372036854775807\"}", i64, "x"), Value::integer(INT64_MAX));
  EXPECT_EQ(one("{\"x\": \"-9223372036854775808\"}", i64, "x"), Value::integer(INT64_MIN));
  EXPECT_EQ(error_of("{\"x\": \"9223372036854775808\"}", i64),
            "param 'x': expected integer string, got '9223372036854775808'");
  EXPECT_EQ(error_of("{\"x\": 9223372036854775808}", i64), "param 'x': expected integer number");
}

TEST(Params, UnsignedIntegersBecomeSigned) {
  auto u32 = decl("x", ScalarKind::kU32);
  EXPECT_EQ(one("{\"x\": 4294967295}", u32, "x"), Value::integer(4294967295));
  EXPECT_EQ(one("{\"x\": \"+5\"}", u32, "x"), Value::integer(5));
  EXPECT_EQ(error_of("{\"x\": 4294967296}", u32), "param 'x': value 4294967296 exceeds U32");
  EXPECT_EQ(error_of("{\"x\": -1}", u32), "param 'x': expected unsigned integer number");
  EXPECT_EQ(error_of("{\"x\": \"-1\"}", u32),
            "param 'x': expected unsigned integer string, got '-1'");
  EXPECT_EQ(error_of("{\"x\": [1]}", u32), "param 'x': expected unsigned integer");

  auto u64 = decl("x", ScalarKind::kU64);
  EXPECT_EQ(one("{\"x\": 9223372036854775807}", u64, "x"), Value::integer(INT64_MAX));
  EXPECT_EQ(error_of("{\"x\": 9223372036854775808}", u64),
            "param 'x': value 9223372036854775808 exceeds current engine range for U64 (max "
            "9223372036854775807)");
  EXPECT_EQ(error_of("{\"x\": \"18446744073709551615\"}", u64),
            "param 'x': value 18446744073709551615 exceeds current engine range for U64 (max "
            "9223372036854775807)");
  EXPECT_EQ(error_of("{\"x\": \"18446744073709551616\"}", u64),
            "param 'x': expected unsigned integer string, got '18446744073709551616'");
}

TEST(Params, FloatsAndBools) {
  for (ScalarKind kind : {ScalarKind::kF32, ScalarKind::kF64}) {
    auto d = decl("x", kind);
    EXPECT_EQ(one("{\"x\": 1.5}", d, "x"), Value::floating(1.5));
    EXPECT_EQ(one("{\"x\": 2}", d, "x"), Value::floating(2.0));    // integers are fine
    EXPECT_EQ(one("{\"x\": 0.1}", d, "x"), Value::floating(0.1));  // not rounded yet
    EXPECT_EQ(error_of("{\"x\": \"1.5\"}", d), "param 'x': expected float");
  }
  auto b = decl("x", ScalarKind::kBool);
  EXPECT_EQ(one("{\"x\": false}", b, "x"), Value::boolean(false));
  EXPECT_EQ(error_of("{\"x\": \"true\"}", b), "param 'x': expected boolean");
  EXPECT_EQ(error_of("{\"x\": 1}", b), "param 'x': expected boolean");
}

TEST(Params, DatesAreParsedHere) {
  auto date = decl("d", ScalarKind::kDate);
  EXPECT_EQ(one("{\"d\": \"1970-01-02\"}", date, "d"), Value::date(Date{1}));
  EXPECT_EQ(error_of("{\"d\": 3}", date), "param 'd': expected date string");
  EXPECT_EQ(error_of("{\"d\": \"soon\"}", date), "invalid Date literal 'soon'");

  auto time = decl("t", ScalarKind::kDateTime);
  EXPECT_EQ(one("{\"t\": \"1970-01-01T00:00:01Z\"}", time, "t"), Value::datetime(DateTime{1000}));
  EXPECT_EQ(error_of("{\"t\": 1000}", time), "param 't': expected datetime string");
  EXPECT_EQ(error_of("{\"t\": \"later\"}", time), "invalid DateTime literal 'later'");
}

TEST(Params, Blobs) {
  auto d = decl("b", ScalarKind::kBlob);
  EXPECT_EQ(one("{\"b\": \"base64:aGk=\"}", d, "b"), Value::blob(Blob{false, "hi"}));
  EXPECT_EQ(one("{\"b\": \"s3://bucket/key\"}", d, "b"),
            Value::blob(Blob{true, "s3://bucket/key"}));
  EXPECT_EQ(error_of("{\"b\": \"base64:a!==\"}", d),
            "invalid base64 blob data: Invalid symbol 33, offset 1.");
  EXPECT_EQ(error_of("{\"b\": 5}", d), "param 'b': expected blob URI string, got number");
}

TEST(Params, ListsConvertEachElement) {
  auto strings = decl("l", Type::list_of(ScalarKind::kString));
  EXPECT_EQ(one("{\"l\": [\"a\", \"b\"]}", strings, "l"),
            Value::list({Value::string("a"), Value::string("b")}));
  EXPECT_EQ(one("{\"l\": []}", strings, "l"), Value::list({}));
  EXPECT_EQ(error_of("{\"l\": \"a\"}", strings), "param 'l': expected array for [String]");
  EXPECT_EQ(error_of("{\"l\": [\"a\", null]}", strings), "param 'l': expected string, got null");

  auto ints = decl("l", Type::list_of(ScalarKind::kI32));
  EXPECT_EQ(one("{\"l\": [1, \"2\"]}", ints, "l"),
            Value::list({Value::integer(1), Value::integer(2)}));
  EXPECT_EQ(error_of("{\"l\": [1, 3000000000]}", ints), "param 'l': value 3000000000 exceeds I32");
  EXPECT_EQ(error_of("{\"l\": 1}", ints), "param 'l': expected array for [I32]");

  auto dates = decl("l", Type::list_of(ScalarKind::kDate, true));
  EXPECT_EQ(one("{\"l\": [\"1970-01-03\"]}", dates, "l"), Value::list({Value::date(Date{2})}));
  EXPECT_EQ(error_of("{\"l\": [\"x\"]}", dates), "invalid Date literal 'x'");
  EXPECT_EQ(error_of("{\"l\": 1}", dates), "param 'l': expected array for [Date]");
}

TEST(Params, Vectors) {
  auto d = decl("q", Type::vector_of(4));
  EXPECT_EQ(one("{\"q\": [1, 0.5, -2, 0.1]}", d, "q"),
            Value::vector(FloatVector{{1.0f, 0.5f, -2.0f, 0.1f}}));
  EXPECT_EQ(error_of("{\"q\": [1, 2, 3]}", d), "param 'q': expected 4 values for Vector(4), got 3");
  EXPECT_EQ(error_of("{\"q\": [1, \"2\", 3, 4]}", d), "param 'q': vector element is not numeric");
  EXPECT_EQ(error_of("{\"q\": \"1,2,3,4\"}", d), "param 'q': expected array for Vector(4)");
}

TEST(Params, UndeclaredKeysAreInferred) {
  ParamMap p = params_from_json_text(
      R"({"s": "x", "b": true, "i": -3, "f": 1.5, "e": 1e3, "big": 18446744073709551615,
          "n": null, "l": [1, "a", [2.5]]})",
      {});
  EXPECT_EQ(p.at("s"), Value::string("x"));
  EXPECT_EQ(p.at("b"), Value::boolean(true));
  EXPECT_EQ(p.at("i"), Value::integer(-3));
  EXPECT_EQ(p.at("f"), Value::floating(1.5));
  EXPECT_EQ(p.at("e"), Value::floating(1000.0));
  EXPECT_EQ(p.at("big"), Value::floating(18446744073709551615.0));
  EXPECT_TRUE(p.at("n").is_null());
  EXPECT_EQ(p.at("l"), Value::list({Value::integer(1), Value::string("a"),
                                    Value::list({Value::floating(2.5)})}));
  EXPECT_EQ(error_of("{\"o\": {\"a\": 1}}", {}), "param 'o': object is not supported");
  EXPECT_EQ(error_of("{\"o\": [[{}]]}", {}), "param 'o': object is not supported");
}

TEST(Params, DeepNestingIsRejectedNotACrash) {
  std::string text = "{\"deep\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_EQ(error_of(text, {}), "param 'deep': array nesting is too deep");
}

TEST(Params, RepeatedKeyKeepsTheLastValue) {
  auto d = decl("x", ScalarKind::kI64);
  EXPECT_EQ(one("{\"x\": 1, \"x\": 2}", d, "x"), Value::integer(2));
  // Only the last value is converted.
  EXPECT_EQ(one("{\"x\": \"bad\", \"x\": 3}", d, "x"), Value::integer(3));
}

TEST(Params, FromParsedJson) {
  rapidjson::Document doc;
  doc.Parse(R"({"name": "Ann", "age": "41"})");
  std::vector<ParamDecl> decls = {{"name", Type::scalar_of(ScalarKind::kString)},
                                  {"age", Type::scalar_of(ScalarKind::kI32)},
                                  {"nick", Type::scalar_of(ScalarKind::kString, true)}};
  ParamMap p = params_from_json(&doc, decls);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p.at("name"), Value::string("Ann"));
  EXPECT_EQ(p.at("age"), Value::integer(41));
  EXPECT_TRUE(p.at("nick").is_null());
}

}  // namespace
}  // namespace omnigraph::engine
