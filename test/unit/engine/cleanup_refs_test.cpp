// Graph::cleanup and the refs that hang off commit data rather than naming
// commits: schema purge refs (hard drops) and derived-index refs (persisted
// vector indexes); and that cleanup keeps everything every retained commit
// reads after schema changes, merges and rebased concurrent writes.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/ulid.h"
#include "engine/graph_impl.h"
#include "engine/search/text/index_cache.h"
#include "engine/search/vector/vector_search.h"
#include "omnigraph/graph.h"

namespace omnigraph {
namespace {

namespace fs = std::filesystem;
namespace vs = engine::search::vector;

constexpr const char* kSchema = R"(node Person {
  name: String @key
  age: I32?
  city: String? @index
}
edge Knows: Person -> Person
)";

constexpr const char* kData =
    R"({"type": "Person", "data": {"name": "Alice", "age": 30, "city": "Oslo"}}
{"type": "Person", "data": {"name": "Bob", "age": 25, "city": "Rome"}}
{"type": "Person", "data": {"name": "Carol", "age": 40}}
{"edge": "Knows", "from": "Alice", "to": "Bob"}
)";

constexpr const char* kAges =
    "query q() { match { $p: Person } return { $p.name, $p.age } order { $p.name } }";
constexpr const char* kCities =
    "query q() { match { $p: Person } return { $p.name, $p.city } order { $p.name } }";

class CleanupRefsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("og-cleanup-refs-" + Ulid::generate().str());
  }
  void TearDown() override {
    graph_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void init(const std::string& schema, const std::string& data) {
    graph_ = Graph::init(dir_, schema);
    std::istringstream in(data);
    graph_->load(in, {});
  }
  std::string load(const std::string& data, const std::string& branch = kMainBranch) {
    std::istringstream in(data);
    LoadRequest request;
    request.mode = engine::LoadMode::kMerge;
    request.branch = branch;
    return graph_->load(in, request).commit_id;
  }
  std::string change(const std::string& source, const std::string& branch = kMainBranch) {
    ChangeRequest request;
    request.query_source = source;
    request.branch = branch;
    return graph_->change(request).commit_id;
  }
  // Rows of a read, each "v1|v2|..." joined by ",".
  std::string query(const std::string& source, std::optional<std::string> snapshot = std::nullopt,
                    const std::string& params_json = "") {
    ReadRequest request;
    request.query_source = source;
    request.snapshot = std::move(snapshot);
    if (!params_json.empty()) request.params_json = params_json;
    std::string out;
    for (const auto& row : graph_->read(request).rows) {
      if (!out.empty()) out += ",";
      for (size_t i = 0; i < row.size(); ++i) {
        if (i > 0) out += "|";
        out += row[i].debug_string();
      }
    }
    return out;
  }
  std::string read_error(const std::string& source, const std::string& snapshot) {
    try {
      query(source, snapshot);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  std::map<std::string, Hash> refs(const std::string& prefix) {
    return GraphInternals::impl(*graph_).store.refs->list(prefix);
  }
  store::ChunkStore& chunks() { return *GraphInternals::impl(*graph_).store.chunks; }

  fs::path dir_;
  std::unique_ptr<Graph> graph_;
};

// ---- schema purge refs -------------------------------------------------------

TEST_F(CleanupRefsTest, HardDropThenCleanupKeepsHidingAndDropsStalePurges) {
  init(kSchema, kData);
  const std::string before_drop =
      change("query q() { update Person set { age: 31 } where name = \"Alice\" }");
  SchemaApplyRequest drop;
  drop.schema_source =
      std::string(kSchema).replace(std::string(kSchema).find("  age: I32?\n"), 12, "");
  drop.allow_data_loss = true;
  ASSERT_TRUE(graph_->schema_apply(drop).applied);
  change("query q() { insert Person { name: \"Dan\" } }");
  ASSERT_EQ(refs("schema-purge/").size(), 1u);

  // The commit the drop was applied on keeps its data: the purge stays.
  CleanupStats stats = graph_->cleanup({.keep_versions = 2});
  EXPECT_GT(stats.commits_pruned, 0u);
  EXPECT_EQ(stats.refs_removed, 0u);
  EXPECT_EQ(refs("schema-purge/").size(), 1u);
  EXPECT_NE(read_error(kAges, before_drop).find("age"), std::string::npos);
  EXPECT_EQ(query(kCities, before_drop), "\"Alice\"|\"Oslo\",\"Bob\"|\"Rome\",\"Carol\"|null");

  // Once no commit at or before the drop keeps its data, the purge goes.
  change("query q() { insert Person { name: \"Eve\" } }");
  change("query q() { insert Person { name: \"Fay\" } }");
  stats = graph_->cleanup({.keep_versions = 1});
  EXPECT_EQ(stats.refs_removed, 1u);
  EXPECT_TRUE(refs("schema-purge/").empty());
  EXPECT_EQ(query("query q() { match { $p: Person } return { $p.name } order { $p.name } }"),
            "\"Alice\",\"Bob\",\"Carol\",\"Dan\",\"Eve\",\"Fay\"");
  // Nothing left that cleanup does not understand: it runs again.
  EXPECT_EQ(graph_->cleanup({.keep_versions = 1}).chunks_removed, 0u);
}

// ---- derived-index refs ------------------------------------------------------

constexpr const char* kDocSchema = R"(node Doc {
  slug: String @key
  emb: Vector(4)?
}
)";

