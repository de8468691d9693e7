// nearest(): exact and HNSW k-NN (languages.md §4.6), the derived-index
// cache (reuse by root, moves by diff), persistence across a reopen,
// string queries embedded with the mock, @embed at load and insert, and
// `optimize`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>

#include "common/error.h"
#include "compiler/catalog/catalog.h"
#include "compiler/ir/ir.h"
#include "compiler/query/parser.h"
#include "engine/embed/embedder.h"
#include "engine/exec_nearest.h"
#include "engine/graph_writer.h"
#include "engine/search/optimize.h"
#include "engine/search/vector/hnsw_index.h"
#include "engine/search/vector/vector_search.h"
#include "omnigraph/graph.h"
#include "store/store.h"

namespace omnigraph::engine {
namespace {

namespace vs = search::vector;

constexpr const char* kSchema = R"(
node Doc {
  slug: String @key
  title: String?
  emb: Vector(4)?
}
)";

class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// Options for one test, restored afterwards; the cache starts empty.
class ScopedOptions {
 public:
  explicit ScopedOptions(uint64_t exact_threshold) : saved_(vs::vector_search_options()) {
    auto o = saved_;
    o.exact_threshold = exact_threshold;
    vs::set_vector_search_options(o);
    vs::clear_vector_index_cache();
  }
  ~ScopedOptions() {
    vs::set_vector_search_options(saved_);
    vs::clear_vector_index_cache();
  }

 private:
  vs::VectorSearchOptions saved_;
};

Value vec(std::vector<float> v) {
  return Value::vector(FloatVector{std::move(v)});
}

class VectorSearchTest : public ::testing::Test {
 protected:
  VectorSearchTest()
      : store_(store::open_memory_store()),
        nodes_(*store_.chunks),
        catalog_(std::make_shared<const compiler::Catalog>(compiler::compile_schema(kSchema))),
        type_(*catalog_->find_node_type("Doc")),
        emb_(*type_.find_property("emb")),
        writer_(std::make_unique<GraphWriter>(catalog_, GraphRoot{}, nodes_)) {}

  void doc(const std::string& slug, std::optional<std::vector<float>> v,
           const std::string& title = "") {
    Row row;
    row.set(type_.key_property()->id, Value::string(slug));
    if (!title.empty()) row.set(type_.find_property("title")->id, Value::string(title));
    if (v) row.set(emb_.id, vec(*v));
    writer_->put_nodes(type_, {{slug, std::move(row)}});
  }
  void remove(const std::string& slug) { writer_->delete_nodes(type_, {slug}); }

  // Publishes the staged rows as a root and starts the next writer on it.
  GraphRoot commit() {
    GraphRoot root = writer_->finish("main");
    writer_ = std::make_unique<GraphWriter>(catalog_, root, nodes_);
    return root;
  }

  std::vector<std::string> ids(const GraphRoot& root, const std::vector<float>& q, size_t k) {
    GraphView view(catalog_, root, nodes_, store_.refs.get());
    std::vector<std::string> out;
    for (auto& hit : vs::nearest(view, type_, emb_, q, k)) out.push_back(hit.id);
    return out;
  }

  // nearest_ids through the executor's entry point, for a query text.
  std::vector<std::string> query_ids(const GraphRoot& root, const std::string& source,
                                     const ParamMap& params, size_t k) {
    auto file = compiler::query::parse_query_file(source);
    auto plan = compiler::ir::compile_query(*catalog_, file.queries.at(0));
    EXPECT_TRUE(plan.read.rank.has_value());
    GraphView view(catalog_, root, nodes_, store_.refs.get());
    exec::ExecContext ctx(view, plan.read, params);
    return exec::nearest_ids(ctx, type_, plan.read.rank->expr, k);
  }

