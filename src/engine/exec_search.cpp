// Text search and search-mode ordering in the executor (spec §4.5, §4.6):
// text-search ops and bm25 become full-text queries answered by the
// cached inverted index of the searched property; nearest asks the vector
// side (exec_nearest.h); rrf fuses two runs of the pipeline.
#include <algorithm>
#include <unordered_map>

#include "common/error.h"
#include "engine/exec_nearest.h"
#include "engine/exec_ops.h"
#include "engine/search/text/index_cache.h"

namespace omnigraph::engine::exec {

namespace {

using compiler::ir::Rank;
using compiler::ir::TextSearch;
using EK = Expr::Kind;

// The reference's "literal or parameter string": anything else (a missing
// parameter included) is nullopt.
std::optional<std::string> resolve_string(ExecContext& ctx, const Expr& e) {
  if (e.kind == EK::kLiteral) {
    if (e.literal.kind != compiler::query::Literal::Kind::kString) return std::nullopt;
    return literal_value(e.literal).as_string();
  }
  if (e.kind == EK::kParam) {
    const Value* v = ctx.find_param(e.name);
    if (v && v->kind() == Value::Kind::kString) return v->as_string();
  }
  return std::nullopt;
}

// The same for integers (fuzzy max_edits, rrf k).
std::optional<int64_t> resolve_int(ExecContext& ctx, const Expr& e) {
  Value v;
  if (e.kind == EK::kLiteral) {
    if (e.literal.kind != compiler::query::Literal::Kind::kInteger) return std::nullopt;
    v = literal_value(e.literal);
  } else if (e.kind == EK::kParam) {
    const Value* p = ctx.find_param(e.name);
    if (!p) return std::nullopt;
    v = *p;
  }
  if (v.kind() == Value::Kind::kInt) return v.as_int();
  if (v.kind() == Value::Kind::kUInt && v.as_uint() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v.as_uint());
  }
  return std::nullopt;
}

// A full-text query on one property of a scan.
struct TextQuery {
  std::string property;
  std::string text;
  std::optional<uint32_t> max_edits;  // fuzzy
};

constexpr uint32_t kDefaultMaxEdits = 2;

// The effective text search of a scan: the last text-search op on its
// variable whose query resolves (others are silently skipped, like the
// reference's scanner keeps only its last full-text query).
std::optional<TextQuery> scan_text_query(ExecContext& ctx, const Op& scan,
                                         const std::vector<Op>& pipeline) {
  std::optional<TextQuery> out;
  for (const Op& op : pipeline) {
    if (op.kind != Op::Kind::kTextSearch || op.text_search.variable != scan.variable) continue;
    const TextSearch& ts = op.text_search;
    std::optional<std::string> text = resolve_string(ctx, ts.query);
    if (!text) continue;
    TextQuery q{ts.property, std::move(*text), std::nullopt};
    if (ts.mode == TextSearch::Mode::kFuzzy) {
      std::optional<int64_t> edits = ts.max_edits ? resolve_int(ctx, *ts.max_edits) : std::nullopt;
      q.max_edits = edits && *edits >= 0 && *edits <= UINT32_MAX ? static_cast<uint32_t>(*edits)
                                                                 : kDefaultMaxEdits;
    }
    // `search(...) = false` searches all the same (§4.5 quirk).
    out = std::move(q);
  }
  return out;
}

std::shared_ptr<const search::text::InvertedIndex> text_index(ExecContext& ctx,
                                                              const compiler::NodeType& type,
                                                              const std::string& property) {
  const compiler::Property* prop = type.find_property(property);
  if (!prop) {
    throw_bad_request("type '" + type.name + "' has no property '" + property + "'");
  }
  const GraphView& view = ctx.view();
  std::string table_key = type.table_key();
  auto it = view.root().tables.find(table_key);
  Hash root = it == view.root().tables.end() ? Hash{} : it->second.rows;
  uint64_t rows = it == view.root().tables.end() ? 0 : it->second.row_count;
  return search::text::IndexCache::global().get(view.nodes(), table_key, root, rows, prop->id,
                                                view.refs());
}

// Fetches the nodes of `ids` in that order, keeping those that pass the
// inline matches (and `accept`), stopping after `first_rows`.
template <typename Ids, typename Accept>
std::vector<EntityRef> fetch_in_order(ExecContext& ctx, const compiler::NodeType& type,
                                      const Ids& ids, const std::vector<InlineMatch>& matches,
                                      std::optional<size_t> first_rows, Accept&& accept) {
  std::vector<EntityRef> out;
  for (const auto& id : ids) {
    if (first_rows && out.size() >= *first_rows) break;
    std::string_view key(id);
    if (!accept(key)) continue;
    std::optional<Row> row = ctx.view().node(type, key);
    if (!row || !passes_inline_matches(type, *row, matches)) continue;
    out.push_back(ctx.node(type, key, *row));
  }
  return out;
}

}  // namespace

