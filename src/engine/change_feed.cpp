#include "engine/change_feed.h"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/graph_view.h"
#include "prolly/diff.h"

namespace omnigraph::engine {
namespace {

bool allows(const std::vector<std::string>& wanted, std::string_view value) {
  return wanted.empty() || std::find(wanted.begin(), wanted.end(), value) != wanted.end();
}

void check_values(const std::vector<std::string>& values,
                  std::initializer_list<std::string_view> known, std::string_view what) {
  for (const auto& value : values) {
    if (std::find(known.begin(), known.end(), value) == known.end()) {
      throw_bad_request("unknown change " + std::string(what) + " '" + value + "'");
    }
  }
}

}  // namespace

ChangeStats diff_graph_roots(prolly::NodeStore& nodes, const GraphRoot& from, const GraphRoot& to,
                             uint64_t manifest_version, const ChangeFilter& filter,
                             const std::function<void(const EntityChange&)>& sink) {
  check_values(filter.kinds, {"node", "edge"}, "kind");
  check_values(filter.ops, {"insert", "update", "delete"}, "op");

  // The union of both sides' table keys, ascending (both maps are sorted).
  std::vector<std::string> keys;
  for (const auto& [key, table] : from.tables) keys.push_back(key);
  for (const auto& [key, table] : to.tables) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());

  ChangeStats stats;
  std::set<std::string> types;
  for (const std::string& key : keys) {
    const size_t colon = key.find(':');
    if (colon == std::string::npos) continue;  // not a node or edge table
    const std::string kind = key.substr(0, colon);
    const std::string type_name = key.substr(colon + 1);
    if (!allows(filter.kinds, kind) || !allows(filter.type_names, type_name)) continue;
    const bool is_edge = kind == "edge";

    // An absent table diffs as the empty tree: all inserts or all deletes.
    auto from_it = from.tables.find(key);
    auto to_it = to.tables.find(key);
    const Hash from_rows = from_it == from.tables.end() ? Hash{} : from_it->second.rows;
    const Hash to_rows = to_it == to.tables.end() ? Hash{} : to_it->second.rows;
    if (from_rows == to_rows) continue;

    prolly::Differ differ(nodes, from_rows, to_rows);
    while (auto entry = differ.next()) {
      const char* op = !entry->from ? "insert" : !entry->to ? "delete" : "update";
      if (!allows(filter.ops, op)) continue;
      EntityChange change;
      change.table_key = key;
      change.kind = kind;
      change.type_name = type_name;
      change.id = std::move(entry->key);
      change.op = op;
      change.manifest_version = manifest_version;
      if (is_edge) {
        // A delete has only the old record; everything else reads the new one.
        EdgeRecord record = decode_edge_record(entry->to ? *entry->to : *entry->from);
        change.src = std::move(record.src);
        change.dst = std::move(record.dst);
      }
      if (!entry->from) {
        ++stats.inserts;
      } else if (!entry->to) {
        ++stats.deletes;
      } else {
        ++stats.updates;
      }
      types.insert(type_name);
      sink(change);
    }
  }
  stats.types_affected.assign(types.begin(), types.end());
  return stats;
}

}  // namespace omnigraph::engine
