// Read executor: lowering-level behaviour (spec §4.1), NodeScan (§4.2),
// return/order/limit (§4.7), result order (§4.11) and column names (§6.2).
#include "engine/executor.h"

#include <cmath>

#include "executor_test_util.h"

namespace omnigraph::engine::testing {
namespace {

using V = std::vector<std::string>;

class ExecutorTest : public ExecTest {
 protected:
  // Alice -> Bob, Alice -> Carol, Bob -> Carol, Carol -> Dave;
  // Alice works at Acme, Bob at Beta.
  void social() {
    person("Alice", {{"age", Value::integer(30)},
                     {"city", Value::string("Paris")},
                     {"rank", Value::integer(5)},
                     {"tags", Value::list({Value::string("x"), Value::string("y")})}});
    person("Bob", {{"age", Value::integer(25)},
                   {"city", Value::string("Oslo")},
                   {"rank", Value::integer(7)},
                   {"tags", Value::list({Value::string("y")})}});
    person("Carol", {{"city", Value::string("Paris")}, {"rank", Value::integer(9)}});
    person("Dave", {{"age", Value::integer(40)}});
    node("Company", "Acme", {{"founded", Value::integer(1990)}});
    node("Company", "Beta", {{"founded", Value::integer(2001)}});
    edge("Knows", "k1", "Alice", "Bob", {{"since", Value::integer(2010)}});
    edge("Knows", "k2", "Alice", "Carol");
    edge("Knows", "k3", "Bob", "Carol");
    edge("Knows", "k4", "Carol", "Dave");
    edge("WorksAt", "w1", "Alice", "Acme", {{"role", Value::string("cto")}});
    edge("WorksAt", "w2", "Bob", "Beta");
  }
};

// --- §4.1 lowering / row model ---------------------------------------------

TEST_F(ExecutorTest, BagSemanticsRepeatRowsWithoutDistinct) {
  social();
  ResultSet rs = run("query q() { match { $p: Person $p knows $f } return { $p.name } }");
  EXPECT_EQ(sorted_rows(rs), (V{"Alice", "Alice", "Bob", "Carol"}));
}

TEST_F(ExecutorTest, AnonymousVariableStillFansOut) {
  social();
  ResultSet rs =
      run("query q() { match { $p: Person { name: \"Alice\" } $p knows $_ } return { $p.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Alice", "Alice"}));
}

TEST_F(ExecutorTest, ComponentsAreCrossJoinedLeftMajor) {
  social();
  ResultSet rs =
      run("query q() { match { $p: Person { city: \"Paris\" } $c: Company } "
          "return { $p.name, $c.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Alice|Acme", "Alice|Beta", "Carol|Acme", "Carol|Beta"}));
}

TEST_F(ExecutorTest, DeferredBindingFiltersTravelWithTheExpand) {
  social();
  ResultSet rs =
      run("query q() { match { $p: Person { name: \"Alice\" } $p knows $f $f: Person { age: 25 } } "
          "return { $f.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Bob"}));
}

TEST_F(ExecutorTest, ExpandFromABoundDestinationGoesInReverse) {
  social();
  ResultSet rs =
      run("query q() { match { $c: Company { name: \"Acme\" } $p worksAt $c } "
          "return { $p.name, $c.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Alice|Acme"}));
}

TEST_F(ExecutorTest, CycleClosingKeepsRowsWhereBothEndsMatch) {
  social();
  edge("Knows", "k5", "Bob", "Alice");  // Alice <-> Bob
  ResultSet rs =
      run("query q() { match { $a: Person $b: Person $a knows $b $b knows $a } "
          "return { $a.name, $b.name } }");
  EXPECT_EQ(sorted_rows(rs), (V{"Alice|Bob", "Bob|Alice"}));
}

TEST_F(ExecutorTest, TraversalsWithoutABoundEndpointAreDropped) {
  social();
  ResultSet rs =
      run("query q() { match { $p: Person { name: \"Dave\" } $x knows $y } return { $p.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Dave"}));
}

TEST_F(ExecutorTest, FiltersRunAfterAllExpands) {
  social();
  ResultSet rs =
      run("query q() { match { $p: Person $p.age > 26 $p knows $f } return { $p.name, $f.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Alice|Bob", "Alice|Carol"}));
}