  store::Store store_;
  prolly::NodeStore nodes_;
  std::shared_ptr<const compiler::Catalog> catalog_;
  const compiler::NodeType& type_;
  const compiler::Property& emb_;
  std::unique_ptr<GraphWriter> writer_;
};

using Strings = std::vector<std::string>;

TEST_F(VectorSearchTest, ExactOrdersByL2WithKAndIdTies) {
  ScopedOptions options(1000);
  doc("a", std::vector<float>{0, 0, 0, 0});
  doc("b", std::vector<float>{1, 0, 0, 0});
  doc("c", std::vector<float>{0, 2, 0, 0});
  doc("d", std::vector<float>{-1, 0, 0, 0});  // ties with b for the origin
  doc("e", std::nullopt);                     // no vector: never a hit
  GraphRoot root = commit();
  EXPECT_EQ(ids(root, {0, 0, 0, 0}, 10), (Strings{"a", "b", "d", "c"}));
  EXPECT_EQ(ids(root, {0, 0, 0, 0}, 2), (Strings{"a", "b"}));
  EXPECT_EQ(ids(root, {0, 1.9f, 0, 0}, 1), (Strings{"c"}));
  EXPECT_EQ(ids(root, {0, 0, 0, 0}, 0), (Strings{}));
  EXPECT_GT(vs::vector_index_stats().exact_searches, 0u);
}

TEST_F(VectorSearchTest, QueryFromLiteralParamAndListParam) {
  ScopedOptions options(1000);
  doc("a", std::vector<float>{0, 0, 0, 0});
  doc("b", std::vector<float>{1, 1, 1, 1});
  doc("c", std::vector<float>{5, 5, 5, 5});
  GraphRoot root = commit();
  EXPECT_EQ(query_ids(root,
                      "query q() { match { $d: Doc } return { $d.slug } "
                      "order { nearest($d.emb, [4.0, 4.0, 4.0, 4.0]) } limit 2 }",
                      {}, 2),
            (Strings{"c", "b"}));
  const std::string with_param =
      "query q($v: Vector(4)) { match { $d: Doc } return { $d.slug } "
      "order { nearest($d.emb, $v) } limit 3 }";
  EXPECT_EQ(query_ids(root, with_param, {{"v", vec({1, 1, 1, 0.9f})}}, 3),
            (Strings{"b", "a", "c"}));
  ValueList wrong{Value::floating(1), Value::floating(2)};
  try {
    query_ids(root, with_param, {{"v", Value::list(wrong)}}, 3);
    FAIL() << "expected a dimension error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "nearest vector dimension mismatch: property is Vector(4), query has 2 elements");
  }
}

TEST_F(VectorSearchTest, StringQueryIsEmbeddedWithTheMock) {
  ScopedOptions options(1000);
  ScopedEnv mock("OMNIGRAPH_EMBEDDINGS_MOCK", "1");
  for (const char* title : {"alpha", "beta", "gamma", "delta"}) {
    doc(title, embed::mock_embedding(title, 4), title);
  }
  GraphRoot root = commit();
  const std::string q =
      "query q($s: String) { match { $d: Doc } return { $d.slug } "
      "order { nearest($d.emb, $s) } limit 1 }";
  EXPECT_EQ(query_ids(root, q, {{"s", Value::string("gamma")}}, 1), (Strings{"gamma"}));
  EXPECT_EQ(query_ids(root,
                      "query q() { match { $d: Doc } return { $d.slug } "
                      "order { nearest($d.emb, \"beta\") } limit 1 }",
                      {}, 1),
            (Strings{"beta"}));
}

TEST_F(VectorSearchTest, StringQueryWithoutEmbedderIsAnError) {
  ScopedOptions options(1000);
  ScopedEnv mock("OMNIGRAPH_EMBEDDINGS_MOCK", nullptr);
  ScopedEnv key1("OMNIGRAPH_EMBEDDINGS_API_KEY", nullptr);
  ScopedEnv key2("OPENAI_API_KEY", nullptr);
  doc("a", std::vector<float>{0, 0, 0, 0});
  GraphRoot root = commit();
  try {
    query_ids(root,
              "query q() { match { $d: Doc } return { $d.slug } "
              "order { nearest($d.emb, \"x\") } limit 1 }",
              {}, 1);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("is required when nearest() needs a string embedding"),
              std::string::npos)
        << e.what();
  }
}

std::vector<float> random_vector(std::mt19937& rng, size_t dim) {
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> v(dim);
  for (float& x : v) x = u(rng);
  return v;
}

