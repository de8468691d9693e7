// The four real cookbook graphs (shared/workloads/cookbooks/*) run end to
// end through the public Graph API: every schema initialises, every seed
// loads with the row counts the cookbooks' README states, every read query
// runs (search ones with the mock embedder), a set of results is checked against
// expectations worked out by hand from seed.jsonl, and every mutation runs
// on a freshly seeded graph.
//
// Query parameters are derived from the seed: a parameter compared with a
// property gets an existing value of that property (from the best-connected
// node, so traversals have something to follow); an edge endpoint gets an
// existing node id; a node key gets a fresh value, so an insert adds a row.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "compiler/ir/ir.h"
#include "compiler/query/parser.h"
#include "omnigraph/graph.h"

namespace omnigraph {
namespace {

namespace fs = std::filesystem;
namespace ir = compiler::ir;
using engine::Value;
using Rows = std::vector<std::string>;

// Same location rule as test/unit/compiler/cookbook_queries_test.cpp.
fs::path cookbooks_root() {
  // OG_COOKBOOKS_DIR overrides the default (for worktrees placed elsewhere).
  if (const char* dir = std::getenv("OG_COOKBOOKS_DIR")) return fs::path(dir);
  return fs::path(OG_SOURCE_DIR) / ".." / "shared" / "workloads" / "cookbooks";
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// --- the seed, parsed independently of the engine's loader ------------------

struct SeedNode {
  std::string type;
  std::string id;
  const rapidjson::Value* data = nullptr;  // the line's "data" object (may be null)
};

struct SeedEdge {
  std::string type;  // canonical edge type name
  std::string from;
  std::string to;
};

struct Seed {
  std::vector<rapidjson::Document> lines;
  std::map<std::string, std::vector<SeedNode>> nodes;  // type -> rows in file order
  std::vector<SeedEdge> edges;
  std::map<std::string, uint64_t> edge_counts;                         // edge type -> rows
  std::map<std::string, uint64_t> degree;                              // node id -> incident edges
  std::map<std::pair<std::string, std::string>, uint64_t> out_degree;  // (edge, src) -> n

  size_t node_total() const {
    size_t n = 0;
    for (const auto& [_, rows] : nodes) n += rows.size();
    return n;
  }
};

Seed parse_seed(const std::string& text, const compiler::Catalog& catalog) {
  Seed seed;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    EXPECT_FALSE(doc.HasParseError()) << line;
    seed.lines.push_back(std::move(doc));
  }
  for (const rapidjson::Document& doc : seed.lines) {
    const rapidjson::Value* data =
        doc.HasMember("data") && doc["data"].IsObject() ? &doc["data"] : nullptr;
    if (doc.HasMember("type")) {
      const compiler::NodeType* type = catalog.find_node_type(doc["type"].GetString());
      EXPECT_NE(type, nullptr) << doc["type"].GetString();
      if (type == nullptr) continue;
      SeedNode node{type->name, "", data};
      const compiler::Property* key = type->key_property();
      const char* id_field = key != nullptr ? key->name.c_str() : "id";
      if (data != nullptr && data->HasMember(id_field) && (*data)[id_field].IsString()) {
        node.id = (*data)[id_field].GetString();
      }
      seed.nodes[type->name].push_back(node);
    } else {
      const compiler::EdgeType* type = catalog.lookup_edge(doc["edge"].GetString());
      EXPECT_NE(type, nullptr) << doc["edge"].GetString();
      if (type == nullptr) continue;
      SeedEdge edge{type->name, doc["from"].GetString(), doc["to"].GetString()};
      ++seed.edge_counts[edge.type];
      ++seed.degree[edge.from];
      ++seed.degree[edge.to];
      ++seed.out_degree[{edge.type, edge.from}];
      seed.edges.push_back(edge);
    }
  }
  return seed;
}

// --- one cookbook ------------------------------------------------------------

struct QueryFileText {
  std::string path;
  std::string source;
  compiler::query::QueryFile parsed;
};

struct Cookbook {
  std::string name;
  std::string schema;
  std::string seed_text;
  std::shared_ptr<const compiler::Catalog> catalog;
  Seed seed;
  std::vector<QueryFileText> files;

  // The file holding query `name` (first match).
  const QueryFileText& file_of(const std::string& query) const {
    for (const auto& f : files) {
      if (f.parsed.find(query) != nullptr) return f;
    }
    throw std::runtime_error("no query " + query + " in " + name);
  }
};

const std::vector<std::string> kCookbookNames = {"industry-intel", "pharma-intel", "second-brain",
                                                 "vc-os"};

// Loaded once: the cookbooks are read-only inputs.
const Cookbook& cookbook(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Cookbook>> cache;
  auto it = cache.find(name);
  if (it != cache.end()) return *it->second;
  auto book = std::make_unique<Cookbook>();
  fs::path dir = cookbooks_root() / name;
  book->name = name;
  book->schema = read_text(dir / "schema.pg");
  book->seed_text = read_text(dir / "seed.jsonl");
  book->catalog = std::make_shared<const compiler::Catalog>(compiler::compile_schema(book->schema));
  book->seed = parse_seed(book->seed_text, *book->catalog);
  std::vector<fs::path> paths;
  for (const auto& f : fs::directory_iterator(dir / "queries")) {
    if (f.path().extension() == ".gq") paths.push_back(f.path());
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    QueryFileText file{p.filename().string(), read_text(p), {}};
    file.parsed = compiler::query::parse_query_file(file.source);
    book->files.push_back(std::move(file));
  }
  return *cache.emplace(name, std::move(book)).first->second;
}

// Selects the deterministic mock embedder (languages.md §4.6) for @embed
// properties and nearest("text") while in scope, then restores the
// environment (later tests expect no embedder).
class MockEmbedder {
 public:
  MockEmbedder() {
    if (const char* v = std::getenv(kVar)) saved_ = v;
    setenv(kVar, "1", 1);
  }
  ~MockEmbedder() {
    if (saved_) {
      setenv(kVar, saved_->c_str(), 1);
    } else {
      unsetenv(kVar);
    }
  }
  MockEmbedder(const MockEmbedder&) = delete;
  MockEmbedder& operator=(const MockEmbedder&) = delete;

