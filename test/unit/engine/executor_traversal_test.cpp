// Read executor: Expand (spec §4.3), the traversal extensions (undirected,
// edge variables) and negation (§4.12).
#include "engine/executor.h"
#include "executor_test_util.h"

namespace omnigraph::engine::testing {
namespace {

using V = std::vector<std::string>;

class ExecTraversalTest : public ExecTest {
 protected:
  // Chain A -> B -> C -> D.
  void chain() {
    for (const char* n : {"A", "B", "C", "D"}) person(n);
    edge("Knows", "e1", "A", "B");
    edge("Knows", "e2", "B", "C");
    edge("Knows", "e3", "C", "D");
  }

  V reach(const std::string& bounds) {
    return rows_of(run("query q() { match { $a: Person { name: \"A\" } $a knows" + bounds +
                       " $b } return { $b.name } }"));
  }
};

TEST_F(ExecTraversalTest, HopWindowIsShortestDistance) {
  chain();
  EXPECT_EQ(reach(""), (V{"B"}));
  EXPECT_EQ(reach("{1,3}"), (V{"B", "C", "D"}));
  EXPECT_EQ(reach("{2,3}"), (V{"C", "D"}));
  EXPECT_EQ(reach("{2,2}"), (V{"C"}));
  EXPECT_EQ(reach("{4,5}"), (V{}));
}

TEST_F(ExecTraversalTest, ANodeIsReportedOnlyAtItsFirstHop) {
  // A -> B, A -> C, B -> C: C is at distance 1, never reported at hop 2.
  for (const char* n : {"A", "B", "C"}) person(n);
  edge("Knows", "e1", "A", "B");
  edge("Knows", "e2", "A", "C");
  edge("Knows", "e3", "B", "C");
  EXPECT_EQ(reach("{2,2}"), (V{}));
  EXPECT_EQ(reach("{1,2}"), (V{"B", "C"}));
}

TEST_F(ExecTraversalTest, ParallelEdgesYieldOneRow) {
  person("A");
  person("B");
  edge("Knows", "e1", "A", "B");
  edge("Knows", "e2", "A", "B");
  EXPECT_EQ(reach(""), (V{"B"}));
}

TEST_F(ExecTraversalTest, TheSourceIsNeverEmittedForSameTypeEdges) {
  person("A");
  person("B");
  edge("Knows", "e1", "A", "A");  // self-loop
  edge("Knows", "e2", "A", "B");
  edge("Knows", "e3", "B", "A");  // cycle back to the start
  EXPECT_EQ(reach(""), (V{"B"}));
  EXPECT_EQ(reach("{1,3}"), (V{"B"}));
}

TEST_F(ExecTraversalTest, CrossTypeEdgesOnlyHaveOneHop) {
  person("A");
  node("Company", "Acme");
  edge("WorksAt", "w1", "A", "Acme");
  auto companies = [&](const std::string& bounds) {
    return rows_of(
        run("query q() { match { $a: Person $a worksAt" + bounds + " $c } return { $c.name } }"));
  };
  EXPECT_EQ(companies(""), (V{"Acme"}));
  EXPECT_EQ(companies("{1,2}"), (V{"Acme"}));
  EXPECT_EQ(companies("{2,2}"), (V{}));
}

TEST_F(ExecTraversalTest, EdgesToMissingNodesDropOut) {
  person("A");
  person("B");
  edge("Knows", "e1", "A", "Ghost");
  edge("Knows", "e2", "A", "B");
  edge("Knows", "e3", "Ghost", "A");
  EXPECT_EQ(reach(""), (V{"B"}));
  // A source without any neighbour produces nothing (inner join).
  ResultSet rs = run("query q() { match { $a: Person $a knows $b } return { $a.name, $b.name } }");
  EXPECT_EQ(rows_of(rs), (V{"A|B"}));
}

TEST_F(ExecTraversalTest, OutputKeepsInputOrderThenDiscoveryOrder) {
  for (const char* n : {"A", "B", "C", "D"}) person(n);
  // Neighbours come in edge id order, not node id order.
  edge("Knows", "e1", "A", "D");
  edge("Knows", "e2", "A", "B");
  edge("Knows", "e3", "B", "C");
  edge("Knows", "e4", "B", "A");
  ResultSet rs =
      run("query q() { match { $a: Person $a knows{1,2} $b } return { $a.name, $b.name } }");
  EXPECT_EQ(rows_of(rs), (V{"A|D", "A|B", "A|C", "B|C", "B|A", "B|D"}));
}

TEST_F(ExecTraversalTest, DeferredDestinationMatchesIncludingContains) {
  person("A");
  person("B", {{"tags", Value::list({Value::string("x")})}});
  person("C", {{"tags", Value::list({Value::string("z")})}});
  edge("Knows", "e1", "A", "B");
  edge("Knows", "e2", "A", "C");
  ResultSet rs =
      run("query q() { match { $a: Person { name: \"A\" } $a knows $b $b: Person { tags: \"z\" } } "
          "return { $b.name } }");
  EXPECT_EQ(rows_of(rs), (V{"C"}));
  EXPECT_EQ(error_of("query q($t: String) { match { $a: Person { name: \"A\" } $a knows $b "
                     "$b: Person { tags: $t } } return { $b.name } }"),
            "parameter 't' not provided");
}

TEST_F(ExecTraversalTest, UndirectedTraversalFollowsBothDirections) {
  chain();
  ResultSet rs =
      run("query q() { match { $a: Person { name: \"B\" } $a <knows> $b } return { $b.name } }");
  EXPECT_EQ(rows_of(rs), (V{"C", "A"}));  // out-edges first, then in-edges
  rs = run(
      "query q() { match { $a: Person { name: \"B\" } $a <knows>{2,2} $b } return { $b.name } }");
  EXPECT_EQ(rows_of(rs), (V{"D"}));
}

TEST_F(ExecTraversalTest, EdgeVariablesBindTheEdge) {
  person("A");
  person("B");
  edge("Knows", "e1", "A", "B", {{"since", Value::integer(2010)}});
  edge("Knows", "e2", "A", "B", {{"since", Value::integer(2020)}});
  ResultSet rs = run(
      "query q() { match { $a: Person $a $e:knows $b } return { $a.name, $e, $e.since, $b.name } "
      "order { $e.since desc } }");
  EXPECT_EQ(rs.columns, (V{"a.name", "e", "e.since", "b.name"}));
  EXPECT_EQ(rows_of(rs), (V{"A|e2|2020|B", "A|e1|2010|B"}));  // one row per edge
  rs =
      run("query q() { match { $a: Person $a $e:knows $b $e.since > 2015 } return { count($e) as n "
          "} }");
  EXPECT_EQ(rows_of(rs), (V{"1"}));
}

// --- §4.12 negation ----------------------------------------------------------

class ExecNegationTest : public ExecTest {
 protected:
  void jobs() {
    person("Alice", {{"age", Value::integer(35)}});
    person("Bob", {{"age", Value::integer(25)}});
    person("Carol");
    node("Company", "Acme");
    node("Company", "Beta");
    edge("WorksAt", "w1", "Alice", "Acme");
    edge("WorksAt", "w2", "Bob", "Beta");
  }
};

TEST_F(ExecNegationTest, PeopleWithoutAnEdge) {
  jobs();
  ResultSet rs = run("query q() { match { $p: Person not { $p worksAt $_ } } return { $p.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Carol"}));
}

