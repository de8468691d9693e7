#include "engine/graph_view.h"

#include "common/error.h"
#include "common/varint.h"
#include "prolly/tree.h"

namespace omnigraph::engine {

using compiler::EdgeType;
using compiler::NodeType;
using compiler::Property;

namespace {

// The smallest key greater than every key starting with `prefix` (nullopt
// when there is none: the prefix is all 0xff bytes).
std::optional<std::string> prefix_end(std::string prefix) {
  while (!prefix.empty()) {
    unsigned char last = static_cast<unsigned char>(prefix.back());
    if (last != 0xff) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return std::nullopt;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The id at the end of an index or adjacency key, after a prefix of known length.
std::string_view suffix_after(std::string_view key, size_t prefix_size) {
  return key.substr(prefix_size);
}

// The id at the end of an index key: what follows the self-delimiting sort
// key of a scalar value (fixed width per kind, or an escaped string).
std::string_view id_of_index_key(std::string_view key) {
  size_t size = 0;
  switch (static_cast<Value::Kind>(static_cast<unsigned char>(key[0]))) {
    case Value::Kind::kBool: size = 2; break;
    case Value::Kind::kInt:
    case Value::Kind::kUInt:
    case Value::Kind::kFloat:
    case Value::Kind::kDate:
    case Value::Kind::kDateTime: size = 9; break;
    case Value::Kind::kString:
    case Value::Kind::kBlob: {
      size_t i = 1;
      while (i + 1 < key.size() && !(key[i] == '\0' && key[i + 1] == '\1')) {
        i += key[i] == '\0' ? 2 : 1;
      }
      size = i + 2;
      break;
    }
    default: throw_internal("corrupt index key");
  }
  if (size > key.size()) throw_internal("corrupt index key");
  return key.substr(size);
}

bool indexable(const Property& property) {
  const auto& type = property.type;
  return !type.list && !type.is_vector() && !type.is_blob();
}

}  // namespace

std::vector<const Property*> indexed_properties(const NodeType& type) {
  std::vector<const Property*> out;
  const Property* key = type.key_property();
  auto consider = [&](const std::vector<std::vector<std::string>>& declarations) {
    for (const auto& columns : declarations) {
      if (columns.empty()) continue;
      const Property* property = type.find_property(columns.front());
      if (property == nullptr || property == key || !indexable(*property)) continue;
      bool seen = false;
      for (const Property* p : out) seen = seen || p == property;
      if (!seen) out.push_back(property);
    }
  };
  consider(type.indices);
  consider(type.unique_constraints);
  return out;
}

std::string index_name(const Property& property) {
  return "prop:" + property.name;
}

std::string adjacency_prefix(std::string_view node_id) {
  std::string out;
  put_length_prefixed(out, node_id);
  return out;
}

std::string adjacency_key(std::string_view node_id, std::string_view edge_id) {
  std::string out = adjacency_prefix(node_id);
  out.append(edge_id);
  return out;
}

std::string index_key(const Value& value, std::string_view id) {
  std::string out = encode_sort_key(value);
  out.append(id);
  return out;
}

std::string encode_edge_record(const EdgeRecord& edge) {
  std::string out;
  put_length_prefixed(out, edge.src);
  put_length_prefixed(out, edge.dst);
  out.append(encode_row(edge.row));
  return out;
}

EdgeRecord decode_edge_record(std::string_view bytes) {
  ByteReader in(bytes);
  EdgeRecord edge;
  edge.src = std::string(in.length_prefixed());
  edge.dst = std::string(in.length_prefixed());
  edge.row = decode_row(bytes.substr(bytes.size() - in.remaining()));
  return edge;
}

GraphView::GraphView(std::shared_ptr<const compiler::Catalog> catalog, GraphRoot root,
                     prolly::NodeStore& nodes, store::RefStore* refs)
    : catalog_(std::move(catalog)), root_(std::move(root)), nodes_(&nodes), refs_(refs) {}

const TableState* GraphView::table(std::string_view table_key) const {
  auto it = root_.tables.find(std::string(table_key));
  return it == root_.tables.end() ? nullptr : &it->second;
}

uint64_t GraphView::row_count(std::string_view table_key) const {
  const TableState* state = table(table_key);
  return state == nullptr ? 0 : state->row_count;
}

std::optional<Row> GraphView::node(const NodeType& type, std::string_view id) const {
  const TableState* state = table(type.table_key());
  if (state == nullptr) return std::nullopt;
  auto bytes = prolly::Tree(*nodes_, state->rows).get(id);
  if (!bytes) return std::nullopt;
  return decode_row(*bytes);
}

bool GraphView::has_node(const NodeType& type, std::string_view id) const {
  const TableState* state = table(type.table_key());
  return state != nullptr && prolly::Tree(*nodes_, state->rows).get(id).has_value();
}

void GraphView::scan_nodes(const NodeType& type, const NodeVisitor& fn) const {
  const TableState* state = table(type.table_key());
  if (state == nullptr) return;
  prolly::Tree(*nodes_, state->rows)
      .scan("", std::nullopt, [&](std::string_view key, std::string_view value) {
        return fn(key, decode_row(value));
      });
}

bool GraphView::has_index(const NodeType& type, const Property& property) const {
  const TableState* state = table(type.table_key());
  return state != nullptr && state->indexes.count(index_name(property)) > 0;
}

void GraphView::index_equal(const NodeType& type, const Property& property, const Value& value,
                            const IdVisitor& fn) const {
  if (value.is_null()) return;
  index_range(type, property, IndexBound{value, true}, IndexBound{value, true}, fn);
}

void GraphView::index_range(const NodeType& type, const Property& property,
                            const std::optional<IndexBound>& lower,
                            const std::optional<IndexBound>& upper, const IdVisitor& fn) const {
  const TableState* state = table(type.table_key());
  if (state == nullptr) return;
  auto it = state->indexes.find(index_name(property));
  if (it == state->indexes.end()) {
    throw_internal("no index on " + type.name + "." + property.name);
  }
  // Every index key is sort_key(value) + id, and sort keys are
  // self-delimiting, so a value's entries share the prefix sort_key(value).
  std::string lo;
  std::string lower_prefix;
  if (lower) {
    lower_prefix = encode_sort_key(lower->value);
    lo = lower_prefix;
  } else if (upper) {
    lo = std::string(1, static_cast<char>(upper->value.kind()));  // skip nulls (kind 0)
  } else {
    lo = std::string(1, '\1');
  }
  std::optional<std::string> hi;
  if (upper) {
    std::string upper_prefix = encode_sort_key(upper->value);
    hi = upper->inclusive ? prefix_end(upper_prefix) : std::optional<std::string>(upper_prefix);
  }
  std::optional<std::string_view> hi_view;
  if (hi) hi_view = *hi;
  prolly::Tree(*nodes_, it->second).scan(lo, hi_view, [&](std::string_view key, std::string_view) {
    if (lower && !lower->inclusive && starts_with(key, lower_prefix)) return true;
    return fn(id_of_index_key(key));
  });
}

std::optional<EdgeRecord> GraphView::edge(const EdgeType& type, std::string_view id) const {
  const TableState* state = table(type.table_key());
  if (state == nullptr) return std::nullopt;
  auto bytes = prolly::Tree(*nodes_, state->rows).get(id);
  if (!bytes) return std::nullopt;
  return decode_edge_record(*bytes);
}

void GraphView::scan_edges(const EdgeType& type, const EdgeVisitor& fn) const {
  const TableState* state = table(type.table_key());
  if (state == nullptr) return;
  prolly::Tree(*nodes_, state->rows)
      .scan("", std::nullopt, [&](std::string_view key, std::string_view value) {
        return fn(key, decode_edge_record(value));
      });
}

void GraphView::adjacent(const EdgeType& type, AdjacencyDirection direction,
                         std::string_view node_id, const AdjacencyVisitor& fn) const {
  const TableState* state = table(type.table_key());
  if (state == nullptr) return;
  const Hash& root = direction == AdjacencyDirection::kOut ? state->out_adj : state->in_adj;
  std::string prefix = adjacency_prefix(node_id);
  std::optional<std::string> end = prefix_end(prefix);
  std::optional<std::string_view> end_view;
  if (end) end_view = *end;
  prolly::Tree(*nodes_, root)
      .scan(prefix, end_view, [&](std::string_view key, std::string_view other) {
        return fn(suffix_after(key, prefix.size()), other);
      });
}

bool GraphView::has_adjacent(const EdgeType& type, AdjacencyDirection direction,
                             std::string_view node_id) const {
  bool found = false;
  adjacent(type, direction, node_id, [&](std::string_view, std::string_view) {
    found = true;
    return false;
  });
  return found;
}

}  // namespace omnigraph::engine
