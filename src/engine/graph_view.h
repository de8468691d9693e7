// A read-only view of one graph root: the tables of one commit (or of a
// write in progress, see GraphWriter::view). Every query reads through one
// view, so all its reads see the same state.
//
// Tree layout (DESIGN.md §4):
//   node table rows   id -> encoded Row
//   edge table rows   edge id -> encoded EdgeRecord (src, dst, Row)
//   out adjacency     (src, edge id) -> dst
//   in adjacency      (dst, edge id) -> src
//   property index    (sort key of value, id) -> empty
// Iteration order is key order: nodes and edges by id, adjacency by edge id
// (ULIDs, so insertion order for generated ids).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/catalog/catalog.h"
#include "engine/graph_root.h"
#include "engine/row_codec.h"
#include "prolly/node_store.h"
#include "store/ref_store.h"

namespace omnigraph::engine {

struct EdgeRecord {
  std::string src;
  std::string dst;
  Row row;
  friend bool operator==(const EdgeRecord&, const EdgeRecord&) = default;
};

enum class AdjacencyDirection { kOut, kIn };

// One end of an index range: the value and whether it is included.
struct IndexBound {
  Value value;
  bool inclusive = true;
};

using NodeVisitor = std::function<bool(std::string_view id, const Row& row)>;
using EdgeVisitor = std::function<bool(std::string_view id, const EdgeRecord& edge)>;
// (edge id, the node at the other end); return false to stop.
using AdjacencyVisitor = std::function<bool(std::string_view edge_id, std::string_view other)>;
using IdVisitor = std::function<bool(std::string_view id)>;

class GraphView {
 public:
  // `refs` is the graph's ref store, where derived indexes (vector, text)
  // record what they persisted; without it they are kept in memory only.
  GraphView(std::shared_ptr<const compiler::Catalog> catalog, GraphRoot root,
            prolly::NodeStore& nodes, store::RefStore* refs = nullptr);

  const compiler::Catalog& catalog() const { return *catalog_; }
  const std::shared_ptr<const compiler::Catalog>& catalog_ptr() const { return catalog_; }
  const GraphRoot& root() const { return root_; }
  prolly::NodeStore& nodes() const { return *nodes_; }
  store::RefStore* refs() const { return refs_; }  // may be null

  // Rows in a table (0 for a table the root does not hold).
  uint64_t row_count(std::string_view table_key) const;

  std::optional<Row> node(const compiler::NodeType& type, std::string_view id) const;
  bool has_node(const compiler::NodeType& type, std::string_view id) const;
  // Every node of `type` in id order; stops when fn returns false.
  void scan_nodes(const compiler::NodeType& type, const NodeVisitor& fn) const;

  // Whether `property` has an index tree (see index_name()).
  bool has_index(const compiler::NodeType& type, const compiler::Property& property) const;
  // Ids whose `property` equals `value` (value kind as stored), in
  // (value, id) order. Precondition: has_index().
  void index_equal(const compiler::NodeType& type, const compiler::Property& property,
                   const Value& value, const IdVisitor& fn) const;
  // Ids whose value lies between the bounds (null values never match).
  void index_range(const compiler::NodeType& type, const compiler::Property& property,
                   const std::optional<IndexBound>& lower, const std::optional<IndexBound>& upper,
                   const IdVisitor& fn) const;

  std::optional<EdgeRecord> edge(const compiler::EdgeType& type, std::string_view id) const;
  // Every edge of `type` in id order.
  void scan_edges(const compiler::EdgeType& type, const EdgeVisitor& fn) const;
  // Edges leaving (kOut) or entering (kIn) `node_id`, in edge id order.
  void adjacent(const compiler::EdgeType& type, AdjacencyDirection direction,
                std::string_view node_id, const AdjacencyVisitor& fn) const;
  bool has_adjacent(const compiler::EdgeType& type, AdjacencyDirection direction,
                    std::string_view node_id) const;

 private:
  const TableState* table(std::string_view table_key) const;

  std::shared_ptr<const compiler::Catalog> catalog_;
  GraphRoot root_;
  prolly::NodeStore* nodes_;
  store::RefStore* refs_;
};

// Which node properties get an index tree: every scalar (non-list,
// non-vector, non-blob) property named first in an @index or @unique
// declaration, except the key property (the id is the key). Name:
// "prop:<property>".
std::vector<const compiler::Property*> indexed_properties(const compiler::NodeType& type);
std::string index_name(const compiler::Property& property);

// Key encodings shared by the view and the writer.
std::string adjacency_key(std::string_view node_id, std::string_view edge_id);
std::string adjacency_prefix(std::string_view node_id);
std::string index_key(const Value& value, std::string_view id);
std::string encode_edge_record(const EdgeRecord& edge);
EdgeRecord decode_edge_record(std::string_view bytes);

}  // namespace omnigraph::engine