std::string docs(int from, int to) {
  std::string out;
  for (int i = from; i < to; ++i) {
    out += R"({"type":"Doc","data":{"slug":"d)" + std::to_string(i) + R"(","emb":[)" +
           std::to_string(i) + ",1,0," + std::to_string(i % 7) + "]}}\n";
  }
  return out;
}

class ScopedThreshold {
 public:
  explicit ScopedThreshold(uint64_t threshold) : saved_(vs::vector_search_options()) {
    auto o = saved_;
    o.exact_threshold = threshold;
    vs::set_vector_search_options(o);
    vs::clear_vector_index_cache();
  }
  ~ScopedThreshold() {
    vs::set_vector_search_options(saved_);
    vs::clear_vector_index_cache();
  }

 private:
  vs::VectorSearchOptions saved_;
};

constexpr const char* kNearest =
    "query q($v: Vector(4)) { match { $d: Doc } return { $d.slug } "
    "order { nearest($d.emb, $v) } limit 3 }";
constexpr const char* kNearestParams = R"({"v":[10,1,0,3]})";

TEST_F(CleanupRefsTest, VectorIndexOfARetainedRootSurvivesAndOfADroppedRootGoes) {
  ScopedThreshold threshold(20);
  init(kDocSchema, docs(0, 60));
  auto before = vs::vector_index_stats();
  const std::string first = query(kNearest, std::nullopt, kNearestParams);
  EXPECT_EQ(vs::vector_index_stats().builds - before.builds, 1u);
  load(docs(60, 120));  // a diff large enough to be persisted again
  before = vs::vector_index_stats();
  const std::string second = query(kNearest, std::nullopt, kNearestParams);
  auto after = vs::vector_index_stats();
  EXPECT_EQ(after.builds, before.builds);
  EXPECT_EQ(after.persists - before.persists, 1u);
  EXPECT_TRUE(graph_->branch_list() == std::vector<std::string>{"main"});

  auto derived = refs("derived/vector/");
  ASSERT_EQ(derived.size(), 3u);  // two roots, one latest
  std::optional<Hash> head_rows;
  for (const auto& [name, value] : derived) {
    if (name.find("/latest/") != std::string::npos) head_rows = value;
  }
  ASSERT_TRUE(head_rows.has_value());
  std::string kept, dropped;
  Hash kept_manifest, dropped_manifest;
  for (const auto& [name, value] : derived) {
    if (name.find("/root/") == std::string::npos) continue;
    if (name.find(head_rows->hex()) != std::string::npos) {
      kept = name;
      kept_manifest = value;
    } else {
      dropped = name;
      dropped_manifest = value;
    }
  }
  ASSERT_FALSE(kept.empty());
  ASSERT_FALSE(dropped.empty());

  CleanupStats stats = graph_->cleanup({.keep_versions = 0});
  EXPECT_EQ(stats.refs_removed, 1u);
  derived = refs("derived/vector/");
  EXPECT_EQ(derived.size(), 2u);
  EXPECT_EQ(derived.count(kept), 1u);
  EXPECT_EQ(derived.count(dropped), 0u);
  EXPECT_TRUE(chunks().has(kept_manifest));
  EXPECT_FALSE(chunks().has(dropped_manifest));

  // A restart loads the kept index instead of building one.
  graph_.reset();
  vs::clear_vector_index_cache();
  graph_ = Graph::open(dir_);
  before = vs::vector_index_stats();
  EXPECT_EQ(query(kNearest, std::nullopt, kNearestParams), second);
  after = vs::vector_index_stats();
  EXPECT_EQ(after.builds, before.builds);
  EXPECT_EQ(after.loads - before.loads, 1u);
  EXPECT_NE(first, "");
}