TEST_F(VectorSearchTest, IndexAgreesWithExactAndIsReusedAndMovedByDiffs) {
  std::mt19937 rng(7);
  for (int i = 0; i < 400; ++i) doc("d" + std::to_string(1000 + i), random_vector(rng, 4));
  GraphRoot v1 = commit();
  std::vector<std::vector<float>> queries;
  for (int i = 0; i < 20; ++i) queries.push_back(random_vector(rng, 4));

  std::vector<Strings> exact;
  {
    ScopedOptions all_exact(1'000'000);
    for (auto& q : queries) exact.push_back(ids(v1, q, 10));
  }
  ScopedOptions indexed(100);
  auto before = vs::vector_index_stats();
  for (size_t i = 0; i < queries.size(); ++i) EXPECT_EQ(ids(v1, queries[i], 10), exact[i]);
  auto after = vs::vector_index_stats();
  EXPECT_EQ(after.builds - before.builds, 1u);                          // built once ...
  EXPECT_EQ(after.cache_hits - before.cache_hits, queries.size() - 1);  // ... then reused
  EXPECT_EQ(after.index_searches - before.index_searches, queries.size());
  EXPECT_EQ(after.exact_searches, before.exact_searches);

  // A write: one new row, one removed, one moved, one changed elsewhere only.
  doc("new", std::vector<float>{9, 9, 9, 9});
  remove("d1000");
  doc("d1001", std::vector<float>{-9, -9, -9, -9});
  {
    GraphView view(catalog_, v1, nodes_, store_.refs.get());
    Row row = *view.node(type_, "d1002");
    row.set(type_.find_property("title")->id, Value::string("retitled"));
    writer_->put_nodes(type_, {{"d1002", row}});
  }
  GraphRoot v2 = commit();
  before = vs::vector_index_stats();
  EXPECT_EQ(ids(v2, {9, 9, 9, 9}, 1), (Strings{"new"}));
  EXPECT_EQ(ids(v2, {-9, -9, -9, -9}, 1), (Strings{"d1001"}));
  after = vs::vector_index_stats();
  EXPECT_EQ(after.builds, before.builds);
  EXPECT_EQ(after.diff_updates - before.diff_updates, 1u);
  EXPECT_EQ(after.rows_applied - before.rows_applied, 3u);  // the title change is skipped
  Strings v2_hits = ids(v2, {0, 0, 0, 0}, 400);
  EXPECT_EQ(std::count(v2_hits.begin(), v2_hits.end(), "d1000"), 0);
  EXPECT_EQ(v2_hits.size(), 400u);  // 400 - 1 removed + 1 new

  // Going back to the old root moves the index back by the same diff.
  before = vs::vector_index_stats();
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(ids(v1, queries[i], 10), exact[i]);
  after = vs::vector_index_stats();
  EXPECT_EQ(after.diff_updates - before.diff_updates, 1u);
  EXPECT_EQ(after.builds, before.builds);
}

