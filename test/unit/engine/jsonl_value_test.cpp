#include "engine/jsonl_value.h"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/error.h"
#include "engine/result_json.h"

namespace omnigraph::engine {
namespace {

using compiler::ScalarKind;
using compiler::Type;

rapidjson::Document parse(const char* text) {
  rapidjson::Document doc;
  doc.Parse(text);
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

Value map(const char* json_text, const Type& type) {
  rapidjson::Document doc = parse(json_text);
  return value_from_jsonl(&doc, type, "p");
}

std::string error_of(const char* json_text, const Type& type) {
  try {
    map(json_text, type);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    return e.what();
  }
  return "(no error)";
}

std::string to_json(const Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  write_result_value(writer, value);
  return buffer.GetString();
}

TEST(JsonlValue, ScalarsAndWrongTypesBecomeNull) {
  EXPECT_EQ(map("\"x\"", Type::scalar_of(ScalarKind::kString)), Value::string("x"));
  EXPECT_TRUE(map("3", Type::scalar_of(ScalarKind::kString)).is_null());
  EXPECT_EQ(map("30", Type::scalar_of(ScalarKind::kI64)), Value::integer(30));
  EXPECT_TRUE(map("30.0", Type::scalar_of(ScalarKind::kI64)).is_null());
  EXPECT_EQ(map("4294967297", Type::scalar_of(ScalarKind::kI32)), Value::integer(1));  // wraps
  EXPECT_TRUE(map("-1", Type::scalar_of(ScalarKind::kU64)).is_null());
  EXPECT_EQ(map("18446744073709551615", Type::scalar_of(ScalarKind::kU64)),
            Value::unsigned_integer(UINT64_MAX));
  EXPECT_EQ(map("0.1", Type::scalar_of(ScalarKind::kF32)),
            Value::floating(static_cast<double>(0.1f)));
  EXPECT_EQ(map("2", Type::scalar_of(ScalarKind::kF64)), Value::floating(2.0));
  EXPECT_EQ(map("true", Type::scalar_of(ScalarKind::kBool)), Value::boolean(true));
  EXPECT_TRUE(map("\"true\"", Type::scalar_of(ScalarKind::kBool)).is_null());
  EXPECT_TRUE(value_from_jsonl(nullptr, Type::scalar_of(ScalarKind::kString), "p").is_null());
}

TEST(JsonlValue, DatesAndDateTimes) {
  EXPECT_EQ(map("\"1970-01-02\"", Type::scalar_of(ScalarKind::kDate)), Value::date(Date{1}));
  EXPECT_EQ(map("3", Type::scalar_of(ScalarKind::kDate)), Value::date(Date{3}));
  EXPECT_EQ(map("\"1970-01-01T00:00:01Z\"", Type::scalar_of(ScalarKind::kDateTime)),
            Value::datetime(DateTime{1000}));
  EXPECT_EQ(map("1500", Type::scalar_of(ScalarKind::kDateTime)), Value::datetime(DateTime{1500}));
  EXPECT_NE(
      error_of("\"soon\"", Type::scalar_of(ScalarKind::kDate)).find("invalid Date literal 'soon'"),
      std::string::npos);
  EXPECT_NE(error_of("\"later\"", Type::scalar_of(ScalarKind::kDateTime))
                .find("invalid DateTime literal 'later'"),
            std::string::npos);
}

TEST(JsonlValue, ListsVectorsAndBlobs) {
  EXPECT_EQ(map("[\"a\", 1]", Type::list_of(ScalarKind::kString)),
            Value::list({Value::string("a"), Value::null()}));
  EXPECT_TRUE(map("null", Type::list_of(ScalarKind::kString)).is_null());
  EXPECT_NE(error_of("\"a\"", Type::list_of(ScalarKind::kString))
                .find("list property 'p' expects a JSON array, got \"a\""),
            std::string::npos);
  EXPECT_NE(error_of("[3000000000]", Type::list_of(ScalarKind::kI32)).find("exceeds Int32 range"),
            std::string::npos);
  EXPECT_EQ(map("[1, \"x\", 2.5]", Type::vector_of(3)), Value::vector(FloatVector{{1, 0, 2.5f}}));
  EXPECT_NE(error_of("[1, 2]", Type::vector_of(3)).find("expects 3 dimensions, got 2"),
            std::string::npos);
  EXPECT_NE(error_of("null", Type::vector_of(3)).find("non-nullable vector property 'p'"),
            std::string::npos);
  EXPECT_TRUE(map("null", Type::vector_of(3, true)).is_null());
  EXPECT_EQ(map("\"base64:aGk=\"", Type::scalar_of(ScalarKind::kBlob)),
            Value::blob(Blob{false, "hi"}));
  EXPECT_EQ(map("\"s3://b/k\"", Type::scalar_of(ScalarKind::kBlob)),
            Value::blob(Blob{true, "s3://b/k"}));
  EXPECT_NE(error_of("\"base64:!!\"", Type::scalar_of(ScalarKind::kBlob))
                .find("invalid base64 blob data"),
            std::string::npos);
  EXPECT_NE(
      error_of("5", Type::scalar_of(ScalarKind::kBlob)).find("must be a URI string or base64:"),
      std::string::npos);
}

TEST(ResultJson, EncodesLikeTheReference) {
  EXPECT_EQ(to_json(Value::null()), "null");
  EXPECT_EQ(to_json(Value::integer(INT64_MAX)), "9223372036854775807");
  EXPECT_EQ(to_json(Value::unsigned_integer(UINT64_MAX)), "18446744073709551615");
  EXPECT_EQ(to_json(Value::floating(30.0)), "30.0");
  EXPECT_EQ(to_json(Value::floating(static_cast<float>(0.1))), "0.10000000149011612");
  EXPECT_EQ(to_json(Value::floating(NAN)), "\"NaN\"");
  EXPECT_EQ(to_json(Value::floating(-INFINITY)), "\"-Infinity\"");
  EXPECT_EQ(to_json(Value::date(Date{0})), "\"1970-01-01\"");
  EXPECT_EQ(to_json(Value::datetime(DateTime{1})), "\"1970-01-01T00:00:00.001Z\"");
  EXPECT_EQ(to_json(Value::blob(Blob{false, "x"})), "null");
  EXPECT_EQ(to_json(Value::list({Value::string("a"), Value::null()})), "[\"a\",null]");
  EXPECT_EQ(to_json(Value::vector(FloatVector{{0.5f, 1.0f}})), "[0.5,1.0]");
}

}  // namespace
}  // namespace omnigraph::engine
