// Change detection (engine.md §5): Graph::diff between two commits, and the
// pure change feed between two graph roots.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "common/error.h"
#include "engine/change_feed.h"
#include "engine/graph_view.h"
#include "engine/row_codec.h"
#include "omnigraph/graph.h"
#include "prolly/counting_chunk_store.h"
#include "prolly/tree.h"
#include "store/store.h"

namespace omnigraph {
namespace {

constexpr const char* kSchema = R"(
node Person {
  name: String @key
  age: I32?
}
node Company {
  name: String @key
}
edge Knows: Person -> Person
edge WorksAt: Person -> Company
)";

constexpr const char* kData = R"({"type":"Person","data":{"name":"Alice","age":30}}
{"type":"Person","data":{"name":"Bob","age":40}}
{"type":"Person","data":{"name":"Carol","age":50}}
{"type":"Company","data":{"name":"Acme"}}
{"edge":"Knows","from":"Alice","to":"Bob","data":{"id":"k1"}}
{"edge":"Knows","from":"Bob","to":"Carol","data":{"id":"k2"}}
{"edge":"WorksAt","from":"Bob","to":"Acme","data":{"id":"w1"}}
)";

constexpr const char* kQueries = R"(
query add_person($n: String, $a: I32?) { insert Person { name: $n, age: $a } }
query set_age($n: String, $a: I32?) { update Person set { age: $a } where name = $n }
query del_person($n: String) { delete Person where name = $n }
query add_knows($a: String, $b: String) { insert Knows { from: $a, to: $b } }
)";

ChangeFilter make_filter(std::vector<std::string> kinds, std::vector<std::string> type_names,
                         std::vector<std::string> ops) {
  return ChangeFilter{std::move(kinds), std::move(type_names), std::move(ops)};
}

// A change flattened for comparison: table key, id, op, src, dst.
using Flat = std::tuple<std::string, std::string, std::string, std::string, std::string>;

class DiffTest : public ::testing::Test {
 protected:
  DiffTest() : graph_(Graph::init_in_memory(kSchema)) {
    empty_ = graph_->snapshot().commit_id;
    std::istringstream in(kData);
    loaded_ = graph_->load(in, {}).commit_id;
  }

  std::string change(const std::string& name, const std::string& params) {
    ChangeRequest request;
    request.query_source = kQueries;
    request.query_name = name;
    request.params_json = params;
    return graph_->change(request).commit_id;
  }

  std::vector<EntityChange> diff(const std::string& from, const std::string& to,
                                 const ChangeFilter& filter = {}, ChangeStats* stats = nullptr) {
    std::vector<EntityChange> out;
    ChangeStats got = graph_->diff(GraphTarget::at_commit(from), GraphTarget::at_commit(to), filter,
                                   [&](const EntityChange& c) { out.push_back(c); });
    if (stats) *stats = got;
    return out;
  }

  static std::vector<Flat> flat(const std::vector<EntityChange>& changes) {
    std::vector<Flat> out;
    for (const auto& c : changes) {
      out.emplace_back(c.table_key, c.id, c.op, c.src.value_or("-"), c.dst.value_or("-"));
    }
    return out;
  }

  std::unique_ptr<Graph> graph_;
  std::string empty_;
  std::string loaded_;
};

TEST_F(DiffTest, LoadIsAllInsertsInTableThenIdOrder) {
  ChangeStats stats;
  auto changes = diff(empty_, loaded_, {}, &stats);
  EXPECT_EQ(flat(changes), (std::vector<Flat>{
                               {"edge:Knows", "k1", "insert", "Alice", "Bob"},
                               {"edge:Knows", "k2", "insert", "Bob", "Carol"},
                               {"edge:WorksAt", "w1", "insert", "Bob", "Acme"},
                               {"node:Company", "Acme", "insert", "-", "-"},
                               {"node:Person", "Alice", "insert", "-", "-"},
                               {"node:Person", "Bob", "insert", "-", "-"},
                               {"node:Person", "Carol", "insert", "-", "-"},
                           }));
  EXPECT_EQ(stats.inserts, 7u);
  EXPECT_EQ(stats.updates, 0u);
  EXPECT_EQ(stats.deletes, 0u);
  EXPECT_EQ(stats.types_affected,
            (std::vector<std::string>{"Company", "Knows", "Person", "WorksAt"}));
  const auto manifest_version = graph_->snapshot().manifest_version;
  for (const auto& c : changes) {
    EXPECT_EQ(c.manifest_version, manifest_version);
    EXPECT_EQ(c.kind, c.table_key.substr(0, 4));
    EXPECT_EQ(c.type_name, c.table_key.substr(5));
  }
}