TEST(VectorPersistence, ReopenLoadsInsteadOfBuilding) {
  auto dir =
      std::filesystem::temp_directory_path() / ("og-vector-persist-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto catalog = std::make_shared<const compiler::Catalog>(compiler::compile_schema(kSchema));
  const auto& type = *catalog->find_node_type("Doc");
  const auto& emb = *type.find_property("emb");
  ScopedOptions options(50);
  std::mt19937 rng(11);
  std::vector<float> q = random_vector(rng, 4);
  auto put = [&](GraphWriter& w, int from, int to) {
    for (int i = from; i < to; ++i) {
      Row row;
      row.set(type.key_property()->id, Value::string("d" + std::to_string(i)));
      row.set(emb.id, vec(random_vector(rng, 4)));
      w.put_nodes(type, {{"d" + std::to_string(i), std::move(row)}});
    }
  };
  auto search = [&](store::Store& store, prolly::NodeStore& nodes, const GraphRoot& root) {
    GraphView view(catalog, root, nodes, store.refs.get());
    Strings out;
    for (auto& hit : vs::nearest(view, type, emb, q, 5)) out.push_back(hit.id);
    return out;
  };
  GraphRoot v1, v2;
  Strings first;
  {
    store::Store store = store::open_rocksdb_store(dir);
    prolly::NodeStore nodes(*store.chunks);
    GraphWriter w(catalog, GraphRoot{}, nodes);
    put(w, 0, 300);
    v1 = w.finish("main");
    auto before = vs::vector_index_stats();
    first = search(store, nodes, v1);
    auto after = vs::vector_index_stats();
    EXPECT_EQ(after.builds - before.builds, 1u);
    EXPECT_EQ(after.persists - before.persists, 1u);
    // Stored by the storage rules: refs name content-addressed chunks.
    auto refs = store.refs->list("derived/vector/");
    ASSERT_EQ(refs.size(), 2u);
    auto root_ref = refs.find("derived/vector/root/" + v1.tables.at(type.table_key()).rows.hex() +
                              "/" + std::to_string(emb.id));
    ASSERT_NE(root_ref, refs.end());
    auto manifest = store.chunks->get(root_ref->second);
    ASSERT_TRUE(manifest.has_value());
    EXPECT_EQ(Hash::of(*manifest), root_ref->second);
    auto latest =
        refs.find("derived/vector/latest/" + type.table_key() + "/" + std::to_string(emb.id));
    ASSERT_NE(latest, refs.end());
    EXPECT_EQ(latest->second, v1.tables.at(type.table_key()).rows);
  }
  vs::clear_vector_index_cache();  // a restart
  {
    store::Store store = store::open_rocksdb_store(dir);
    prolly::NodeStore nodes(*store.chunks);
    auto before = vs::vector_index_stats();
    EXPECT_EQ(search(store, nodes, v1), first);
    auto after = vs::vector_index_stats();
    EXPECT_EQ(after.builds, before.builds);
    EXPECT_EQ(after.loads - before.loads, 1u);
    GraphWriter w(catalog, v1, nodes);
    put(w, 300, 310);
    v2 = w.finish("main");
  }
  vs::clear_vector_index_cache();
  {
    // A root never indexed: the latest persisted index plus the diff.
    store::Store store = store::open_rocksdb_store(dir);
    prolly::NodeStore nodes(*store.chunks);
    auto before = vs::vector_index_stats();
    Strings hits = search(store, nodes, v2);
    auto after = vs::vector_index_stats();
    EXPECT_EQ(after.builds, before.builds);
    EXPECT_EQ(after.loads - before.loads, 1u);
    EXPECT_EQ(after.diff_updates - before.diff_updates, 1u);
    EXPECT_EQ(after.rows_applied - before.rows_applied, 10u);
    ScopedOptions exact(1'000'000);
    EXPECT_EQ(search(store, nodes, v2), hits);
  }
  std::filesystem::remove_all(dir);
}

// ---- @embed ---------------------------------------------------------------

constexpr const char* kEmbedSchema = R"(
node Doc {
  slug: String @key
  body: String?
  embedding: Vector(8) @embed("body")
}
)";

std::vector<float> stored_embedding(Graph& graph, const std::string& slug) {
  ReadRequest read;
  read.query_source =
      "query q($s: String) { match { $d: Doc { slug: $s } } return { $d.embedding } }";
  read.params_json = "{\"s\":\"" + slug + "\"}";
  auto result = graph.read(read);
  EXPECT_EQ(result.rows.size(), 1u);
  if (result.rows.empty() || result.rows[0][0].kind() != Value::Kind::kVector) return {};
  return result.rows[0][0].as_vector().values;
}

