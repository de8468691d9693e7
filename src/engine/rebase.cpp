#include "engine/rebase.h"

#include <set>
#include <vector>

#include "common/error.h"
#include "engine/graph_view.h"
#include "engine/graph_writer.h"
#include "engine/merge_validation.h"
#include "engine/table_merge.h"
#include "prolly/diff.h"

namespace omnigraph::engine {

namespace {

const TableState* find_table(const GraphRoot& root, const std::string& key) {
  auto it = root.tables.find(key);
  return it == root.tables.end() ? nullptr : &it->second;
}

bool same(const TableState* a, const TableState* b) {
  if (a == nullptr || b == nullptr) return a == b;
  return a->same_content(*b);
}

uint64_t version_of(const TableState* table) {
  return table ? table->version : 0;
}

std::vector<prolly::DiffEntry> diff_rows(prolly::NodeStore& nodes, const TableState* from,
                                         const TableState* to) {
  std::vector<prolly::DiffEntry> out;
  prolly::diff(nodes, from ? from->rows : Hash{}, to ? to->rows : Hash{},
               [&](const prolly::DiffEntry& entry) { out.push_back(entry); });
  return out;
}

// Tables whose changes can combine with a change of `key` into something
// neither side wrote: the table itself, an edge's endpoint node tables, a
// node table's edge tables.
std::set<std::string> related_tables(const compiler::Catalog& catalog, const std::string& key) {
  std::set<std::string> out{key};
  if (const compiler::EdgeType* edge = catalog.edge_for_table_key(key)) {
    out.insert("node:" + edge->from_type);
    out.insert("node:" + edge->to_type);
  } else if (const compiler::NodeType* node = catalog.node_for_table_key(key)) {
    for (const compiler::EdgeType* e : catalog.edges_from(node->name)) out.insert(e->table_key());
    for (const compiler::EdgeType* e : catalog.edges_to(node->name)) out.insert(e->table_key());
  }
  return out;
}

// Whether two diffs (both in key order) name a common row.
bool touch_common_row(const std::vector<prolly::DiffEntry>& a,
                      const std::vector<prolly::DiffEntry>& b) {
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].key == b[j].key) return true;
    if (a[i].key < b[j].key) {
      ++i;
    } else {
      ++j;
    }
  }
  return false;
}

}  // namespace

TwoSidedChanges collect_changes(prolly::NodeStore& nodes, const compiler::Catalog& catalog,
                                const GraphRoot& base, const GraphRoot& a, const GraphRoot& b) {
  TwoSidedChanges out;
  std::set<std::string> keys;
  for (const GraphRoot* root : {&base, &a, &b}) {
    for (const auto& entry : root->tables) keys.insert(entry.first);
  }
  for (const std::string& key : keys) {
    const TableState* base_table = find_table(base, key);
    if (!same(base_table, find_table(a, key))) out.a_changed.insert(key);
    if (!same(base_table, find_table(b, key))) out.b_changed.insert(key);
  }
  auto needs_rows = [&](const std::string& key, const std::set<std::string>& other) {
    for (const std::string& related : related_tables(catalog, key)) {
      if (other.contains(related)) return true;
    }
    return false;
  };
  for (const std::string& key : out.a_changed) {
    if (needs_rows(key, out.b_changed)) {
      out.a.tables[key] = diff_rows(nodes, find_table(base, key), find_table(a, key));
    }
  }
  for (const std::string& key : out.b_changed) {
    if (needs_rows(key, out.a_changed)) {
      out.b.tables[key] = diff_rows(nodes, find_table(base, key), find_table(b, key));
    }
  }
  return out;
}

void throw_stale_view(const std::string& table_key, uint64_t expected, uint64_t actual) {
  Error error(ErrorCode::kConflict, "stale view of '" + table_key +
                                        "': expected manifest table version " +
                                        std::to_string(expected) + " but current is " +
                                        std::to_string(actual) + " — refresh and retry");
  error.with_manifest_conflict(ManifestConflict{table_key, expected, actual});
  throw error;
}

GraphRoot rebase_write(prolly::NodeStore& nodes,
                       const std::shared_ptr<const compiler::Catalog>& catalog,
                       const GraphRoot& base, const GraphRoot& ours, const GraphRoot& current,
                       const std::string& branch) {
  TwoSidedChanges changes = collect_changes(nodes, *catalog, base, ours, current);
  const std::set<std::string>& ours_changed = changes.a_changed;
  const std::set<std::string>& theirs_changed = changes.b_changed;
  SideChanges& mine = changes.a;
  SideChanges& theirs = changes.b;
  if (current.schema != base.schema) {
    // A schema change is never replayed across: the write was typed
    // against the old schema. Report a table this writer changed.
    std::string key = !ours_changed.empty()     ? *ours_changed.begin()
                      : !current.tables.empty() ? current.tables.begin()->first
                                                : std::string("schema");
    throw_stale_view(key, version_of(find_table(base, key)), version_of(find_table(current, key)));
  }

  GraphRoot result = current;
  std::vector<std::string> row_merged;
  for (const std::string& key : ours_changed) {
    const TableState* b = find_table(base, key);
    const TableState* c = find_table(current, key);
    if (theirs_changed.contains(key)) {
      if (touch_common_row(mine.tables[key], theirs.tables[key])) {
        throw_stale_view(key, version_of(b), version_of(c));
      }
      row_merged.push_back(key);
      continue;
    }
    const TableState* o = find_table(ours, key);
    if (o == nullptr) {
      result.tables.erase(key);
      continue;
    }
    TableState adopted = *o;
    adopted.version = version_of(c) + 1;
    adopted.last_branch = branch;
    result.tables[key] = std::move(adopted);
  }
  if (!row_merged.empty()) {
    // Our row changes applied onto their table through a writer, which keeps
    // the adjacency and index trees in step and bumps the table's version.
    GraphWriter writer(catalog, result, nodes);
    for (const std::string& key : row_merged) {
      const TableState* b = find_table(base, key);
      const TableState* o = find_table(ours, key);
      apply_row_changes(nodes, writer, *catalog, key, b ? b->rows : Hash{}, o ? o->rows : Hash{});
    }
    result = writer.finish(branch);
  }

  if (!mine.tables.empty() && !theirs.tables.empty()) {
    GraphView view(catalog, result, nodes);
    std::vector<MergeConflict> failures = validate_rebase(view, mine, theirs);
    if (!failures.empty()) {
      // Report a table the other writer changed: the one this writer had a
      // stale view of (an orphan is found on the edge table, but the other
      // writer may only have changed the endpoint's node table).
      std::string key = failures.front().table_key;
      for (const std::string& related : related_tables(*catalog, key)) {
        if (theirs_changed.contains(related)) {
          if (!theirs_changed.contains(key)) key = related;
          break;
        }
      }
      throw_stale_view(key, version_of(find_table(base, key)),
                       version_of(find_table(current, key)));
    }
  }
  return result;
}

}  // namespace omnigraph::engine