TEST_F(DiffTest, ReverseDiffIsAllDeletesWithEndpoints) {
  ChangeStats stats;
  auto changes = diff(loaded_, empty_, {}, &stats);
  ASSERT_EQ(changes.size(), 7u);
  EXPECT_EQ(flat(changes)[0], (Flat{"edge:Knows", "k1", "delete", "Alice", "Bob"}));
  EXPECT_EQ(flat(changes)[2], (Flat{"edge:WorksAt", "w1", "delete", "Bob", "Acme"}));
  EXPECT_EQ(stats.deletes, 7u);
  EXPECT_EQ(stats.inserts, 0u);
  // manifest_version is the `to` commit's, even going backwards.
  for (const auto& c : changes) EXPECT_EQ(c.manifest_version, 1u);
}

TEST_F(DiffTest, NodeUpdateAndInsert) {
  std::string updated = change("set_age", R"({"n":"Bob","a":41})");
  std::string inserted = change("add_person", R"({"n":"Dave","a":20})");
  ChangeStats stats;
  auto changes = diff(loaded_, inserted, {}, &stats);
  EXPECT_EQ(flat(changes), (std::vector<Flat>{
                               {"node:Person", "Bob", "update", "-", "-"},
                               {"node:Person", "Dave", "insert", "-", "-"},
                           }));
  EXPECT_EQ(stats.inserts, 1u);
  EXPECT_EQ(stats.updates, 1u);
  EXPECT_EQ(stats.types_affected, std::vector<std::string>{"Person"});
  EXPECT_EQ(flat(diff(loaded_, updated)),
            (std::vector<Flat>{{"node:Person", "Bob", "update", "-", "-"}}));
}

TEST_F(DiffTest, RewritingSameValuesIsNoChange) {
  std::string same = change("set_age", R"({"n":"Bob","a":40})");
  ChangeStats stats;
  EXPECT_TRUE(diff(loaded_, same, {}, &stats).empty());
  EXPECT_EQ(stats.updates, 0u);
  EXPECT_TRUE(stats.types_affected.empty());
}

TEST_F(DiffTest, EdgeInsertCarriesEndpoints) {
  std::string next = change("add_knows", R"({"a":"Carol","b":"Alice"})");
  auto changes = diff(loaded_, next);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].table_key, "edge:Knows");
  EXPECT_EQ(changes[0].kind, "edge");
  EXPECT_EQ(changes[0].op, "insert");
  EXPECT_EQ(changes[0].src, "Carol");
  EXPECT_EQ(changes[0].dst, "Alice");
}

TEST_F(DiffTest, CascadeDeleteGivesEdgeDeletesWithEndpoints) {
  std::string next = change("del_person", R"({"n":"Bob"})");
  ChangeStats stats;
  auto changes = diff(loaded_, next, {}, &stats);
  EXPECT_EQ(flat(changes), (std::vector<Flat>{
                               {"edge:Knows", "k1", "delete", "Alice", "Bob"},
                               {"edge:Knows", "k2", "delete", "Bob", "Carol"},
                               {"edge:WorksAt", "w1", "delete", "Bob", "Acme"},
                               {"node:Person", "Bob", "delete", "-", "-"},
                           }));
  EXPECT_EQ(stats.deletes, 4u);
  EXPECT_EQ(stats.types_affected, (std::vector<std::string>{"Knows", "Person", "WorksAt"}));
}

TEST_F(DiffTest, KindFilter) {
  std::string next = change("del_person", R"({"n":"Bob"})");
  ChangeStats stats;
  auto changes = diff(loaded_, next, make_filter({"node"}, {}, {}), &stats);
  EXPECT_EQ(flat(changes), (std::vector<Flat>{{"node:Person", "Bob", "delete", "-", "-"}}));
  EXPECT_EQ(stats.deletes, 1u);
  EXPECT_EQ(stats.types_affected, std::vector<std::string>{"Person"});
  EXPECT_EQ(diff(loaded_, next, make_filter({"edge"}, {}, {})).size(), 3u);
}

TEST_F(DiffTest, TypeNameFilterMatchesBareNames) {
  std::string next = change("del_person", R"({"n":"Bob"})");
  ChangeStats stats;
  auto changes = diff(loaded_, next, make_filter({}, {"WorksAt", "Person"}, {}), &stats);
  EXPECT_EQ(flat(changes), (std::vector<Flat>{
                               {"edge:WorksAt", "w1", "delete", "Bob", "Acme"},
                               {"node:Person", "Bob", "delete", "-", "-"},
                           }));
  EXPECT_EQ(stats.types_affected, (std::vector<std::string>{"Person", "WorksAt"}));
  // A table key is not a type name.
  EXPECT_TRUE(diff(loaded_, next, make_filter({}, {"node:Person"}, {})).empty());
}