TEST_F(ExecutorTest, ASecondBindingOfTheSameVariableConstrainsIt) {
  social();
  ResultSet rs =
      run("query q() { match { $p: Person $p: Person { age: 30 } } return { $p.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Alice"}));
}

// --- §4.2 NodeScan ----------------------------------------------------------

TEST_F(ExecutorTest, ScanReturnsStorageOrderWhichIsIdOrder) {
  person("Zed");
  person("Amy");
  person("Moe");
  ResultSet rs = run("query q() { match { $p: Person } return { $p.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Amy", "Moe", "Zed"}));
}

TEST_F(ExecutorTest, InlineMatchOnListPropertyIsMembership) {
  social();
  ResultSet rs = run("query q() { match { $p: Person { tags: \"x\" } } return { $p.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Alice"}));
  rs = run("query q() { match { $p: Person { tags: \"y\" } } return { $p.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Alice", "Bob"}));
}

TEST_F(ExecutorTest, UndeclaredVariableInABindingIsIgnored) {
  social();
  ResultSet rs = run("query q() { match { $p: Person { name: $nobody } } return { $p.name } }");
  EXPECT_EQ(rs.rows.size(), 4u);
}

TEST_F(ExecutorTest, UndeclaredVariableInADeferredBindingIsAnError) {
  social();
  EXPECT_EQ(error_of("query q() { match { $p: Person $p knows $f $f: Person { name: $nobody } } "
                     "return { $f.name } }"),
            "unsupported expression in filter");
}

TEST_F(ExecutorTest, MissingParameterIsAnErrorInBindings) {
  social();
  const char* q = "query q($n: String) { match { $p: Person { name: $n } } return { $p.name } }";
  EXPECT_EQ(error_of(q), "parameter 'n' not provided");
  EXPECT_EQ(rows_of(run(q, {{"n", Value::string("Bob")}})), (V{"Bob"}));
  // A null parameter matches nothing (SQL `= NULL`).
  EXPECT_TRUE(run(q, {{"n", Value()}}).rows.empty());
}

TEST_F(ExecutorTest, BlobPropertiesAlwaysComeBackNull) {
  person("Alice", {{"photo", Value::blob(Blob{false, "bytes"})}});
  ResultSet rs = run("query q() { match { $p: Person } return { $p.name, $p.photo } }");
  ASSERT_EQ(rs.rows.size(), 1u);
  EXPECT_TRUE(rs.rows[0][1].is_null());
}

TEST_F(ExecutorTest, InlineMatchComparesNumbersExactly) {
  social();
  // SQL pushdown semantics: 29.5 never equals an I32 (the explicit filter
  // `$p.age = 29.5` would cast to 29 instead, see the filter tests).
  person("Eve", {{"age", Value::integer(29)}});
  EXPECT_TRUE(
      run("query q() { match { $p: Person { age: 29.5 } } return { $p.name } }").rows.empty());
  EXPECT_EQ(rows_of(run("query q() { match { $p: Person { age: 29.0 } } return { $p.name } }")),
            (V{"Eve"}));
}

TEST_F(ExecutorTest, KeyAndIndexLookupsMatchAFullScan) {
  social();
  // Key lookup.
  EXPECT_EQ(
      rows_of(run("query q() { match { $p: Person { name: \"Carol\" } } return { $p.name } }")),
      (V{"Carol"}));
  EXPECT_TRUE(run("query q() { match { $p: Person { name: \"Nobody\" } } return { $p.name } }")
                  .rows.empty());
  // Index equality (city is @index), in id order.
  EXPECT_EQ(
      rows_of(run("query q() { match { $p: Person { city: \"Paris\" } } return { $p.name } }")),
      (V{"Alice", "Carol"}));
  // Index equality combined with another match.
  EXPECT_EQ(rows_of(run("query q() { match { $p: Person { city: \"Paris\", age: 30 } } "
                        "return { $p.name } }")),
            (V{"Alice"}));
  // Index ranges from explicit filters (rank is @index), still in id order.
  EXPECT_EQ(rows_of(run("query q() { match { $p: Person $p.rank > 5 } return { $p.name } }")),
            (V{"Bob", "Carol"}));
  EXPECT_EQ(rows_of(run("query q() { match { $p: Person $p.rank >= 5 $p.rank < 9 } "
                        "return { $p.name } }")),
            (V{"Alice", "Bob"}));
  EXPECT_EQ(rows_of(run("query q() { match { $p: Person $p.rank <= 7 } return { $p.name } }")),
            (V{"Alice", "Bob"}));
  EXPECT_EQ(rows_of(run("query q() { match { $p: Person $p.rank = 9 } return { $p.name } }")),
            (V{"Carol"}));
  EXPECT_EQ(rows_of(run("query q() { match { $p: Person $p.name = \"Bob\" } return { $p.name } }")),
            (V{"Bob"}));
  // The filter's cast applies: 6.5 vs I64 is 6.
  EXPECT_EQ(rows_of(run("query q() { match { $p: Person $p.rank > 6.5 } return { $p.name } }")),
            (V{"Bob", "Carol"}));
}

