// GraphWriter's bulk mode (see GraphWriter::set_bulk): staging rows in
// sorted runs per table, and building each table's trees from them.
#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "common/error.h"
#include "common/varint.h"
#include "engine/graph_writer.h"
#include "prolly/tree.h"

namespace omnigraph::engine {

using compiler::EdgeType;
using compiler::NodeType;

namespace {

// A staged batch this much smaller than its table is applied as edits;
// larger ones rebuild the table's trees (which costs the table's size).
constexpr uint64_t kRebuildRatio = 16;

// Runs the tasks on up to hardware_concurrency threads; rethrows the first
// failure after all have stopped.
void run_parallel(std::vector<std::function<void()>> tasks) {
  if (tasks.size() <= 1) {
    for (auto& task : tasks) task();
    return;
  }
  size_t workers =
      std::min<size_t>(tasks.size(), std::max(2u, std::thread::hardware_concurrency()));
  std::atomic<size_t> next{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  auto work = [&] {
    for (size_t i = next++; i < tasks.size(); i = next++) {
      try {
        tasks[i]();
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t i = 1; i < workers; ++i) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace

GraphWriter::Pending& GraphWriter::pending_for(const NodeType* node, const EdgeType* edge) {
  const std::string& table_key = node != nullptr ? node->table_key() : edge->table_key();
  Pending& pending = pending_[table_key];
  if (pending.rows) return pending;
  pending.node = node;
  pending.edge = edge;
  if (node != nullptr) pending.indexed = indexed_properties(*node);
  reset_derived(pending);
  pending.rows = std::make_unique<prolly::RunMerger>(*nodes_, bulk_buffer_bytes);
  // Nothing to merge with in an empty table: rows whose ids arrive in
  // order go straight into their tree (and their derived entries into
  // the derived mergers) while the input is still being read.
  if (current_.tables[table_key].rows.is_zero()) {
    pending.streamed = true;
    prolly::RunMerger::EntryVisitor visit;
    if (!pending.derived.empty()) {
      visit = [&pending](std::string_view id, std::string_view bytes) {
        feed_derived(pending, id, bytes);
      };
    }
    pending.rows->stream_sorted(std::move(visit), [this, &pending] { reset_derived(pending); });
  }
  return pending;
}

void GraphWriter::reset_derived(Pending& pending) const {
  pending.derived.clear();
  const size_t count = pending.node != nullptr ? pending.indexed.size() : 2;  // edges: out, in
  for (size_t i = 0; i < count; ++i) {
    pending.derived.push_back(std::make_unique<prolly::RunMerger>(*nodes_, bulk_buffer_bytes));
  }
}

void GraphWriter::feed_derived(Pending& pending, std::string_view id, std::string_view bytes) {
  if (pending.node != nullptr) {
    Row row = decode_row(bytes);
    for (size_t i = 0; i < pending.indexed.size(); ++i) {
      const Value& value = row.get(pending.indexed[i]->id);
      if (!value.is_null()) pending.derived[i]->add(index_key(value, id), "");
    }
    return;
  }
  // Called once per edge: the endpoints are read in place and the keys
  // built in one reused buffer (adjacency_key's layout), nothing allocated.
  ByteReader record(bytes);  // encode_edge_record: src, dst, row
  const std::string_view src = record.length_prefixed();
  const std::string_view dst = record.length_prefixed();
  std::string& key = pending.scratch;
  key.clear();
  put_length_prefixed(key, src);
  key.append(id);
  pending.derived[0]->add(key, dst);
  key.clear();
  put_length_prefixed(key, dst);
  key.append(id);
  pending.derived[1]->add(key, src);
}

void GraphWriter::materialize() const {
  if (pending_.empty()) return;
  // Tables are independent: each task touches only its own TableState,
  // which exists before the threads start (the map is not resized).
  std::vector<std::function<void()>> tasks;
  for (auto& [key, pending] : pending_) {
    current_.tables[key];
    tasks.push_back([this, key = key] { materialize_table(key); });
  }
  std::exception_ptr error;
  try {
    run_parallel(std::move(tasks));
  } catch (...) {
    error = std::current_exception();
  }
  pending_.clear();
  if (error) std::rethrow_exception(error);
}

void GraphWriter::materialize_table(const std::string& table_key) const {
  Pending& pending = pending_.at(table_key);
  TableState& table = current_.tables[table_key];
  if (pending.rows->unspilled() && pending.rows->added() * kRebuildRatio < table.row_count) {
    auto buffer = pending.rows->take_buffer();
    if (pending.node) {
      std::vector<std::pair<std::string, Row>> rows;
      rows.reserve(buffer.size());
      for (auto& [id, bytes] : buffer) rows.emplace_back(std::move(id), decode_row(bytes));
      put_nodes_now(*pending.node, std::move(rows));
    } else {
      std::vector<std::pair<std::string, EdgeRecord>> edges;
      edges.reserve(buffer.size());
      for (auto& [id, bytes] : buffer) edges.emplace_back(std::move(id), decode_edge_record(bytes));
      put_edges_now(*pending.edge, std::move(edges));
    }
    return;
  }
  // Derived trees are rebuilt from the merged rows as the rows tree is
  // built: one streaming pass, no read-back of what was just written.
  if (pending.streamed) {
    if (!table.rows.is_zero()) throw_internal("table " + table_key + " changed while streaming");
    table.rows = pending.rows->finish();
  } else {
    prolly::RunMerger::EntryVisitor visit;
    if (!pending.derived.empty()) {
      visit = [&pending](std::string_view id, std::string_view bytes) {
        feed_derived(pending, id, bytes);
      };
    }
    table.rows = pending.rows->finish(table.rows, visit);
  }
  table.row_count = prolly::Tree(*nodes_, table.rows).count();
  std::vector<Hash> roots(pending.derived.size());
  std::vector<std::function<void()>> builds;
  for (size_t i = 0; i < pending.derived.size(); ++i) {
    builds.push_back([&, i] { roots[i] = pending.derived[i]->finish(); });
  }
  run_parallel(std::move(builds));
  if (pending.node) {
    for (size_t i = 0; i < pending.indexed.size(); ++i) {
      table.indexes[index_name(*pending.indexed[i])] = roots[i];
    }
  } else {
    table.out_adj = roots[0];
    table.in_adj = roots[1];
  }
}

}  // namespace omnigraph::engine
