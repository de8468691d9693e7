// Builds the next graph root from a base root: table edits applied to the
// prolly trees as they come, so reads through view() see every earlier
// write (read-your-writes inside one load or mutation query). New chunks go
// straight to the chunk store; they stay unreachable — and are collected by
// cleanup — unless the resulting root is committed.
//
// The writer keeps each table's trees in step: rows, adjacency (edges) and
// property index trees, plus the row count. It checks nothing about the
// data (constraints are the caller's job) except what keeps the trees
// consistent.
#pragma once

#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/graph_view.h"
#include "prolly/run_merger.h"

namespace omnigraph::engine {

// Memory for one table's staged bulk rows before they are sorted into a run
// (or streamed into their tree). A variable, not a constant, so tests can
// make small inputs spill.
inline size_t bulk_buffer_bytes = size_t{32} << 20;

class GraphWriter {
 public:
  GraphWriter(std::shared_ptr<const compiler::Catalog> catalog, GraphRoot base,
              prolly::NodeStore& nodes);

  // The current state (base plus every write so far).
  GraphView view() const;
  const GraphRoot& base() const { return base_; }

  // Upserts nodes by id: an existing row is replaced whole. Later entries
  // with the same id win.
  void put_nodes(const compiler::NodeType& type, std::vector<std::pair<std::string, Row>> rows);
  // Removes nodes (absent ids are ignored). Does not touch edges.
  void delete_nodes(const compiler::NodeType& type, const std::vector<std::string>& ids);
  // Upserts edges by edge id.
  void put_edges(const compiler::EdgeType& type,
                 std::vector<std::pair<std::string, EdgeRecord>> edges);
  void delete_edges(const compiler::EdgeType& type, const std::vector<std::string>& ids);

  // An entry already in its stored encoding: encode_row's bytes for a node,
  // encode_edge_record's for an edge. Loads encode rows on their parser
  // thread and hand the bytes over as they are; the views need to last only
  // for the call.
  struct EncodedEntry {
    std::string_view id;
    std::string_view bytes;
  };
  // put_nodes / put_edges for encoded entries (same semantics).
  void put_encoded_nodes(const compiler::NodeType& type, std::span<const EncodedEntry> rows);
  void put_encoded_edges(const compiler::EdgeType& type, std::span<const EncodedEntry> edges);
  // Empties a table (overwrite loads).
  void clear_table(const std::string& table_key);

  // Bulk mode, for loads: put_nodes/put_edges stage rows in sorted runs
  // (bounded memory) instead of editing the trees, whose cost on random ids
  // grows with the tree. The next view(), delete, clear or finish() merges
  // the runs into the rows tree and rebuilds that table's adjacency and
  // index trees from it in one pass; a small batch against a big table is
  // applied as ordinary edits instead.
  void set_bulk(bool on);

  // Table keys written since construction.
  const std::set<std::string>& touched_tables() const { return touched_; }

  // The new root: every table whose content differs from the base gets
  // version + 1 and `branch` as its last writer. Tables of the catalog that
  // the base lacked are present (empty).
  GraphRoot finish(const std::string& branch) const;

 private:
  TableState& state(const std::string& table_key);
  // Brings every table with staged bulk rows up to date.
  void materialize() const;
  void materialize_table(const std::string& table_key) const;
  void put_nodes_now(const compiler::NodeType& type,
                     std::vector<std::pair<std::string, Row>> rows) const;
  void put_edges_now(const compiler::EdgeType& type,
                     std::vector<std::pair<std::string, EdgeRecord>> edges) const;

  // A table's staged bulk rows, and the mergers of the trees derived from
  // them (its index trees, or an edge table's out and in adjacency), which
  // the rows merger's visitor feeds: as the rows stream in while their ids
  // arrive in order (generated ids, into an empty table), else while the
  // rows are merged (graph_writer_bulk.cpp).
  struct Pending {
    const compiler::NodeType* node = nullptr;
    const compiler::EdgeType* edge = nullptr;
    std::vector<const compiler::Property*> indexed;  // node tables
    std::vector<std::unique_ptr<prolly::RunMerger>> derived;
    std::string scratch;    // the visitor's key buffer
    bool streamed = false;  // rows stream into their tree (RunMerger::stream_sorted)
    // Last: destroyed first, and its destructor waits for its background
    // work, which may still be feeding `derived`.
    std::unique_ptr<prolly::RunMerger> rows;
  };
  Pending& pending_for(const compiler::NodeType* node, const compiler::EdgeType* edge);
  // Empty derived mergers for the pending table (again, when streaming ends).
  void reset_derived(Pending& pending) const;
  // The visitor: adds one merged row's index or adjacency entries.
  static void feed_derived(Pending& pending, std::string_view id, std::string_view bytes);

  std::shared_ptr<const compiler::Catalog> catalog_;
  GraphRoot base_;
  // Mutable: reads (view) first fold staged bulk rows into the trees.
  mutable GraphRoot current_;
  mutable std::map<std::string, Pending> pending_;
  prolly::NodeStore* nodes_;
  std::set<std::string> touched_;
  bool bulk_ = false;
};

}  // namespace omnigraph::engine