TEST_F(DiffTest, OpFilterCountsOnlyEmittedChanges) {
  change("set_age", R"({"n":"Alice","a":31})");
  change("add_person", R"({"n":"Dave"})");
  std::string last = change("del_person", R"({"n":"Carol"})");
  ChangeStats stats;
  auto changes = diff(loaded_, last, make_filter({}, {}, {"update", "insert"}), &stats);
  EXPECT_EQ(flat(changes), (std::vector<Flat>{
                               {"node:Person", "Alice", "update", "-", "-"},
                               {"node:Person", "Dave", "insert", "-", "-"},
                           }));
  EXPECT_EQ(stats.inserts, 1u);
  EXPECT_EQ(stats.updates, 1u);
  EXPECT_EQ(stats.deletes, 0u);
  EXPECT_EQ(stats.types_affected, std::vector<std::string>{"Person"});

  auto deletes = diff(loaded_, last, make_filter({}, {}, {"delete"}), &stats);
  EXPECT_EQ(flat(deletes), (std::vector<Flat>{
                               {"edge:Knows", "k2", "delete", "Bob", "Carol"},
                               {"node:Person", "Carol", "delete", "-", "-"},
                           }));
  EXPECT_EQ(stats.deletes, 2u);
  EXPECT_EQ(stats.inserts + stats.updates, 0u);
  EXPECT_EQ(stats.types_affected, (std::vector<std::string>{"Knows", "Person"}));
}

TEST_F(DiffTest, FiltersCombine) {
  std::string last = change("del_person", R"({"n":"Bob"})");
  auto changes = diff(loaded_, last, make_filter({"edge"}, {"Knows"}, {"delete"}));
  EXPECT_EQ(changes.size(), 2u);
  EXPECT_TRUE(diff(loaded_, last, make_filter({"node"}, {"Knows"}, {})).empty());
}

TEST_F(DiffTest, UnknownFilterValuesAreBadRequests) {
  for (const ChangeFilter& filter :
       {make_filter({"vertex"}, {}, {}), make_filter({}, {}, {"upsert"})}) {
    try {
      diff(empty_, loaded_, filter);
      FAIL() << "accepted a bad filter";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    }
  }
}

TEST_F(DiffTest, StateWithItselfIsEmpty) {
  ChangeStats stats;
  EXPECT_TRUE(diff(loaded_, loaded_, {}, &stats).empty());
  EXPECT_EQ(stats.inserts + stats.updates + stats.deletes, 0u);
  EXPECT_TRUE(stats.types_affected.empty());
  std::vector<EntityChange> out;
  graph_->diff(GraphTarget::at_branch(kMainBranch), GraphTarget::at_commit(loaded_), {},
               [&](const EntityChange& c) { out.push_back(c); });
  EXPECT_TRUE(out.empty());
}

TEST_F(DiffTest, BranchTargetReadsTheHead) {
  change("add_person", R"({"n":"Dave"})");
  std::vector<EntityChange> out;
  ChangeStats stats =
      graph_->diff(GraphTarget::at_commit(loaded_), GraphTarget::at_branch(kMainBranch), {},
                   [&](const EntityChange& c) { out.push_back(c); });
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].id, "Dave");
  EXPECT_EQ(out[0].manifest_version, graph_->snapshot().manifest_version);
  EXPECT_EQ(stats.inserts, 1u);
}

TEST_F(DiffTest, UnknownCommitIsNotFound) {
  try {
    diff(loaded_, "01ZZZZZZZZZZZZZZZZZZZZZZZZ");
    FAIL() << "diffed against a commit that does not exist";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_STREQ(e.what(), "commit '01ZZZZZZZZZZZZZZZZZZZZZZZZ' not found");
  }
}

TEST_F(DiffTest, TargetNeedsExactlyOneOfBranchOrSnapshot) {
  auto sink = [](const EntityChange&) {};
  GraphTarget both{std::string(kMainBranch), loaded_};
  GraphTarget neither{};
  for (const GraphTarget& bad : {both, neither}) {
    try {
      graph_->diff(bad, GraphTarget::at_commit(loaded_), {}, sink);
      FAIL() << "accepted a bad from target";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    }
    try {
      graph_->diff(GraphTarget::at_commit(loaded_), bad, {}, sink);
      FAIL() << "accepted a bad to target";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    }
  }
}

// The pure feed, on hand-built roots: a table present on one side only, and
// a large table where a few changed rows are found among many equal ones.
class ChangeFeedTest : public ::testing::Test {
 protected:
  ChangeFeedTest() : store_(store::open_memory_store()), nodes_(*store_.chunks) {}

