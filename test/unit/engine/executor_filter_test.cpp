// Read executor: explicit filters and null handling (spec §4.4).
#include <cmath>

#include "engine/executor.h"
#include "executor_test_util.h"

namespace omnigraph::engine::testing {
namespace {

using V = std::vector<std::string>;

class ExecFilterTest : public ExecTest {
 protected:
  V names(const std::string& filter, const ParamMap& params = {}, const std::string& decls = "") {
    return rows_of(
        run("query q(" + decls + ") { match { $p: Person " + filter + " } return { $p.name } }",
            params));
  }
};

TEST_F(ExecFilterTest, RightSideIsCastToTheLeftType) {
  person("A", {{"age", Value::integer(29)}});
  person("B", {{"age", Value::integer(30)}});
  // 29.5 vs an I32 column compares as 29.
  EXPECT_EQ(names("$p.age = 29.5"), (V{"A"}));
  EXPECT_EQ(names("$p.age > 29.5"), (V{"B"}));
  EXPECT_EQ(names("$p.age >= 29.5"), (V{"A", "B"}));
  // An integer literal against the I32 column works as expected.
  EXPECT_EQ(names("$p.age < 30"), (V{"A"}));
  // Float parameters too.
  EXPECT_EQ(names("$p.age <= $x", {{"x", Value::floating(29.9)}}, "$x: F64"), (V{"A"}));
}

TEST_F(ExecFilterTest, F32ColumnsCompareAtFloatPrecision) {
  person("A", {{"ratio", Value::floating(static_cast<float>(0.1))}});
  EXPECT_EQ(names("$p.ratio = 0.1"), (V{"A"}));
  EXPECT_EQ(names("$p.ratio < 0.1"), (V{}));
}

TEST_F(ExecFilterTest, UnsignedColumnsDropUnrepresentableValues) {
  person("A", {{"big", Value::unsigned_integer(5)}});
  EXPECT_EQ(names("$p.big > 4"), (V{"A"}));
  EXPECT_EQ(names("$p.big = 5"), (V{"A"}));
  // -1 cannot be a U64: the cast yields null, which matches nothing.
  EXPECT_EQ(names("$p.big > $x", {{"x", Value::integer(-1)}}, "$x: I64"), (V{}));
}

TEST_F(ExecFilterTest, NullNeverMatchesAnyOperator) {
  person("A", {{"age", Value::integer(5)}});
  person("B");
  EXPECT_EQ(names("$p.age != 5"), (V{}));
  EXPECT_EQ(names("$p.age != 6"), (V{"A"}));
  EXPECT_EQ(names("$p.age = 5"), (V{"A"}));
  EXPECT_EQ(names("$p.age < 100"), (V{"A"}));
  // A null parameter: nothing matches, `!=` included.
  EXPECT_EQ(names("$p.age != $x", {{"x", Value()}}, "$x: I32?"), (V{}));
  EXPECT_EQ(names("$p.age = $x", {{"x", Value()}}, "$x: I32?"), (V{}));
}

TEST_F(ExecFilterTest, StringsCompareBytewise) {
  person("Zebra");
  person("apple");
  EXPECT_EQ(names("$p.name < \"a\""), (V{"Zebra"}));
  EXPECT_EQ(names("$p.name > \"Zz\""), (V{"apple"}));
  EXPECT_EQ(names("$p.name != \"apple\""), (V{"Zebra"}));
}

TEST_F(ExecFilterTest, DatesAndDateTimesCompareChronologically) {
  person("Old", {{"born", Value::date(Date{-365})}, {"seen", Value::datetime(DateTime{1000})}});
  person("New", {{"born", Value::date(Date{20000})}, {"seen", Value::datetime(DateTime{9000})}});
  EXPECT_EQ(names("$p.born > date(\"1970-01-01\")"), (V{"New"}));
  EXPECT_EQ(names("$p.born <= date(\"1970-01-01\")"), (V{"Old"}));
  EXPECT_EQ(names("$p.seen >= datetime(\"1970-01-01T00:00:05Z\")"), (V{"New"}));
  // Date parameters arrive parsed (or as text, parsed when used).
  EXPECT_EQ(names("$p.born < $d", {{"d", Value::string("2000-01-01")}}, "$d: Date"), (V{"Old"}));
  EXPECT_EQ(error_of("query q($d: Date) { match { $p: Person $p.born < $d } return { $p.name } }",
                     {{"d", Value::string("not a date")}}),
            "invalid Date literal 'not a date'");
}

TEST_F(ExecFilterTest, BooleansCompareFalseBeforeTrue) {
  person("T", {{"active", Value::boolean(true)}});
  person("F", {{"active", Value::boolean(false)}});
  EXPECT_EQ(names("$p.active = true"), (V{"T"}));
  EXPECT_EQ(names("$p.active > false"), (V{"T"}));
  EXPECT_EQ(names("$p.active < true"), (V{"F"}));
}

TEST_F(ExecFilterTest, ContainsIsListMembership) {
  person("A", {{"tags", Value::list({Value::string("x"), Value()})},
               {"nums", Value::list({Value::integer(1), Value::integer(3)})}});
  person("B", {{"tags", Value::list({Value::string("xy")})}});
  person("C");
  EXPECT_EQ(names("$p.tags contains \"x\""), (V{"A"}));  // not substring search
  EXPECT_EQ(names("$p.nums contains 3"), (V{"A"}));      // I64 literal cast to I32
  EXPECT_EQ(names("$p.nums contains 2"), (V{}));
  // A null right value matches nothing.
  EXPECT_EQ(names("$p.tags contains $t", {{"t", Value()}}, "$t: String?"), (V{}));
  // A list parameter on the left.
  EXPECT_EQ(names("$l contains $p.name",
                  {{"l", Value::list({Value::string("C"), Value::string("B")})}}, "$l: [String]"),
            (V{"B", "C"}));
}

TEST_F(ExecFilterTest, MissingParameterIsAnError) {
  person("A");
  EXPECT_EQ(error_of("query q($x: I32) { match { $p: Person $p.age > $x } return { $p.name } }"),
            "parameter 'x' not provided");
  // Even when no row would reach the filter.
  EXPECT_EQ(error_of("query q($x: I32) { match { $p: Person { name: \"nobody\" } $p.age > $x } "
                     "return { $p.name } }"),
            "parameter 'x' not provided");
}

TEST_F(ExecFilterTest, SearchFunctionsInComparisonsAreUnsupported) {
  person("A");
  EXPECT_EQ(error_of("query q() { match { $p: Person bm25($p.name, \"a\") > 1.0 } "
                     "return { $p.name } }"),
            "unsupported expression in filter");
}

TEST_F(ExecFilterTest, InvalidDateLiteralIsReported) {
  person("A");
  std::string q =
      "query q() { match { $p: Person $p.born > date(\"2024-13-45\") } return { $p.name } }";
  std::string message;
  try {
    message = error_of(q);
  } catch (const Error& e) {
    message = e.what();  // the compiler may already reject it
  }
  EXPECT_NE(message.find("2024-13-45"), std::string::npos) << message;
}

TEST_F(ExecFilterTest, FiltersOnEdgeProperties) {
  person("A");
  person("B");
  person("C");
  edge("Knows", "e1", "A", "B", {{"since", Value::integer(2000)}});
  edge("Knows", "e2", "A", "C");
  ResultSet rs =
      run("query q() { match { $a: Person $a $e:knows $b $e.since < 2010 } return { $b.name } }");
  EXPECT_EQ(rows_of(rs), (V{"B"}));
}

TEST_F(ExecFilterTest, NaNEqualsItselfAndIsAboveNumbers) {
  person("N", {{"score", Value::floating(std::nan(""))}});
  person("One", {{"score", Value::floating(1)}});
  EXPECT_EQ(names("$p.score > 1000000.0"), (V{"N"}));
  EXPECT_EQ(names("$p.score < 2.0"), (V{"One"}));
}

}  // namespace
}  // namespace omnigraph::engine::testing