TEST_F(ExecutorTest, UnkeyedNodesUseTheirStoredIds) {
  node("Note", "n2", {{"text", Value::string("second")}});
  node("Note", "n1", {{"text", Value::string("first")}});
  ResultSet rs = run("query q() { match { $n: Note } return { $n, $n.text } }");
  EXPECT_EQ(rs.columns, (V{"n", "n.text"}));
  EXPECT_EQ(rows_of(rs), (V{"n1|first", "n2|second"}));
}

// --- §4.7 return, order, limit and §6.2 column names -----------------------

TEST_F(ExecutorTest, ColumnNamesFollowTheReference) {
  social();
  ResultSet rs =
      run("query q($x: I64) { match { $p: Person { name: \"Alice\" } } "
          "return { $p.name, $p, $x, 42, $p.age as years } }",
          {{"x", Value::integer(7)}});
  EXPECT_EQ(rs.columns, (V{"p.name", "p", "x", "literal", "years"}));
  EXPECT_EQ(rows_of(rs), (V{"Alice|Alice|7|42|30"}));
}

TEST_F(ExecutorTest, ProjectingSearchFunctionsOrAliasesIsUnsupported) {
  social();
  EXPECT_EQ(error_of("query q() { match { $p: Person } return { bm25($p.name, \"x\") } }"),
            "unsupported projection expression");
  EXPECT_EQ(error_of("query q() { match { $p: Person } return { $p.name as n, n } }"),
            "unsupported projection expression");
}

TEST_F(ExecutorTest, OrderByAPropertyThatIsNotProjected) {
  social();
  ResultSet rs =
      run("query q() { match { $p: Person } return { $p.name } order { $p.rank desc } }");
  EXPECT_EQ(rows_of(rs), (V{"Carol", "Bob", "Alice", "Dave"}));  // Dave's null rank last
}

TEST_F(ExecutorTest, AscendingPutsNullsFirstDescendingLast) {
  social();
  ResultSet asc =
      run("query q() { match { $p: Person } return { $p.name, $p.age } order { $p.age } }");
  EXPECT_EQ(rows_of(asc), (V{"Carol|null", "Bob|25", "Alice|30", "Dave|40"}));
  ResultSet desc =
      run("query q() { match { $p: Person } return { $p.name, $p.age } order { $p.age desc } }");
  EXPECT_EQ(rows_of(desc), (V{"Dave|40", "Alice|30", "Bob|25", "Carol|null"}));
}

TEST_F(ExecutorTest, NaNSortsAboveEveryNumber) {
  person("A", {{"score", Value::floating(1.5)}});
  person("B", {{"score", Value::floating(std::nan(""))}});
  person("C", {{"score", Value::floating(-2)}});
  person("D");
  ResultSet asc = run("query q() { match { $p: Person } return { $p.name } order { $p.score } }");
  EXPECT_EQ(rows_of(asc), (V{"D", "C", "A", "B"}));
  ResultSet desc =
      run("query q() { match { $p: Person } return { $p.name } order { $p.score desc } }");
  EXPECT_EQ(rows_of(desc), (V{"B", "A", "C", "D"}));
}