TEST_F(CleanupRefsTest, TextIndexIsPersistedLoadedAfterReopenAndCollected) {
  using engine::search::text::IndexCache;
  init("node Note {\n  slug: String @key\n  body: String?\n}\n",
       R"({"type":"Note","data":{"slug":"a","body":"graph databases"}}
{"type":"Note","data":{"slug":"b","body":"cooking pasta"}}
{"type":"Note","data":{"slug":"c","body":"graph pasta"}}
)");
  const std::string search =
      "query q() { match { $n: Note search($n.body, \"pasta\") } return { $n.slug } order { "
      "$n.slug } }";
  IndexCache::global().clear();
  auto before = IndexCache::global().stats();
  EXPECT_EQ(query(search), "\"b\",\"c\"");
  auto after = IndexCache::global().stats();
  EXPECT_EQ(after.full_builds - before.full_builds, 1u);
  EXPECT_EQ(after.persists - before.persists, 1u);
  EXPECT_EQ(refs("derived/text/").size(), 2u);  // the root, and latest

  // A restart loads the image instead of building.
  graph_.reset();
  IndexCache::global().clear();
  graph_ = Graph::open(dir_);
  before = IndexCache::global().stats();
  EXPECT_EQ(query(search), "\"b\",\"c\"");
  after = IndexCache::global().stats();
  EXPECT_EQ(after.full_builds, before.full_builds);
  EXPECT_EQ(after.loads - before.loads, 1u);

  // After a write and a restart: the latest image moved by the diff.
  change("query q() { insert Note { slug: \"d\", body: \"pasta again\" } }");
  graph_.reset();
  IndexCache::global().clear();
  graph_ = Graph::open(dir_);
  before = IndexCache::global().stats();
  EXPECT_EQ(query(search), "\"b\",\"c\",\"d\"");
  after = IndexCache::global().stats();
  EXPECT_EQ(after.full_builds, before.full_builds);
  EXPECT_EQ(after.diff_updates - before.diff_updates, 1u);

  // Cleanup down to the head: the first root's image goes (the head's
  // root was never persisted, so only the refs naming a dropped root go).
  CleanupStats stats = graph_->cleanup({.keep_versions = 0});
  EXPECT_EQ(stats.refs_removed, 2u);
  EXPECT_TRUE(refs("derived/text/").empty());
  IndexCache::global().clear();
}

// ---- mark phase covers every retained commit ---------------------------------

TEST_F(CleanupRefsTest, EveryRetainedCommitReadsAsBeforeAfterCleanup) {
  init(kSchema, kData);
  graph_->branch_create("feature");
  SchemaApplyRequest add;
  add.schema_source = std::string(kSchema) + "node Pet {\n  tag: String @key\n}\n";
  add.branch = "feature";
  ASSERT_TRUE(graph_->schema_apply(add).applied);
  change("query q() { insert Pet { tag: \"rex\" } }", "feature");
  change("query q() { update Person set { age: 26 } where name = \"Bob\" }", "feature");
  change("query q() { insert Person { name: \"Dan\", age: 50, city: \"Oslo\" } }");
  ASSERT_EQ(graph_->branch_merge("feature", kMainBranch).outcome, MergeOutcome::kMerged);
  // Two writers read the same head; the second is rebased onto the first.
  {
    Graph::Impl& impl = GraphInternals::impl(*graph_);
    bool fired = false;
    {
      std::lock_guard lock(impl.mutex);
      impl.before_publish_hook = [&] {
        if (fired) return;
        fired = true;
        change("query q() { insert Person { name: \"Eve\", age: 22 } }");
      };
    }
    change("query q() { update Person set { city: \"Bergen\" } where name = \"Carol\" }");
    std::lock_guard lock(impl.mutex);
    impl.before_publish_hook = nullptr;
    ASSERT_TRUE(fired);
  }
  change("query q() { insert Knows { from: \"Dan\", to: \"Eve\" } }");

  const std::vector<std::string> reads = {
      kAges, kCities,
      "query q() { match { $p: Person { city: \"Oslo\" } } return { $p.name } order { $p.name } }",
      "query q() { match { $a: Person $a knows $b } return { $a.name, $b.name } order { $a.name } "
      "}"};
  auto read_all = [&](const std::string& commit) {
    std::string out;
    for (const auto& source : reads) out += query(source, commit) + ";";
    return out;
  };
  std::map<std::string, std::string> before;
  for (const std::string& branch : {std::string(kMainBranch), std::string("feature")}) {
    for (const auto& info : graph_->commit_list(branch)) {
      before[info.graph_commit_id] = read_all(info.graph_commit_id);
    }
  }
  ASSERT_GE(before.size(), 8u);

  // Everything retained: every commit reads exactly as before.
  graph_->cleanup({.keep_versions = 1000});
  for (const auto& [commit, expected] : before) EXPECT_EQ(read_all(commit), expected) << commit;

  // A tight rule: what still reads, reads as before; the rest is refused.
  graph_->cleanup({.keep_versions = 1});
  graph_.reset();
  graph_ = Graph::open(dir_);
  size_t readable = 0;
  for (const auto& [commit, expected] : before) {
    try {
      EXPECT_EQ(read_all(commit), expected) << commit;
      ++readable;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kNotFound) << e.what();
    }
  }
  EXPECT_GE(readable, 3u);  // both heads and an ancestor at least
}

}  // namespace
}  // namespace omnigraph