SearchMode search_mode(ExecContext& ctx, const compiler::ir::ReadPlan& plan, const Expr& rank) {
  SearchMode mode;
  if (rank.kind == EK::kNearest) {
    mode.kind = SearchMode::Kind::kNearest;
    mode.variable = rank.variable;
    mode.nearest = &rank;
    mode.k = plan.limit ? static_cast<size_t>(*plan.limit) : 0;
    return mode;
  }
  if (rank.kind != EK::kBm25) return mode;
  if (rank.args.size() < 2 || rank.args[0].kind != EK::kPropAccess) {
    throw_bad_request("bm25 field must be a property access");
  }
  std::optional<std::string> text = resolve_string(ctx, rank.args[1]);
  if (!text) throw_bad_request("bm25 query must resolve to a string");
  mode.kind = SearchMode::Kind::kBm25;
  mode.variable = rank.args[0].variable;
  mode.property = rank.args[0].name;
  mode.query = std::move(*text);
  return mode;
}

std::optional<std::vector<EntityRef>> search_scan(ExecContext& ctx, const Op& scan,
                                                  const std::vector<InlineMatch>& matches,
                                                  const std::vector<Op>& pipeline,
                                                  const SearchMode* mode) {
  bool moded = mode && mode->kind != SearchMode::Kind::kNone && mode->variable == scan.variable;
  std::optional<TextQuery> text = scan_text_query(ctx, scan, pipeline);
  if (moded && mode->kind == SearchMode::Kind::kBm25) {
    // bm25 is the scan's last full-text query: it replaces a text search.
    text = TextQuery{mode->property, mode->query, std::nullopt};
  }
  bool nearest = moded && mode->kind == SearchMode::Kind::kNearest;
  if (!text && !nearest) return std::nullopt;

  const compiler::NodeType* type = ctx.catalog().find_node_type(scan.type_name);
  if (!type) throw_bad_request("unknown node type '" + scan.type_name + "'");
  std::optional<size_t> first_rows = mode ? mode->first_rows : std::nullopt;

  std::vector<search::text::SearchHit> hits;
  std::shared_ptr<const search::text::InvertedIndex> index;
  if (text) {
    index = text_index(ctx, *type, text->property);
    // Without inline matches every hit is a row: only the first are needed.
    std::optional<size_t> limit = !nearest && matches.empty() ? first_rows : std::nullopt;
    hits = index->search(text->text, text->max_edits, limit);
  }
  if (!nearest) {
    std::vector<std::string_view> ids;
    ids.reserve(hits.size());
    for (const auto& h : hits) ids.push_back(h.id);
    return fetch_in_order(ctx, *type, ids, matches, first_rows,
                          [](std::string_view) { return true; });
  }

  // k-NN first, then the inline matches and any text search as
  // post-filters (the reference's storage default, §4.6).
  std::vector<std::string> ids = nearest_ids(ctx, *type, *mode->nearest, mode->k);
  if (!text) {
    return fetch_in_order(ctx, *type, ids, matches, std::nullopt,
                          [](std::string_view) { return true; });
  }
  std::unordered_map<std::string_view, bool> matched;
  for (const auto& h : hits) matched.emplace(h.id, true);
  return fetch_in_order(ctx, *type, ids, matches, std::nullopt,
                        [&](std::string_view id) { return matched.count(id) > 0; });
}