  Hash node_rows(const std::vector<std::string>& ids) {
    std::vector<prolly::Entry> entries;
    for (const auto& id : ids) {
      engine::Row row;
      row.set(1, engine::Value::string(id));
      entries.emplace_back(id, engine::encode_row(row));
    }
    return prolly::Tree::build(nodes_, entries).root();
  }

  Hash edge_rows(const std::vector<std::tuple<std::string, std::string, std::string>>& edges) {
    std::vector<prolly::Entry> entries;
    for (const auto& [id, src, dst] : edges) {
      entries.emplace_back(id, engine::encode_edge_record({src, dst, {}}));
    }
    return prolly::Tree::build(nodes_, entries).root();
  }

  std::vector<EntityChange> run(const engine::GraphRoot& from, const engine::GraphRoot& to,
                                const ChangeFilter& filter = {}, ChangeStats* stats = nullptr) {
    std::vector<EntityChange> out;
    ChangeStats got = engine::diff_graph_roots(nodes_, from, to, 7, filter,
                                               [&](const EntityChange& c) { out.push_back(c); });
    if (stats) *stats = got;
    return out;
  }

  store::Store store_;
  prolly::NodeStore nodes_;
};

TEST_F(ChangeFeedTest, TableOnOneSideOnly) {
  engine::GraphRoot from;
  engine::GraphRoot to;
  from.tables["node:Old"].rows = node_rows({"a", "b"});
  to.tables["edge:New"].rows = edge_rows({{"e1", "x", "y"}});
  ChangeStats stats;
  auto changes = run(from, to, {}, &stats);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].table_key, "edge:New");
  EXPECT_EQ(changes[0].op, "insert");
  EXPECT_EQ(changes[0].src, "x");
  EXPECT_EQ(changes[0].dst, "y");
  EXPECT_EQ(changes[1].id, "a");
  EXPECT_EQ(changes[1].op, "delete");
  EXPECT_FALSE(changes[1].src.has_value());
  EXPECT_EQ(changes[2].id, "b");
  for (const auto& c : changes) EXPECT_EQ(c.manifest_version, 7u);
  EXPECT_EQ(stats.inserts, 1u);
  EXPECT_EQ(stats.deletes, 2u);
  EXPECT_EQ(stats.types_affected, (std::vector<std::string>{"New", "Old"}));
  // Filtered by kind and type before anything is read.
  EXPECT_EQ(run(from, to, make_filter({"node"}, {}, {})).size(), 2u);
  EXPECT_EQ(run(from, to, make_filter({}, {"New"}, {})).size(), 1u);
}

TEST_F(ChangeFeedTest, EdgeUpdateReadsTheNewRecordAndDeleteTheOld) {
  engine::GraphRoot from;
  engine::GraphRoot to;
  from.tables["edge:E"].rows = edge_rows({{"e1", "a", "b"}, {"e2", "c", "d"}});
  to.tables["edge:E"].rows = edge_rows({{"e1", "a", "z"}});
  auto changes = run(from, to);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].op, "update");
  EXPECT_EQ(changes[0].dst, "z");
  EXPECT_EQ(changes[1].op, "delete");
  EXPECT_EQ(changes[1].src, "c");
  EXPECT_EQ(changes[1].dst, "d");
}

TEST_F(ChangeFeedTest, FewChangesAmongManyRows) {
  std::vector<std::string> ids;
  for (int i = 0; i < 20000; ++i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "n%06d", i);
    ids.emplace_back(buf);
  }
  engine::GraphRoot from;
  from.tables["node:N"].rows = node_rows(ids);
  auto changed = ids;
  changed.erase(changed.begin() + 5000);
  changed.push_back("zzz");
  engine::GraphRoot to;
  to.tables["node:N"].rows = node_rows(changed);
  auto changes = run(from, to);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].id, "n005000");
  EXPECT_EQ(changes[0].op, "delete");
  EXPECT_EQ(changes[1].id, "zzz");
  EXPECT_EQ(changes[1].op, "insert");
  EXPECT_TRUE(run(from, from).empty());

  // Equal subtrees are skipped unread: a fresh, cold node store reads only
  // the paths to the two changes, a small fraction of the table's chunks.
  prolly::CountingChunkStore counting(*store_.chunks);
  prolly::NodeStore cold(counting);
  uint64_t seen = 0;
  engine::diff_graph_roots(cold, from, to, 1, {}, [&](const EntityChange&) { ++seen; });
  EXPECT_EQ(seen, 2u);
  EXPECT_LT(counting.chunks_got(), 30u);
  counting.reset();
  engine::diff_graph_roots(cold, engine::GraphRoot{}, to, 1, {}, [](const EntityChange&) {});
  EXPECT_GT(counting.chunks_got(), 60u);  // the whole table, for comparison
}

}  // namespace
}  // namespace omnigraph
