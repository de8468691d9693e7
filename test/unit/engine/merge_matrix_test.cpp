// The graph-level merge truth table of engine.md §2.6 (the reference's
// merge_truth_table.rs), every cell: source op × target op over the fixture
// Alice30/Bob25/Carol40/Dan50 with Bob→Carol, ops noop, insert Eve, delete
// Alice, insert Alice→Carol, delete Bob's Knows, set Alice.age. Each cell
// checks the outcome, the conflict set, the merged state (both effects),
// and that a refused merge changed neither branch. Row-level cells and the
// validation kinds are in merge_test.cpp.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "common/error.h"
#include "omnigraph/graph.h"

namespace omnigraph {
namespace {

constexpr const char* kSchema = R"(
node Person {
  name: String @key
  age: I32?
}
edge Knows: Person -> Person
)";

constexpr const char* kFixture =
    R"({"type": "Person", "data": {"name": "Alice", "age": 30}}
{"type": "Person", "data": {"name": "Bob", "age": 25}}
{"type": "Person", "data": {"name": "Carol", "age": 40}}
{"type": "Person", "data": {"name": "Dan", "age": 50}}
{"edge": "Knows", "from": "Bob", "to": "Carol"}
)";

enum class Op { kNoop, kAddNode, kRemoveNode, kAddEdge, kRemoveEdge, kSetProperty };
const std::vector<Op> kOps = {Op::kNoop,    Op::kAddNode,    Op::kRemoveNode,
                              Op::kAddEdge, Op::kRemoveEdge, Op::kSetProperty};

std::string op_name(Op op) {
  switch (op) {
    case Op::kNoop: return "Noop";
    case Op::kAddNode: return "AddNode";
    case Op::kRemoveNode: return "RemoveNode";
    case Op::kAddEdge: return "AddEdge";
    case Op::kRemoveEdge: return "RemoveEdge";
    case Op::kSetProperty: return "SetProperty";
  }
  return "";
}

struct GraphState {
  std::map<std::string, int64_t> people;
  std::multiset<std::pair<std::string, std::string>> knows;
  friend bool operator==(const GraphState&, const GraphState&) = default;
};

// What `op` does to a state; `source` picks the side's value (Eve 21 / 22,
// Alice 31 / 32), so the same op on both sides diverges where it can.
void apply(GraphState& state, Op op, bool source) {
  switch (op) {
    case Op::kNoop: break;
    case Op::kAddNode: state.people["Eve"] = source ? 21 : 22; break;
    case Op::kRemoveNode:
      state.people.erase("Alice");
      for (auto it = state.knows.begin(); it != state.knows.end();) {
        it = (it->first == "Alice" || it->second == "Alice") ? state.knows.erase(it) : ++it;
      }
      break;
    case Op::kAddEdge: state.knows.insert({"Alice", "Carol"}); break;
    case Op::kRemoveEdge:
      for (auto it = state.knows.begin(); it != state.knows.end();) {
        it = it->first == "Bob" ? state.knows.erase(it) : ++it;
      }
      break;
    case Op::kSetProperty: state.people["Alice"] = source ? 31 : 32; break;
  }
}

std::string query_for(Op op, bool source) {
  switch (op) {
    case Op::kNoop: return "";
    case Op::kAddNode:
      return std::string("query q() { insert Person { name: \"Eve\", age: ") +
             (source ? "21" : "22") + " } }";
    case Op::kRemoveNode: return "query q() { delete Person where name = \"Alice\" }";
    case Op::kAddEdge: return "query q() { insert Knows { from: \"Alice\", to: \"Carol\" } }";
    case Op::kRemoveEdge: return "query q() { delete Knows where from = \"Bob\" }";
    case Op::kSetProperty:
      return std::string("query q() { update Person set { age: ") + (source ? "31" : "32") +
             " } where name = \"Alice\" }";
  }
  return "";
}

using Conflict = std::tuple<std::string, std::string, std::string>;  // table, kind, row (or "")

struct Expected {
  std::optional<MergeOutcome> outcome;  // nullopt = refused
  std::set<Conflict> conflicts;
};

Expected expected_for(Op source, Op target) {
  Expected e;
  if (source == Op::kNoop) return {MergeOutcome::kAlreadyUpToDate, {}};
  if (target == Op::kNoop) return {MergeOutcome::kFastForward, {}};
  if (source == Op::kAddNode && target == Op::kAddNode) {
    return {std::nullopt, {{"node:Person", "divergent_insert", "Eve"}}};
  }
  if (source == Op::kSetProperty && target == Op::kSetProperty) {
    return {std::nullopt, {{"node:Person", "divergent_update", "Alice"}}};
  }
  if ((source == Op::kSetProperty && target == Op::kRemoveNode) ||
      (source == Op::kRemoveNode && target == Op::kSetProperty)) {
    return {std::nullopt, {{"node:Person", "delete_vs_update", "Alice"}}};
  }
  if ((source == Op::kRemoveNode && target == Op::kAddEdge) ||
      (source == Op::kAddEdge && target == Op::kRemoveNode)) {
    // The row id is the generated edge id: matched by kind and table only.
    return {std::nullopt, {{"edge:Knows", "orphan_edge", "*"}}};
  }
  return {MergeOutcome::kMerged, {}};
}

class MergeMatrixTest : public ::testing::TestWithParam<std::tuple<Op, Op>> {};