TEST(EmbedAnnotation, FilledAtLoadAndInsertAndRefreshedByUpdate) {
  ScopedEnv mock("OMNIGRAPH_EMBEDDINGS_MOCK", "on");
  auto graph = Graph::init_in_memory(kEmbedSchema);
  std::istringstream jsonl(
      R"({"type":"Doc","data":{"slug":"a","body":"first text"}})"
      "\n"
      R"({"type":"Doc","data":{"slug":"b","body":"x","embedding":[1,0,0,0,0,0,0,0]}})"
      "\n");
  graph->load(jsonl, LoadRequest{});
  EXPECT_EQ(stored_embedding(*graph, "a"), embed::mock_embedding("first text", 8));
  // A given vector is kept as is.
  EXPECT_EQ(stored_embedding(*graph, "b"), (std::vector<float>{1, 0, 0, 0, 0, 0, 0, 0}));

  ChangeRequest insert;
  insert.query_source = "query add($s: String, $b: String) { insert Doc { slug: $s, body: $b } }";
  insert.params_json = R"({"s":"c","b":"inserted"})";
  graph->change(insert);
  EXPECT_EQ(stored_embedding(*graph, "c"), embed::mock_embedding("inserted", 8));

  ChangeRequest update;
  update.query_source =
      "query upd($s: String, $b: String) { update Doc set { body: $b } where slug = $s }";
  update.params_json = R"({"s":"c","b":"rewritten"})";
  graph->change(update);
  EXPECT_EQ(stored_embedding(*graph, "c"), embed::mock_embedding("rewritten", 8));
}

TEST(EmbedAnnotation, LoadWithoutEmbedderFailsClearly) {
  ScopedEnv mock("OMNIGRAPH_EMBEDDINGS_MOCK", nullptr);
  ScopedEnv key1("OMNIGRAPH_EMBEDDINGS_API_KEY", nullptr);
  ScopedEnv key2("OPENAI_API_KEY", nullptr);
  auto graph = Graph::init_in_memory(kEmbedSchema);
  std::istringstream jsonl(R"({"type":"Doc","data":{"slug":"a","body":"t"}})"
                           "\n");
  try {
    graph->load(jsonl, LoadRequest{});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("is required when @embed property embedding needs an "
                                         "embedding"),
              std::string::npos)
        << e.what();
  }
}

TEST(NearestQuery, OrdersRowsThroughTheExecutor) {
  ScopedEnv mock("OMNIGRAPH_EMBEDDINGS_MOCK", "1");
  auto graph = Graph::init_in_memory(kEmbedSchema);
  std::istringstream jsonl(R"({"type":"Doc","data":{"slug":"a","body":"red apple"}})"
                           "\n"
                           R"({"type":"Doc","data":{"slug":"b","body":"green pear"}})"
                           "\n"
                           R"({"type":"Doc","data":{"slug":"c","body":"blue sky"}})"
                           "\n");
  graph->load(jsonl, LoadRequest{});
  ReadRequest read;
  read.query_source =
      "query q($s: String) { match { $d: Doc } return { $d.slug } "
      "order { nearest($d.embedding, $s) } limit 2 }";
  read.params_json = R"({"s":"green pear"})";
  auto result = graph->read(read);
  ASSERT_EQ(result.rows.size(), 2u);  // k = limit
  EXPECT_EQ(result.rows[0][0], Value::string("b"));
}

// ---- optimize -------------------------------------------------------------

