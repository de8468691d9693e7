// Read executor: aggregation (spec §4.8) and its column names (§6.2).
#include "engine/executor.h"
#include "executor_test_util.h"

namespace omnigraph::engine::testing {
namespace {

using V = std::vector<std::string>;

class ExecAggregateTest : public ExecTest {
 protected:
  void people() {
    person("Ann", {{"city", Value::string("Rome")},
                   {"age", Value::integer(30)},
                   {"score", Value::floating(1.5)}});
    person("Bob", {{"city", Value::string("Oslo")}, {"age", Value::integer(20)}});
    person("Cat", {{"city", Value::string("Rome")},
                   {"age", Value::integer(40)},
                   {"score", Value::floating(2.5)}});
    person("Dan", {{"age", Value::integer(50)}});
    person("Eve");
  }
};

TEST_F(ExecAggregateTest, GroupsAppearInFirstSeenOrder) {
  people();
  ResultSet rs =
      run("query q() { match { $p: Person } return { $p.city, count($p) as n, sum($p.age) } }");
  EXPECT_EQ(rs.columns, (V{"p.city", "n", "p.age"}));
  // Pipeline order is Ann, Bob, Cat, Dan, Eve; null is its own group.
  EXPECT_EQ(rows_of(rs), (V{"Rome|2|70", "Oslo|1|20", "null|2|50"}));
  // Sums are Float64 even over integers.
  EXPECT_EQ(rs.rows[0][2].kind(), Value::Kind::kFloat);
  EXPECT_EQ(rs.rows[0][1].kind(), Value::Kind::kInt);
}

TEST_F(ExecAggregateTest, CountCountsNonNullValues) {
  people();
  ResultSet rs =
      run("query q() { match { $p: Person } return { count($p.score) as scored, count($p) as total "
          "} }");
  EXPECT_EQ(rows_of(rs), (V{"2|5"}));
}

TEST_F(ExecAggregateTest, AvgMinMaxOverNonNullValues) {
  people();
  ResultSet rs =
      run("query q() { match { $p: Person } return { avg($p.age) as a, min($p.age) as lo, "
          "max($p.age) as hi, min($p.name) as first, max($p.score) as top } }");
  EXPECT_EQ(rows_of(rs), (V{"35|20|50|Ann|2.5"}));
  // min/max keep the column's kind (an I32 stays an integer).
  EXPECT_EQ(rs.rows[0][1].kind(), Value::Kind::kInt);
  EXPECT_EQ(rs.rows[0][0].kind(), Value::Kind::kFloat);
  // Groups whose values are all null aggregate to null.
  rs =
      run("query q() { match { $p: Person $p.age > 45 } return { $p.name, avg($p.score) as a, "
          "sum($p.score) as s, min($p.score) as m, count($p.score) as c } }");
  EXPECT_EQ(rows_of(rs), (V{"Dan|null|null|null|0"}));
}

TEST_F(ExecAggregateTest, StringMinMaxIsBytewise) {
  person("apple");
  person("Zebra");
  ResultSet rs =
      run("query q() { match { $p: Person } return { min($p.name) as lo, max($p.name) as hi } }");
  EXPECT_EQ(rows_of(rs), (V{"Zebra|apple"}));
}

TEST_F(ExecAggregateTest, UnaliasedAggregatesAreNamedAfterTheirArgument) {
  people();
  edge("Knows", "k1", "Ann", "Bob");
  edge("Knows", "k2", "Ann", "Cat");
  ResultSet rs =
      run("query q() { match { $p: Person $p knows $f } return { $p.name, count($f) } }");
  EXPECT_EQ(rs.columns, (V{"p.name", "f"}));
  EXPECT_EQ(rows_of(rs), (V{"Ann|2"}));
}

TEST_F(ExecAggregateTest, EmptyInputWithoutKeysGivesOneRow) {
  ResultSet rs =
      run("query q() { match { $p: Person } return { count($p), sum($p.age), avg($p.age) as mean, "
          "max($p.name) } }");
  EXPECT_EQ(rs.columns, (V{"?", "?", "mean", "?"}));
  EXPECT_EQ(rows_of(rs), (V{"0|null|null|null"}));
}

TEST_F(ExecAggregateTest, EmptyInputWithKeysGivesNoRows) {
  ResultSet rs = run("query q() { match { $p: Person } return { $p.city, count($p) } }");
  EXPECT_EQ(rs.columns, (V{"p.city", "p"}));
  EXPECT_TRUE(rs.rows.empty());
}

TEST_F(ExecAggregateTest, OrderingAppliesToTheAggregatedResult) {
  people();
  ResultSet rs =
      run("query q() { match { $p: Person } return { $p.city, count($p) as n } "
          "order { n desc, $p.city } limit 2 }");
  EXPECT_EQ(rows_of(rs), (V{"null|2", "Rome|2"}));
  // `$v.p` must be an unaliased result column.
  EXPECT_EQ(error_of("query q() { match { $p: Person } return { $p.city, count($p) as n } "
                     "order { $p.age } }"),
            "column 'p.age' not found for ordering");
}

TEST_F(ExecAggregateTest, GroupKeyIsTheNodeId) {
  people();
  edge("Knows", "k1", "Ann", "Bob");
  edge("Knows", "k2", "Cat", "Bob");
  edge("Knows", "k3", "Ann", "Cat");
  ResultSet rs =
      run("query q() { match { $p: Person $p knows $f } return { $f, count($p) as fans } "
          "order { fans desc } }");
  EXPECT_EQ(rs.columns, (V{"f", "fans"}));
  EXPECT_EQ(rows_of(rs), (V{"Bob|2", "Cat|1"}));
}

}  // namespace
}  // namespace omnigraph::engine::testing