GraphState read_state(Graph& graph, const std::string& branch) {
  GraphState out;
  ReadRequest people;
  people.branch = branch;
  people.query_source = "query q() { match { $p: Person } return { $p.name, $p.age } }";
  for (const auto& row : graph.read(people).rows) {
    out.people[row[0].as_string()] = row[1].as_int();
  }
  ReadRequest knows;
  knows.branch = branch;
  knows.query_source = "query q() { match { $a: Person $a knows $b } return { $a.name, $b.name } }";
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& row : graph.read(knows).rows) {
    pairs.insert({row[0].as_string(), row[1].as_string()});
  }
  // A traversal binds each (a, b) once; the multiplicity comes from the
  // table's row count (only Alice->Carol can appear twice in this table).
  uint64_t rows = 0;
  for (const TableInfo& table : graph.snapshot(branch).tables) {
    if (table.table_key == "edge:Knows") rows = table.row_count;
  }
  for (const auto& pair : pairs) out.knows.insert(pair);
  while (out.knows.size() < rows && pairs.contains({"Alice", "Carol"})) {
    out.knows.insert({"Alice", "Carol"});
  }
  EXPECT_EQ(out.knows.size(), rows);
  return out;
}

TEST_P(MergeMatrixTest, CellAgreesWithTheTruthTable) {
  auto [source_op, target_op] = GetParam();
  auto graph = Graph::init_in_memory(kSchema);
  std::istringstream data(kFixture);
  graph->load(data, {});
  GraphState fixture = read_state(*graph, kMainBranch);
  graph->branch_create("feature");
  for (auto [op, branch, source] :
       {std::tuple{source_op, "feature", true}, std::tuple{target_op, kMainBranch, false}}) {
    if (op == Op::kNoop) continue;
    ChangeRequest request;
    request.branch = branch;
    request.query_source = query_for(op, source);
    graph->change(request);
  }
  GraphState source_state = read_state(*graph, "feature");
  GraphState target_state = read_state(*graph, kMainBranch);
  std::string target_head = graph->snapshot().commit_id;

  Expected expected = expected_for(source_op, target_op);
  try {
    MergeResult result = graph->branch_merge("feature", kMainBranch);
    ASSERT_TRUE(expected.outcome.has_value()) << "not refused";
    EXPECT_EQ(result.outcome, *expected.outcome);
    GraphState want = fixture;
    apply(want, source_op, true);
    apply(want, target_op, false);
    EXPECT_EQ(read_state(*graph, kMainBranch), want);
    EXPECT_EQ(read_state(*graph, "feature"), source_state);
  } catch (const Error& e) {
    ASSERT_FALSE(expected.outcome.has_value()) << e.what();
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
    std::set<Conflict> got;
    for (const MergeConflict& c : e.merge_conflicts()) {
      std::string row = c.row_id.value_or("");
      if (c.kind == "orphan_edge") row = "*";
      got.insert({c.table_key, c.kind, row});
    }
    EXPECT_EQ(e.merge_conflicts().size(), expected.conflicts.size());
    EXPECT_EQ(got, expected.conflicts);
    // Atomic: neither side moved or changed.
    EXPECT_EQ(graph->snapshot().commit_id, target_head);
    EXPECT_EQ(read_state(*graph, kMainBranch), target_state);
    EXPECT_EQ(read_state(*graph, "feature"), source_state);
  }
}

INSTANTIATE_TEST_SUITE_P(AllCells, MergeMatrixTest,
                         ::testing::Combine(::testing::ValuesIn(kOps), ::testing::ValuesIn(kOps)),
                         [](const auto& info) {
                           return op_name(std::get<0>(info.param)) + "_x_" +
                                  op_name(std::get<1>(info.param));
                         });

// The same truth table with a non-main target: a merge into a feature
// branch from a branch of it behaves the same and leaves main alone.
TEST(MergeMatrix, MergeIntoANonMainBranchFollowsTheSameTable) {
  auto graph = Graph::init_in_memory(kSchema);
  std::istringstream data(kFixture);
  graph->load(data, {});
  graph->branch_create("team");
  graph->branch_create("topic", GraphTarget::at_branch("team"));
  std::string main_head = graph->snapshot().commit_id;
  ChangeRequest a;
  a.branch = "topic";
  a.query_source = query_for(Op::kAddNode, true);
  graph->change(a);
  ChangeRequest b;
  b.branch = "team";
  b.query_source = query_for(Op::kSetProperty, false);
  graph->change(b);
  MergeResult merged = graph->branch_merge("topic", "team");
  EXPECT_EQ(merged.outcome, MergeOutcome::kMerged);
  GraphState team = read_state(*graph, "team");
  EXPECT_EQ(team.people.at("Eve"), 21);
  EXPECT_EQ(team.people.at("Alice"), 32);
  EXPECT_EQ(graph->snapshot().commit_id, main_head);

  ChangeRequest c;
  c.branch = "topic";
  c.query_source = query_for(Op::kSetProperty, true);
  graph->change(c);
  try {
    graph->branch_merge("topic", "team");
    ADD_FAILURE() << "not refused";
  } catch (const Error& e) {
    ASSERT_EQ(e.merge_conflicts().size(), 1u);
    EXPECT_EQ(e.merge_conflicts()[0].kind, "divergent_update");
  }
  EXPECT_EQ(read_state(*graph, "team"), team);
  EXPECT_EQ(graph->snapshot().commit_id, main_head);
}

}  // namespace
}  // namespace omnigraph