TEST(Optimize, PrebuildsBranchHeadsSoQueriesLoad) {
  auto dir =
      std::filesystem::temp_directory_path() / ("og-vector-optimize-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ScopedOptions options(20);
  {
    auto graph = Graph::init(dir, kSchema);
    std::ostringstream lines;
    for (int i = 0; i < 60; ++i) {
      lines << R"({"type":"Doc","data":{"slug":"d)" << i << R"(","emb":[)" << i << ",1,0,0]}}\n";
    }
    std::istringstream in(lines.str());
    graph->load(in, LoadRequest{});
    graph->branch_create("feature");
  }
  auto before = vs::vector_index_stats();
  auto report = search::optimize_graph(dir);
  auto after = vs::vector_index_stats();
  ASSERT_EQ(report.size(), 2u);
  EXPECT_EQ(report[0].branch, "feature");
  EXPECT_EQ(report[1].branch, "main");
  ASSERT_FALSE(report[1].indexes.empty());
  EXPECT_EQ(report[1].indexes[0].name, "vector");
  EXPECT_EQ(report[1].indexes[0].indexes, 1u);
  // Both heads share one root: one build, then a cache hit.
  EXPECT_EQ(after.builds - before.builds, 1u);
  EXPECT_EQ(after.persists - before.persists, 1u);

  vs::clear_vector_index_cache();
  before = vs::vector_index_stats();
  search::optimize_graph(dir);
  after = vs::vector_index_stats();
  EXPECT_EQ(after.builds, before.builds);
  EXPECT_EQ(after.loads - before.loads, 1u);
  std::filesystem::remove_all(dir);
}

TEST(Optimize, ReadsRenamedSchemasThroughTheirIds) {
  auto dir =
      std::filesystem::temp_directory_path() / ("og-vector-rename-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ScopedOptions options(20);
  {
    auto graph = Graph::init(dir, kSchema);
    std::ostringstream lines;
    for (int i = 0; i < 40; ++i) {
      lines << R"({"type":"Doc","data":{"slug":"d)" << i << R"(","emb":[)" << i << ",1,0,0]}}\n";
    }
    std::istringstream in(lines.str());
    graph->load(in, LoadRequest{});
    SchemaApplyRequest rename;
    rename.schema_source = kSchema;
    size_t at = rename.schema_source.find("emb:");
    ASSERT_NE(at, std::string::npos);
    rename.schema_source.replace(at, 4, "vec: ");
    at = rename.schema_source.find('\n', at);
    rename.schema_source.insert(at, " @rename_from(\"emb\")");
    ASSERT_TRUE(graph->schema_apply(rename).applied);
  }
  auto report = search::optimize_graph(dir);
  ASSERT_EQ(report.size(), 1u);
  ASSERT_FALSE(report[0].indexes.empty());
  EXPECT_EQ(report[0].indexes[0].indexes, 1u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace omnigraph::engine

namespace omnigraph::engine::search::vector {
namespace {

std::vector<std::string> hit_ids(const HnswIndex& index, const std::vector<float>& q, size_t k) {
  std::vector<std::string> out;
  for (auto& [distance, id] : index.search(q.data(), k, 64)) out.push_back(id);
  return out;
}

TEST(HnswIndex, WritesWaitInTheSideListUntilFolded) {
  HnswParams params;
  params.delta_limit = 4;
  HnswIndex index(2, params, 16);
  index.add_all({"a", "b"}, {0, 0, 10, 10}, 1);
  index.upsert_all({"c"}, {1, 1}, 1);    // new: side list
  index.upsert_all({"a"}, {20, 20}, 1);  // moved: old one deleted in the graph
  EXPECT_EQ(index.pending(), 2u);
  EXPECT_EQ(index.size(), 3u);
  EXPECT_EQ(hit_ids(index, {0, 0}, 3), (std::vector<std::string>{"c", "b", "a"}));
  index.remove("c");  // from the side list
  EXPECT_EQ(hit_ids(index, {0, 0}, 3), (std::vector<std::string>{"b", "a"}));

  // A round trip keeps graph, deletions and side list.
  auto copy = HnswIndex::deserialize(index.serialize(), params);
  EXPECT_EQ(copy->size(), 2u);
  EXPECT_EQ(copy->pending(), 1u);
  EXPECT_EQ(hit_ids(*copy, {19, 19}, 2), (std::vector<std::string>{"a", "b"}));

  // Reaching the limit folds the side list into the graph.
  index.upsert_all({"d", "e", "f"}, {2, 2, 3, 3, 4, 4}, 2);
  EXPECT_EQ(index.pending(), 0u);
  EXPECT_EQ(index.size(), 5u);
  EXPECT_EQ(index.deleted(), 1u);
  EXPECT_EQ(hit_ids(index, {2.1f, 2.1f}, 5), (std::vector<std::string>{"d", "e", "f", "b", "a"}));
}

TEST(HnswIndex, CorruptImageIsAnError) {
  EXPECT_THROW(HnswIndex::deserialize("garbage", HnswParams{}), Error);
  HnswIndex index(2, HnswParams{}, 16);
  index.add_all({"a"}, {1, 2}, 1);
  std::string image = index.serialize();
  EXPECT_THROW(HnswIndex::deserialize(image.substr(0, image.size() - 3), HnswParams{}), Error);
}

}  // namespace
}  // namespace omnigraph::engine::search::vector