TEST_F(ExecutorTest, SortIsStableAndLexicographic) {
  person("A", {{"city", Value::string("Oslo")}, {"age", Value::integer(2)}});
  person("B", {{"city", Value::string("Paris")}, {"age", Value::integer(1)}});
  person("C", {{"city", Value::string("Oslo")}, {"age", Value::integer(1)}});
  person("D", {{"city", Value::string("Oslo")}, {"age", Value::integer(2)}});
  ResultSet rs = run("query q() { match { $p: Person } return { $p.name } order { $p.city } }");
  EXPECT_EQ(rows_of(rs), (V{"A", "C", "D", "B"}));  // ties keep pipeline order
  rs = run("query q() { match { $p: Person } return { $p.name } order { $p.city, $p.age desc } }");
  EXPECT_EQ(rows_of(rs), (V{"A", "D", "C", "B"}));
}

TEST_F(ExecutorTest, StringsSortBytewise) {
  person("apple");
  person("Zebra");
  person("banana");
  person("\xc3\xa9t\xc3\xa9");  // "été": UTF-8 bytes above ASCII
  ResultSet rs = run("query q() { match { $p: Person } return { $p.name } order { $p.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Zebra", "apple", "banana", "\xc3\xa9t\xc3\xa9"}));
}

TEST_F(ExecutorTest, OrderByAliasUsesTheProjectedColumn) {
  social();
  ResultSet rs = run(
      "query q() { match { $p: Person } return { $p.name as who } order { who desc } limit 2 }");
  EXPECT_EQ(rs.columns, (V{"who"}));
  EXPECT_EQ(rows_of(rs), (V{"Dave", "Carol"}));
}

TEST_F(ExecutorTest, OrderingByOtherExpressionsIsUnsupported) {
  social();
  EXPECT_EQ(error_of("query q() { match { $p: Person $p knows $f } return { $p.name } "
                     "order { count($f) } }"),
            "unsupported ordering expression");
}

TEST_F(ExecutorTest, LimitTruncatesAfterOrdering) {
  social();
  ResultSet rs =
      run("query q() { match { $p: Person } return { $p.name } order { $p.name desc } limit 2 }");
  EXPECT_EQ(rows_of(rs), (V{"Dave", "Carol"}));
  rs = run("query q() { match { $p: Person } return { $p.name } limit 3 }");
  EXPECT_EQ(rows_of(rs), (V{"Alice", "Bob", "Carol"}));
  rs = run("query q() { match { $p: Person } return { $p.name } limit 0 }");
  EXPECT_TRUE(rs.rows.empty());
  EXPECT_EQ(rs.columns, (V{"p.name"}));
}

TEST_F(ExecutorTest, NowReadsTheInjectedTimestamp) {
  person("Old", {{"seen", Value::datetime(DateTime{1000})}});
  person("New", {{"seen", Value::datetime(DateTime{5000})}});
  const char* q = "query q() { match { $p: Person $p.seen < now() } return { $p.name } }";
  EXPECT_EQ(error_of(q), "parameter '__nanograph_now' not provided");
  EXPECT_EQ(rows_of(run(q, {{"__nanograph_now", Value::datetime(DateTime{3000})}})), (V{"Old"}));
  // In a binding too (our choice: an error, not a silently skipped match).
  EXPECT_EQ(error_of("query q() { match { $p: Person { seen: now() } } return { $p.name } }"),
            "parameter '__nanograph_now' not provided");
}

TEST_F(ExecutorTest, ParametersProjectAsConstants) {
  social();
  ResultSet rs = run("query q($d: Date) { match { $p: Person { name: \"Bob\" } } return { $d } }",
                     {{"d", Value::date(Date{3})}});
  EXPECT_EQ(rs.columns, (V{"d"}));
  EXPECT_EQ(rows_of(rs), (V{"1970-01-04"}));
}

TEST_F(ExecutorTest, EmptyGraphGivesNoRows) {
  ResultSet rs = run("query q() { match { $p: Person $p knows $f } return { $p.name, $f.name } }");
  EXPECT_EQ(rs.columns, (V{"p.name", "f.name"}));
  EXPECT_TRUE(rs.rows.empty());
}

}  // namespace
}  // namespace omnigraph::engine::testing