TEST_F(ExecNegationTest, InnerFiltersAreCorrelatedPerOuterRow) {
  jobs();
  ResultSet rs =
      run("query q() { match { $p: Person not { $p worksAt $c $c.name = \"Acme\" } } "
          "return { $p.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Bob", "Carol"}));
}

TEST_F(ExecNegationTest, NegatedFilterKeepsNulls) {
  jobs();
  ResultSet rs = run("query q() { match { $p: Person not { $p.age > 30 } } return { $p.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Bob", "Carol"}));
}

TEST_F(ExecNegationTest, FastPathIgnoresHopBounds) {
  for (const char* n : {"A", "B", "C"}) person(n);
  edge("Knows", "e1", "A", "B");
  // A has no node at distance 2, yet the fast path drops it: it has an edge.
  ResultSet rs =
      run("query q() { match { $p: Person not { $p knows{2,2} $_ } } return { $p.name } }");
  EXPECT_EQ(rows_of(rs), (V{"B", "C"}));
  // With a destination match the per-row path runs and honours the bounds.
  rs =
      run("query q() { match { $p: Person not { $p knows{2,2} $x $x: Person { name: \"B\" } } } "
          "return { $p.name } }");
  EXPECT_EQ(rows_of(rs), (V{"A", "B", "C"}));
}

TEST_F(ExecNegationTest, ReverseDirectionAndMissingNodes) {
  jobs();
  // Companies nobody works at... none; Acme has a worker through w1.
  node("Company", "Gamma");
  ResultSet rs =
      run("query q() { match { $c: Company not { $p worksAt $c } } return { $c.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Gamma"}));
}

TEST_F(ExecNegationTest, RebindingTheOuterVariableScansUncorrelated) {
  jobs();
  // The body's `$p: Person { age: 25 }` does not constrain the outer $p:
  // Bob exists, so every row is dropped (the reference's quirk).
  ResultSet rs =
      run("query q() { match { $p: Person not { $p: Person { age: 25 } } } return { $p.name } }");
  EXPECT_TRUE(rs.rows.empty());
  rs = run("query q() { match { $p: Person not { $p: Person { age: 99 } } } return { $p.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Alice", "Bob", "Carol"}));
  // Filters in the body read the outer $p, not the uncorrelated scan's.
  rs =
      run("query q() { match { $p: Person not { $p: Person { name: \"Bob\" } $p.age > 30 } } "
          "return { $p.name } }");
  EXPECT_EQ(rows_of(rs), (V{"Bob", "Carol"}));
}

TEST_F(ExecNegationTest, NestedNegation) {
  jobs();
  edge("Knows", "k1", "Carol", "Alice");
  edge("Knows", "k2", "Bob", "Carol");
  // People who know someone without a job.
  ResultSet rs =
      run("query q() { match { $p: Person not { $p knows $f not { $f worksAt $_ } } } "
          "return { $p.name } }");
  // Bob knows Carol (jobless) -> dropped; Carol knows Alice (employed) -> kept.
  EXPECT_EQ(rows_of(rs), (V{"Alice", "Carol"}));
}

}  // namespace
}  // namespace omnigraph::engine::testing