 private:
  static constexpr const char* kVar = "OMNIGRAPH_EMBEDDINGS_MOCK";
  std::optional<std::string> saved_;
};

std::unique_ptr<Graph> seeded_graph(const Cookbook& book) {
  auto graph = Graph::init_in_memory(book.schema);
  std::istringstream in(book.seed_text);
  graph->load(in, {});
  return graph;
}

ReadRequest read_request(const std::string& source, const std::string& name,
                         const std::string& params) {
  ReadRequest r;
  r.query_source = source;
  r.query_name = name;
  r.params_json = params;
  return r;
}

ChangeRequest change_request(const std::string& source, const std::string& name,
                             const std::string& params) {
  ChangeRequest r;
  r.query_source = source;
  r.query_name = name;
  r.params_json = params;
  return r;
}

// Node rows / edge rows of a branch head, from the snapshot's table list.
std::pair<uint64_t, uint64_t> totals(Graph& graph) {
  uint64_t nodes = 0, edges = 0;
  for (const TableInfo& t : graph.snapshot().tables) {
    (t.table_key.rfind("node:", 0) == 0 ? nodes : edges) += t.row_count;
  }
  return {nodes, edges};
}

#define SKIP_WITHOUT_COOKBOOKS()                               \
  if (!fs::exists(cookbooks_root() / "vc-os" / "schema.pg")) { \
    GTEST_SKIP() << "no cookbooks at " << cookbooks_root();    \
  }

// --- 1. schemas initialise, seeds load ---------------------------------------

TEST(CookbookEngine, SchemasInitialiseAndSeedsLoadWithTheReadmeCounts) {
  SKIP_WITHOUT_COOKBOOKS();
  // README.md of the cookbooks: node / edge rows of each seed.
  const std::map<std::string, std::pair<uint64_t, uint64_t>> readme = {
      {"industry-intel", {109, 154}},
      {"pharma-intel", {113, 200}},
      {"second-brain", {121, 228}},
      {"vc-os", {207, 460}},
  };
  for (const std::string& name : kCookbookNames) {
    SCOPED_TRACE(name);
    const Cookbook& book = cookbook(name);
    auto graph = Graph::init_in_memory(book.schema);
    EXPECT_EQ(totals(*graph), (std::pair<uint64_t, uint64_t>{0, 0}));
    std::istringstream in(book.seed_text);
    LoadResult load = graph->load(in, {});

    uint64_t loaded_nodes = 0, loaded_edges = 0;
    for (const auto& [type, n] : load.summary.nodes_loaded) {
      loaded_nodes += n;
      EXPECT_EQ(n, book.seed.nodes.at(type).size()) << type;
    }
    for (const auto& [type, n] : load.summary.edges_loaded) {
      loaded_edges += n;
      EXPECT_EQ(n, book.seed.edge_counts.at(type)) << type;
    }
    EXPECT_EQ(loaded_nodes, readme.at(name).first);
    EXPECT_EQ(loaded_edges, readme.at(name).second);
    EXPECT_EQ(totals(*graph), readme.at(name));

    // Per table: the committed rows equal the seed's lines of that type.
    for (const TableInfo& t : graph->snapshot().tables) {
      std::string type = t.table_key.substr(5);
      uint64_t expected =
          t.table_key.rfind("node:", 0) == 0
              ? (book.seed.nodes.count(type) ? book.seed.nodes.at(type).size() : 0)
              : (book.seed.edge_counts.count(type) ? book.seed.edge_counts.at(type) : 0);
      EXPECT_EQ(t.row_count, expected) << t.table_key;
    }
  }
}

// --- parameter derivation -----------------------------------------------------

bool is_search_expr(const ir::Expr& e) {
  using K = ir::Expr::Kind;
  if (e.kind == K::kNearest || e.kind == K::kSearch || e.kind == K::kFuzzy ||
      e.kind == K::kMatchText || e.kind == K::kBm25 || e.kind == K::kRrf) {
    return true;
  }
  return std::any_of(e.args.begin(), e.args.end(), is_search_expr);
}

bool ops_use_search(const std::vector<ir::Op>& ops) {
  for (const ir::Op& op : ops) {
    if (op.kind == ir::Op::Kind::kTextSearch) return true;
    if (op.kind == ir::Op::Kind::kFilter &&
        (is_search_expr(op.filter.left) || is_search_expr(op.filter.right))) {
      return true;
    }
    if (op.kind == ir::Op::Kind::kAntiJoin && ops_use_search(op.inner)) return true;
  }
  return false;
}

// True when the query calls search/fuzzy/match_text/nearest/bm25/rrf anywhere.
bool uses_search(const ir::ReadPlan& plan) {
  if (plan.rank || ops_use_search(plan.pipeline)) return true;
  for (const auto& p : plan.projections) {
    if (is_search_expr(p.expr)) return true;
  }
  for (const auto& o : plan.order) {
    if (is_search_expr(o.expr)) return true;
  }
  return false;
}

// A parameter's first use against a property: (node type, property).
using ParamUses = std::map<std::string, std::pair<std::string, std::string>>;

void note_use(ParamUses& uses, const ir::Expr& param, const std::string& type,
              const std::string& property) {
  if (param.kind == ir::Expr::Kind::kParam && !type.empty()) {
    uses.emplace(param.name, std::make_pair(type, property));
  }
}

void collect_uses(const std::vector<ir::Op>& ops, std::map<std::string, std::string> var_types,
                  ParamUses& uses) {
  for (const ir::Op& op : ops) {
    switch (op.kind) {
      case ir::Op::Kind::kNodeScan:
      case ir::Op::Kind::kExpand:
        var_types[op.variable] = op.type_name;
        for (const ir::Filter& f : op.filters) note_use(uses, f.right, op.type_name, f.left.name);
        break;
      case ir::Op::Kind::kFilter: {
        const ir::Filter& f = op.filter;
        auto type_of = [&](const ir::Expr& e) {
          auto it = var_types.find(e.variable);
          return e.kind == ir::Expr::Kind::kPropAccess && it != var_types.end() ? it->second
                                                                                : std::string();
        };
        note_use(uses, f.right, type_of(f.left), f.left.name);
        note_use(uses, f.left, type_of(f.right), f.right.name);
        break;
      }
      case ir::Op::Kind::kAntiJoin: collect_uses(op.inner, var_types, uses); break;
      case ir::Op::Kind::kTextSearch: {
        // A text query gets a value of the searched property: it matches.
        const ir::TextSearch& ts = op.text_search;
        auto it = var_types.find(ts.variable);
        if (it != var_types.end()) note_use(uses, ts.query, it->second, ts.property);
        break;
      }
    }
  }
}

// The same for a bm25 query of the ranking (also inside rrf).
void collect_rank_uses(const ir::Expr& e, const std::vector<ir::Op>& ops, ParamUses& uses) {
  if (e.kind == ir::Expr::Kind::kRrf) {
    for (const ir::Expr& arg : e.args) collect_rank_uses(arg, ops, uses);
    return;
  }
  if (e.kind != ir::Expr::Kind::kBm25 || e.args.size() < 2) return;
  const ir::Expr& field = e.args[0];
  for (const ir::Op& op : ops) {
    if ((op.kind == ir::Op::Kind::kNodeScan || op.kind == ir::Op::Kind::kExpand) &&
        op.variable == field.variable) {
      note_use(uses, e.args[1], op.type_name, field.name);
      return;
    }
  }
}

// A JSON value for a parameter of `type` when nothing better is known.
void default_param(const compiler::Type& type, rapidjson::Value& out,
                   rapidjson::Document::AllocatorType& alloc, const std::string& hint) {
  using compiler::ScalarKind;
  if (type.list) {
    out.SetArray();
    return;
  }
  switch (type.scalar) {
    case ScalarKind::kString: out.SetString(hint.c_str(), alloc); break;
    case ScalarKind::kBool: out.SetBool(true); break;
    case ScalarKind::kI32:
    case ScalarKind::kI64:
    case ScalarKind::kU32:
    case ScalarKind::kU64: out.SetInt(3); break;
    case ScalarKind::kF32:
    case ScalarKind::kF64: out.SetDouble(1.5); break;
    case ScalarKind::kDate: out.SetString("2026-05-01", alloc); break;
    case ScalarKind::kDateTime: out.SetString("2026-05-01T12:00:00Z", alloc); break;
    case ScalarKind::kBlob: out.SetString("base64:AAEC", alloc); break;
    case ScalarKind::kVector: {
      out.SetArray();
      for (uint32_t i = 0; i < type.vector_dim; ++i) out.PushBack(0.0, alloc);
      break;
    }
  }
}

// Whether a seed JSON value can be passed as a parameter of `type`.
bool fits(const rapidjson::Value& v, const compiler::Type& type) {
  using compiler::ScalarKind;
  switch (type.scalar) {
    case ScalarKind::kString:
    case ScalarKind::kDate:
    case ScalarKind::kDateTime: return v.IsString();
    case ScalarKind::kBool: return v.IsBool();
    case ScalarKind::kI32:
    case ScalarKind::kI64: return v.IsInt64();
    case ScalarKind::kU32:
    case ScalarKind::kU64: return v.IsUint64();
    case ScalarKind::kF32:
    case ScalarKind::kF64: return v.IsNumber();
    default: return false;
  }
}

// The value of `type.property` on the best-connected seed node that has one
// (list properties give their first element); nullptr when none has it.
const rapidjson::Value* seed_value(const Seed& seed, const std::string& type,
                                   const std::string& property) {
  auto it = seed.nodes.find(type);
  if (it == seed.nodes.end()) return nullptr;
  const rapidjson::Value* best = nullptr;
  uint64_t best_degree = 0;
  for (const SeedNode& node : it->second) {
    if (node.data == nullptr || !node.data->HasMember(property.c_str())) continue;
    const rapidjson::Value* v = &(*node.data)[property.c_str()];
    if (v->IsArray()) v = v->Empty() ? nullptr : &(*v)[0];
    if (v == nullptr || v->IsNull()) continue;
    auto d = seed.degree.find(node.id);
    uint64_t degree = d == seed.degree.end() ? 0 : d->second;
    if (best == nullptr || degree > best_degree) {
      best = v;
      best_degree = degree;
    }
  }
  return best;
}

std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return buf.GetString();
}

std::string read_params(const Cookbook& book, const ir::ReadPlan& plan) {
  ParamUses uses;
  if (plan.rank) collect_rank_uses(plan.rank->expr, plan.pipeline, uses);
  collect_uses(plan.pipeline, {}, uses);
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& alloc = doc.GetAllocator();
  for (const ir::ParamDecl& decl : plan.params) {
    rapidjson::Value value;
    auto use = uses.find(decl.name);
    const rapidjson::Value* from_seed =
        use == uses.end() ? nullptr : seed_value(book.seed, use->second.first, use->second.second);
    if (from_seed != nullptr && !decl.type.list && fits(*from_seed, decl.type)) {
      value.CopyFrom(*from_seed, alloc);
    } else {
      default_param(decl.type, value, alloc, "cookbook");
    }
    doc.AddMember(rapidjson::Value(decl.name.c_str(), alloc), value, alloc);
  }
  return to_json(doc);
}

// --- 2. every read query runs ----------------------------------------------------

TEST(CookbookEngine, EveryReadQueryRuns) {
  SKIP_WITHOUT_COOKBOOKS();
  MockEmbedder mock;
  // name -> {read queries, of which call a search function}; counted from
  // the .gq files (597 queries in all, see the compiler's cookbook test).
  const std::map<std::string, std::pair<size_t, size_t>> expected = {
      {"industry-intel", {42, 7}},
      {"pharma-intel", {70, 1}},
      {"second-brain", {74, 0}},
      {"vc-os", {204, 5}},
  };
  size_t all_run = 0, all_with_rows = 0, search_run = 0, search_with_rows = 0;
  for (const std::string& name : kCookbookNames) {
    SCOPED_TRACE(name);
    const Cookbook& book = cookbook(name);
    auto graph = seeded_graph(book);
    size_t total = 0, run = 0, searches = 0, with_rows = 0;
    for (const QueryFileText& file : book.files) {
      for (const auto& decl : file.parsed.queries) {
        ir::Plan plan = ir::compile_query(*book.catalog, decl);
        if (plan.mutation) continue;
        ++total;
        bool search = uses_search(plan.read);
        if (search) ++searches;
        std::string params = read_params(book, plan.read);
        SCOPED_TRACE(file.path + ": " + decl.name + " " + params);
        try {
          ReadResult result = graph->read(read_request(file.source, decl.name, params));
          ++run;
          if (!result.rows.empty()) ++with_rows;
          if (search) {
            ++search_run;
            // A search for a value the seed holds finds its node.
            if (!result.rows.empty()) ++search_with_rows;
          }
          EXPECT_EQ(result.columns.size(), plan.read.projections.size());
          for (const auto& row : result.rows) ASSERT_EQ(row.size(), result.columns.size());
          if (plan.read.limit) {
            EXPECT_LE(result.rows.size(), *plan.read.limit);
          }
        } catch (const std::exception& e) {
          ADD_FAILURE() << "read failed: " << e.what();
        }
      }
    }
    std::cout << "[cookbook " << name << "] read queries: " << total << " total, " << run
              << " run (" << with_rows << " with rows), " << searches << " use search\n";
    EXPECT_EQ(total, expected.at(name).first);
    EXPECT_EQ(searches, expected.at(name).second);
    EXPECT_EQ(run, total);
    all_run += run;
    all_with_rows += with_rows;
  }
  EXPECT_EQ(all_run, 390u);
  EXPECT_EQ(search_run, 13u);
  // Search queries are given a value of the searched property, so they
  // find rows: all but vc-os hybrid.gq's two, which search Chunk, a type
  // the seed holds no rows of.
  EXPECT_EQ(search_with_rows, search_run - 2);
  // The derived parameters point at real, connected nodes, so most queries
  // find something; a regression to "everything empty" must not pass.
  EXPECT_GT(all_with_rows, 300u);
}

// --- 3. results checked against the seed, worked out by hand --------------------

// Runs a read query of a cookbook on a freshly seeded graph (cached per cookbook).
ReadResult run_read(const std::string& name, const std::string& query,
                    const std::string& params = "") {
  static std::map<std::string, std::unique_ptr<Graph>> graphs;
  const Cookbook& book = cookbook(name);
  auto& graph = graphs[name];
  if (!graph) graph = seeded_graph(book);
  return graph->read(read_request(book.file_of(query).source, query, params));
}

ReadResult run_source(const std::string& name, const std::string& source,
                      const std::string& params = "") {
  const Cookbook& book = cookbook(name);
  static std::map<std::string, std::unique_ptr<Graph>> graphs;
  auto& graph = graphs[name];
  if (!graph) graph = seeded_graph(book);
  return graph->read(read_request(source, "", params));
}

std::string cell(const Value& v) {
  return v.kind() == Value::Kind::kString ? v.as_string() : v.debug_string();
}

// The named columns of every row, joined with '|', in result order.
Rows cols(const ReadResult& r, const std::vector<std::string>& names) {
  std::vector<size_t> idx;
  for (const auto& n : names) {
    auto it = std::find(r.columns.begin(), r.columns.end(), n);
    EXPECT_NE(it, r.columns.end()) << "no column " << n;
    if (it == r.columns.end()) return {};
    idx.push_back(static_cast<size_t>(it - r.columns.begin()));
  }
  Rows out;
  for (const auto& row : r.rows) {
    std::string line;
    for (size_t i = 0; i < idx.size(); ++i) {
      if (i) line += "|";
      line += cell(row[idx[i]]);
    }
    out.push_back(line);
  }
  return out;
}

Rows sorted(Rows rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(CookbookEngine, IndustryIntelResultsMatchTheSeed) {
  SKIP_WITHOUT_COOKBOOKS();
  const std::string ii = "industry-intel";
  // Of the 15 signals only Gartner's has neither a SpottedInArtifact nor a
  // SourcedFromSource edge.
  EXPECT_EQ(cols(run_read(ii, "unsourced_signals"), {"s.slug", "s.stagingTimestamp"}),
            (Rows{"sig-gartner-50pct-context-graphs|2026-04-01T00:00:00.000Z"}));
  // Every signal forms a pattern, so the triage queue is empty.
  EXPECT_TRUE(run_read(ii, "orphan_signals").rows.empty());
  // Signals on/after 2026-03-01 per pattern (zylon is exactly at the cutoff).
  EXPECT_EQ(sorted(cols(run_read(ii, "pattern_momentum", R"({"since":"2026-03-01T00:00:00Z"})"),
                        {"p.slug", "recent_signals"})),
            sorted({"pat-sovereign-ai|1", "pat-saaspocalypse|1", "pat-context-graphs|3",
                    "pat-new-cyber-threats|2", "pat-accelerated-research|1"}));
  // After 2026-03-19 only context graphs (forbes, gartner) and cyber threats
  // (mythos) got signals.
  EXPECT_EQ(sorted(cols(run_read(ii, "stale_patterns", R"({"since":"2026-03-19T00:00:00Z"})"),
                        {"p.slug"})),
            sorted({"pat-sovereign-ai", "pat-saaspocalypse", "pat-accelerated-research"}));
  // No ContradictsPattern edges in the seed: grouped aggregate over no rows.
  EXPECT_TRUE(run_read(ii, "contested_patterns").rows.empty());
  EXPECT_EQ(cols(run_read(ii, "pattern_signals", R"({"slug":"pat-context-graphs"})"), {"s.slug"}),
            (Rows{"sig-forbes-context-graphs", "sig-gartner-50pct-context-graphs",
                  "sig-edra-30m-series-a"}));
  // All 15 signals newest first; the 03-18 and 02-01 ties are compared as a set.
  ReadResult recent = run_read(ii, "recent_signals");
  Rows stamps;
  for (const auto& ts : cols(recent, {"s.stagingTimestamp"})) stamps.push_back(ts.substr(0, 10));
  EXPECT_EQ(stamps, (Rows{"2026-04-07", "2026-04-03", "2026-04-01", "2026-03-18", "2026-03-18",
                          "2026-03-18", "2026-03-07", "2026-03-01", "2026-02-04", "2026-02-01",
                          "2026-02-01", "2026-01-29", "2026-01-26", "2026-01-07", "2025-06-16"}));
  Rows slugs = cols(recent, {"s.slug"});
  ASSERT_EQ(slugs.size(), 15u);
  EXPECT_EQ(slugs.front(), "sig-mythos-181-exploits");
  EXPECT_EQ(slugs.back(), "sig-alphaevolve-matrix-multiply");
  EXPECT_EQ(sorted({slugs[3], slugs[4], slugs[5]}),
            sorted({"sig-sap-consumption-pricing", "sig-edra-30m-series-a",
                    "sig-meta-rogue-agent-breach"}));
}

TEST(CookbookEngine, PharmaIntelResultsMatchTheSeed) {
  SKIP_WITHOUT_COOKBOOKS();
  const std::string ph = "pharma-intel";
  // The oral program competes in the GLP-1R agonist mechanism; the compounds
  // targeting it, by phase text: approved < discontinued < phase-1 < ...
  EXPECT_EQ(cols(run_read(ph, "program_competitors", R"({"slug":"prog-vk2735-oral"})"),
                 {"c.slug", "c.phase"}),
            (Rows{"comp-semaglutide|approved", "comp-danuglipron|discontinued",
                  "comp-ct-996|phase-1", "comp-gsbr-209|phase-2", "comp-orforglipron|phase-3"}));
  // Three hops: program -> mechanism <- compounds <- signals, newest first.
  EXPECT_EQ(cols(run_read(ph, "program_landscape_signals", R"({"slug":"prog-vk2735-oral"})"),
                 {"s.slug", "c.slug"}),
            (Rows{"sig-structure-gsbr-p2a-disappointing|comp-gsbr-209",
                  "sig-lilly-attain-positive|comp-orforglipron",
                  "sig-pfizer-danuglipron-discontinued|comp-danuglipron",
                  "sig-lilly-surmount-5-headhead|comp-semaglutide",
                  "sig-wegovy-cvd-label-expansion|comp-semaglutide"}));
  EXPECT_EQ(
      cols(run_read(ph, "program_landscape_signals", R"({"slug":"prog-vk2735-sc"})"),
           {"s.slug", "c.slug"}),
      (Rows{"sig-viking-vanquish-init|comp-vk2735-sc", "sig-zepbound-osa-approval|comp-tirzepatide",
            "sig-lilly-surmount-5-headhead|comp-tirzepatide",
            "sig-viking-oral-p2-init|comp-vk2735-oral", "sig-viking-venture-p2|comp-vk2735-sc"}));
  EXPECT_EQ(cols(run_read(ph, "program_signals", R"({"slug":"prog-vk2735-sc"})"),
                 {"s.slug", "s.stagingTimestamp"}),
            (Rows{"sig-viking-vanquish-init|2025-03-12T00:00:00.000Z",
                  "sig-viking-venture-p2|2024-02-27T00:00:00.000Z"}));
  EXPECT_EQ(cols(run_read(ph, "patterns_all"), {"p.slug"}),
            (Rows{"pat-efficacy-ceiling", "pat-glp1-pipeline-explosion", "pat-oral-glp1-thesis",
                  "pat-payer-pushback"}));
  // By level, then name ("VK2735 SC..." < "VK2735 has..." byte-wise).
  EXPECT_EQ(
      cols(run_read(ph, "assumptions_all"), {"a.slug", "a.level"}),
      (Rows{"asmp-efficacy-matches-tirzepatide|competitive",
            "asmp-best-in-class-tolerability|competitive",
            "asmp-payer-coverage-sustainable|investment", "asmp-mechanism-safe-at-scale|scientific",
            "asmp-oral-displaces-injectable|strategic"}));
  EXPECT_EQ(cols(run_read(ph, "decisions_all"), {"d.slug", "d.decision_date"}),
            (Rows{"dec-vanquish-interim-readout|2026-07-15", "dec-oral-phase3-start|2026-09-30"}));
}

TEST(CookbookEngine, SecondBrainResultsMatchTheSeed) {
  SKIP_WITHOUT_COOKBOOKS();
  const std::string sb = "second-brain";
  // Tasks I owe that are neither done nor cancelled, by due date.
  EXPECT_EQ(
      cols(run_read(sb, "tasks_i_owe"), {"t.slug"}),
      (Rows{"tk-respond-marco", "tk-call-mom-sunday", "tk-send-theo-book", "tk-followup-kenji"}));
  EXPECT_EQ(cols(run_read(sb, "tasks_they_owe"), {"t.slug", "t.status"}),
            (Rows{"tk-hannah-callback|waiting"}));
  EXPECT_EQ(cols(run_read(sb, "tasks_by_context", R"({"context":"phone"})"), {"t.slug"}),
            (Rows{"tk-respond-marco", "tk-call-mom-sunday", "tk-pediatrician-sam"}));
  // Two bindings in one component: $t is deferred and filters the reverse expand.
  EXPECT_EQ(cols(run_read(sb, "tasks_waiting_on_person", R"({"slug":"per-hannah"})"), {"t.slug"}),
            (Rows{"tk-hannah-callback"}));
  // Janet has two tasks; only the call has direction i-owe (the gift's is null).
  EXPECT_EQ(cols(run_read(sb, "person_tasks_i_owe", R"({"slug":"per-janet"})"), {"t.slug"}),
            (Rows{"tk-call-mom-sunday"}));
  EXPECT_EQ(cols(run_read(sb, "task_dependencies", R"({"slug":"tk-confirm-japan"})"),
                 {"dep.slug", "dep.status"}),
            (Rows{"tk-renew-passport|next"}));
  // cadence 14, 21, 21, 30: Theo and Marco tie.
  ReadResult friends = run_read(sb, "close_friends");
  EXPECT_EQ(cols(friends, {"p.cadence_days"}), (Rows{"14", "21", "21", "30"}));
  Rows who = cols(friends, {"p.slug"});
  ASSERT_EQ(who.size(), 4u);
  EXPECT_EQ(who[0], "per-priya");
  EXPECT_EQ(sorted({who[1], who[2]}), sorted({"per-theo", "per-marco"}));
  EXPECT_EQ(who[3], "per-lia");
  EXPECT_EQ(
      cols(run_read(sb, "people_all"), {"p.name"}),
      (Rows{"Alex Chen", "Bea Okafor", "David Park", "Elena Park", "Hannah Chen", "Janet Chen",
            "Jordan Wright", "Kenji Tanaka", "Lia Bellini", "Marco Bellini", "Maya Park",
            "Noa Chen-Park", "Priya Shah", "Robert Chen", "Sam Chen-Park", "Theo Rivera"}));
  EXPECT_EQ(sorted(cols(run_read(sb, "person_knows", R"({"slug":"per-maya"})"), {"other.slug"})),
            sorted({"per-theo", "per-lia"}));
  // BFS over the symmetric Knows edges (§4.3): Maya reaches Theo and Lia at
  // hop 1, then Alex (per-self) and Marco at hop 2; she never reaches herself.
  const std::string fof =
      "query q($s: String) { match { $p: Person { slug: $s } $p knows{2,2} $f } "
      "return { $f.slug } }";
  EXPECT_EQ(sorted(cols(run_source(sb, fof, R"({"s":"per-maya"})"), {"f.slug"})),
            sorted({"per-self", "per-marco"}));
  const std::string upto2 =
      "query q($s: String) { match { $p: Person { slug: $s } $p knows{1,2} $f } "
      "return { $f.slug } }";
  EXPECT_EQ(sorted(cols(run_source(sb, upto2, R"({"s":"per-maya"})"), {"f.slug"})),
            sorted({"per-theo", "per-lia", "per-self", "per-marco"}));
}

TEST(CookbookEngine, VcOsResultsMatchTheSeed) {
  SKIP_WITHOUT_COOKBOOKS();
  const std::string vc = "vc-os";
  EXPECT_EQ(cols(run_read(vc, "portfolio_book"), {"c.slug"}),
            (Rows{"org-aetherbrick", "org-bramble-data", "org-pinion-infer", "org-quirebench",
                  "org-saltline-ai"}));
  // Fund III's deals whose company is in the portfolio, by company name.
  EXPECT_EQ(
      cols(run_read(vc, "fund_portfolio", R"({"fund_slug":"fund-iii"})"), {"c.slug", "d.slug"}),
      (Rows{"org-bramble-data|deal-bramble-series-a", "org-pinion-infer|deal-pinion-series-a",
            "org-quirebench|deal-quirebench-seed"}));
  // Fund II: two Aetherbrick rounds (a tie on the name), then Saltline.
  Rows fund2 =
      cols(run_read(vc, "fund_portfolio", R"({"fund_slug":"fund-ii"})"), {"c.slug", "d.slug"});
  ASSERT_EQ(fund2.size(), 3u);
  EXPECT_EQ(sorted({fund2[0], fund2[1]}), sorted({"org-aetherbrick|deal-aetherbrick-seed",
                                                  "org-aetherbrick|deal-aetherbrick-series-a"}));
  EXPECT_EQ(fund2[2], "org-saltline-ai|deal-saltline-seed");
  // Open questions on portfolio deals; Bramble's is only "partial".
  // Ordered by priority desc as text: "normal" > "high".
  ReadResult open_q = run_read(vc, "portfolio_open_questions");
  EXPECT_EQ(cols(open_q, {"q.priority"}), (Rows{"normal", "high", "high"}));
  EXPECT_EQ(sorted(cols(open_q, {"c.slug", "q.slug"})),
            sorted({"org-quirebench|q-quirebench-runway", "org-aetherbrick|q-aetherbrick-follow-on",
                    "org-pinion-infer|q-pinion-defensibility"}));
  EXPECT_EQ(cols(run_read(vc, "reserve_pressure", R"({"fund_slug":"fund-iii"})"),
                 {"c.slug", "d.slug", "q.slug"}),
            (Rows{"org-pinion-infer|deal-pinion-series-a|q-pinion-defensibility"}));
  // The "contradicted" thesis is not active, so its contradiction is left out.
  EXPECT_EQ(cols(run_read(vc, "contradicted_active_theses"), {"t.slug", "s.slug", "s.date"}),
            (Rows{"thesis-on-prem-inference|sig-aws-bedrock-onprem|2026-03-04",
                  "thesis-agentic-crms|sig-pulserate-pass-vindication|2026-02-12"}));
  EXPECT_EQ(cols(run_read(vc, "portco_rounds", R"({"slug":"org-aetherbrick"})"),
                 {"d.slug", "d.date_closed", "d.our_check_size_usd_m"}),
            (Rows{"deal-aetherbrick-seed|2021-09-10|2", "deal-aetherbrick-series-a|2023-06-04|4"}));
}

// --- 4. every mutation runs on a freshly seeded graph ------------------------------

struct MutationCase {
  std::string params;
  uint64_t node_inserts = 0;
  uint64_t edge_inserts = 0;
  std::string refusal;  // expected error text (a substring); "" = must succeed
};

// Parameters for a mutation, plus what the spec says must happen with them.
MutationCase derive_mutation(const Cookbook& book, const ir::MutationPlan& plan) {
  MutationCase out;
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& alloc = doc.GetAllocator();
  std::map<std::string, const compiler::Type*> decl_types;
  for (const auto& d : plan.params) decl_types[d.name] = &d.type;
  auto set = [&](const std::string& param, rapidjson::Value value) {
    if (doc.HasMember(param.c_str())) return;
    doc.AddMember(rapidjson::Value(param.c_str(), alloc), value, alloc);
  };
  // A value of a property: an existing one when the seed has it, else a default.
  auto property_value = [&](const std::string& owner, const compiler::Property& prop,
                            const std::string& param) {
    rapidjson::Value v;
    const compiler::Type& declared = *decl_types.at(param);
    const rapidjson::Value* s = seed_value(book.seed, owner, prop.name);
    if (s != nullptr && !declared.list && fits(*s, declared)) {
      v.CopyFrom(*s, alloc);
    } else if (prop.type.is_enum()) {
      v.SetString(prop.type.enum_values.front().c_str(), alloc);
    } else {
      default_param(declared, v, alloc, "cookbook " + param);
    }
    return v;
  };
  for (const ir::MutationOp& op : plan.ops) {
    if (op.kind == ir::MutationOp::Kind::kInsert && !op.edge) {
      ++out.node_inserts;
      const compiler::NodeType& type = *book.catalog->find_node_type(op.type_name);
      std::set<std::string> assigned;
      for (const ir::Assignment& a : op.assignments) {
        assigned.insert(a.property);
        if (a.value.kind != ir::Expr::Kind::kParam) continue;
        const compiler::Property& prop = *type.find_property(a.property);
        if (type.key_property() == &prop) {
          // A fresh key: the insert adds a row instead of upserting one.
          set(a.value.name, rapidjson::Value(("cookbook-new-" + plan.name).c_str(), alloc));
        } else {
          set(a.value.name, property_value(type.name, prop, a.value.name));
        }
      }
      // A non-nullable property left unassigned is refused at run time,
      // unless it is an @embed target whose source is assigned: the engine
      // embeds it on insert (the mock embedder in these tests).
      for (const compiler::Property& p : type.properties) {
        bool embedded = p.embed_source && assigned.count(*p.embed_source);
        if (!p.type.nullable && !embedded && !assigned.count(p.name) && out.refusal.empty()) {
          out.refusal = "missing required property '" + p.name + "'";
        }
      }
    } else if (op.kind == ir::MutationOp::Kind::kInsert) {
      ++out.edge_inserts;
      const compiler::EdgeType& type = *book.catalog->find_edge_type(op.type_name);
      std::string from_id;
      for (const ir::Assignment& a : op.assignments) {
        if (a.value.kind != ir::Expr::Kind::kParam) continue;
        if (a.property == "from" || a.property == "to") {
          const std::string& node_type = a.property == "from" ? type.from_type : type.to_type;
          auto it = book.seed.nodes.find(node_type);
          std::string id;
          if (a.property == "from") {
            // The source with the fewest edges of this type, so @card(..1)
            // edges can take one more.
            uint64_t best = UINT64_MAX;
            if (it != book.seed.nodes.end()) {
              for (const SeedNode& n : it->second) {
                auto c = book.seed.out_degree.find({type.name, n.id});
                uint64_t count = c == book.seed.out_degree.end() ? 0 : c->second;
                if (count < best) {
                  best = count;
                  id = n.id;
                }
              }
            }
            if (id.empty()) {
              // §4.9: an edge endpoint must be an existing node.
              id = "cookbook-missing";
              out.refusal = "src 'cookbook-missing' not found in " + node_type;
            } else if (type.cardinality.max && best >= *type.cardinality.max) {
              // §4.10: @card is checked per edge insert over committed + pending.
              out.refusal = "@card violation on edge " + type.name + ": source '" + id + "' has " +
                            std::to_string(best + 1) + " edges (max " +
                            std::to_string(*type.cardinality.max) + ")";
            }
            from_id = id;
          } else if (it != book.seed.nodes.end()) {
            for (const SeedNode& n : it->second) {
              if (n.id != from_id) {
                id = n.id;
                break;
              }
            }
          }
          if (id.empty() && out.refusal.empty()) {
            id = "cookbook-missing";
            out.refusal = "dst 'cookbook-missing' not found in " + node_type;
          }
          set(a.value.name, rapidjson::Value(id.c_str(), alloc));
        } else {
          set(a.value.name, property_value("", *type.find_property(a.property), a.value.name));
        }
      }
    } else {
      // update / delete: the predicate compares with an existing value.
      if (op.predicate && op.predicate->value.kind == ir::Expr::Kind::kParam) {
        const std::string& param = op.predicate->value.name;
        const rapidjson::Value* s = seed_value(book.seed, op.type_name, op.predicate->property);
        rapidjson::Value v;
        if (s != nullptr) {
          v.CopyFrom(*s, alloc);
        } else {
          default_param(*decl_types.at(param), v, alloc, "cookbook");
        }
        set(param, std::move(v));
      }
      for (const ir::Assignment& a : op.assignments) {
        if (a.value.kind != ir::Expr::Kind::kParam) continue;
        const compiler::Property& prop =
            *book.catalog->find_node_type(op.type_name)->find_property(a.property);
        set(a.value.name, property_value(op.type_name, prop, a.value.name));
      }
    }
  }
  // Parameters no statement uses still need a value.
  for (const auto& d : plan.params) {
    if (doc.HasMember(d.name.c_str())) continue;
    rapidjson::Value v;
    default_param(d.type, v, alloc, "cookbook");
    set(d.name, std::move(v));
  }
  out.params = to_json(doc);
  return out;
}

TEST(CookbookEngine, EveryMutationRunsOnAFreshlySeededGraph) {
  SKIP_WITHOUT_COOKBOOKS();
  MockEmbedder mock;  // inserts embed @embed targets (vc-os add_chunk)
  const std::map<std::string, size_t> expected_mutations = {
      {"industry-intel", 31}, {"pharma-intel", 35}, {"second-brain", 54}, {"vc-os", 87}};
  // The only mutations the engine must refuse on the seeded graphs:
  // * pharma-intel link_artifact_source: every InformationArtifact already
  //   has its one PublishedBySource edge (@card(0..1)), §4.10;
  // * vc-os link_chunk_of_artifact: the seed has no Chunk, so no source id
  //   can exist (§4.9 "src '…' not found in Chunk"); it succeeds below once
  //   a Chunk is loaded.
  const std::set<std::string> expected_refusals = {"pharma-intel/link_artifact_source",
                                                   "vc-os/link_chunk_of_artifact"};
  std::set<std::string> refused;
  size_t all_run = 0;
  for (const std::string& name : kCookbookNames) {
    SCOPED_TRACE(name);
    const Cookbook& book = cookbook(name);
    const auto seeded = totals(*seeded_graph(book));
    size_t run = 0, ok = 0;
    for (const QueryFileText& file : book.files) {
      for (const auto& decl : file.parsed.queries) {
        ir::Plan plan = ir::compile_query(*book.catalog, decl);
        if (!plan.mutation) continue;
        MutationCase c = derive_mutation(book, plan.write);
        SCOPED_TRACE(file.path + ": " + decl.name + " " + c.params);
        auto graph = seeded_graph(book);
        std::string head = graph->snapshot().commit_id;
        ++run;
        try {
          ChangeResult r = graph->change(change_request(file.source, decl.name, c.params));
          EXPECT_TRUE(c.refusal.empty()) << "expected refusal: " << c.refusal;
          ++ok;
          EXPECT_EQ(r.affected_nodes, c.node_inserts);
          EXPECT_EQ(r.affected_edges, c.edge_inserts);
          EXPECT_NE(r.commit_id, head);
          // Fresh keys: every node insert adds a row; every edge insert adds one.
          EXPECT_EQ(totals(*graph),
                    (std::pair<uint64_t, uint64_t>{seeded.first + c.node_inserts,
                                                   seeded.second + c.edge_inserts}));
        } catch (const Error& e) {
          if (c.refusal.empty()) {
            ADD_FAILURE() << "mutation failed: " << e.what();
          } else {
            refused.insert(name + "/" + decl.name);
            EXPECT_NE(std::string(e.what()).find(c.refusal), std::string::npos) << e.what();
            EXPECT_EQ(e.code(), ErrorCode::kBadRequest) << e.what();
            // A refused write leaves the graph as it was.
            EXPECT_EQ(graph->snapshot().commit_id, head);
            EXPECT_EQ(totals(*graph), seeded);
          }
        }
      }
    }
    std::cout << "[cookbook " << name << "] mutations: " << run << " run, " << ok << " succeeded, "
              << (run - ok) << " refused as the spec requires\n";
    EXPECT_EQ(run, expected_mutations.at(name));
    all_run += run;
  }
  EXPECT_EQ(all_run, 207u);
  EXPECT_EQ(refused, expected_refusals);
}

TEST(CookbookEngine, ChunkLinkSucceedsOnceAChunkExists) {
  SKIP_WITHOUT_COOKBOOKS();
  const Cookbook& book = cookbook("vc-os");
  auto graph = seeded_graph(book);
  // A Chunk can only come from JSONL (its embedding is required).
  std::string vec = "[";
  for (int i = 0; i < 3072; ++i) vec += (i ? ",0.5" : "0.5");
  vec += "]";
  std::istringstream chunk(R"({"type":"Chunk","data":{"slug":"chunk-1","text":"hello",)"
                           R"("chunk_index":0,"createdAt":"2026-05-01T00:00:00Z","embedding":)" +
                           vec + "}}\n");
  LoadRequest append;
  append.mode = engine::LoadMode::kAppend;
  graph->load(chunk, append);
  const std::string artifact = book.seed.nodes.at("Artifact").front().id;
  ChangeResult r = graph->change(
      change_request(book.file_of("link_chunk_of_artifact").source, "link_chunk_of_artifact",
                     R"({"chunk":"chunk-1","artifact":")" + artifact + "\"}"));
  EXPECT_EQ(r.affected_edges, 1u);
  EXPECT_EQ(totals(*graph), (std::pair<uint64_t, uint64_t>{208, 461}));
}

}  // namespace
}  // namespace omnigraph