std::vector<ExecRow> rrf_rows(ExecContext& ctx, const compiler::ir::ReadPlan& plan,
                              std::set<std::string>& bound) {
  const Expr& rrf = plan.rank->expr;
  int64_t k = 60;
  if (rrf.args.size() > 2) {
    if (std::optional<int64_t> v = resolve_int(ctx, rrf.args[2])) k = *v;
  }
  size_t limit = plan.limit ? static_cast<size_t>(*plan.limit) : 0;
  const std::string& variable = plan.rank->variable;

  // One run of the whole pipeline per sub-search.
  struct Run {
    std::vector<ExecRow> rows;
    std::vector<std::string> ids;  // the searched variable's id per row
  };
  auto run = [&](const Expr& sub) {
    SearchMode mode = search_mode(ctx, plan, sub);
    if (mode.kind == SearchMode::Kind::kNearest) mode.k = limit;
    RowSet rows;
    std::set<std::string> b = run_pipeline(ctx, plan.pipeline, rows, {}, &mode);
    bound.insert(b.begin(), b.end());
    Run r;
    if (rows) r.rows = std::move(*rows);
    if (!r.rows.empty() && !b.count(variable)) {
      throw_bad_request("batch missing '" + variable + ".id' column for RRF");
    }
    size_t slot = r.rows.empty() ? 0 : ctx.slot(variable);
    for (const ExecRow& row : r.rows) {
      r.ids.push_back(row[slot] ? row[slot]->id.as_string() : std::string());
    }
    return r;
  };
  Run a = run(rrf.args[0]);
  Run b = run(rrf.args[1]);

  // rank = index of an id's first row in a run; candidates = a's ids, then
  // ids only in b, each once; score = sum of 1 / (k + rank + 1).
  std::unordered_map<std::string_view, size_t> rank_a, rank_b;
  for (size_t i = 0; i < a.ids.size(); ++i) rank_a.emplace(a.ids[i], i);
  for (size_t i = 0; i < b.ids.size(); ++i) rank_b.emplace(b.ids[i], i);
  struct Candidate {
    std::string_view id;
    double score;
    const ExecRow* row;
  };
  std::vector<Candidate> candidates;
  auto score = [&](std::string_view id) {
    double s = 0;
    double kk = static_cast<double>(k);
    if (auto it = rank_a.find(id); it != rank_a.end()) {
      s += 1.0 / (kk + static_cast<double>(it->second) + 1.0);
    }
    if (auto it = rank_b.find(id); it != rank_b.end()) {
      s += 1.0 / (kk + static_cast<double>(it->second) + 1.0);
    }
    return s;
  };
  for (size_t i = 0; i < a.ids.size(); ++i) {
    if (rank_a.at(a.ids[i]) == i) candidates.push_back({a.ids[i], score(a.ids[i]), &a.rows[i]});
  }
  for (size_t i = 0; i < b.ids.size(); ++i) {
    if (rank_b.at(b.ids[i]) == i && !rank_a.count(b.ids[i])) {
      candidates.push_back({b.ids[i], score(b.ids[i]), &b.rows[i]});
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& x, const Candidate& y) { return x.score > y.score; });
  if (candidates.size() > limit) candidates.resize(limit);
  std::vector<ExecRow> out;
  out.reserve(candidates.size());
  for (const Candidate& c : candidates) out.push_back(*c.row);
  return out;
}

}  // namespace omnigraph::engine::exec
