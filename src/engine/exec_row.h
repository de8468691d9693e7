// The read executor's row model (internal to the executor files).
//
// A pipeline row binds variables to graph elements: one slot per variable
// name of the plan, holding the bound node (type, id, row) or edge, or
// nothing. Rows share their elements: a node reached from many rows is one
// Entity, loaded once per query (bag semantics multiplies rows, not reads).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/ir/ir.h"
#include "engine/graph_view.h"
#include "engine/param_map.h"

namespace omnigraph::engine::exec {

// A bound node or edge.
struct Entity {
  const compiler::NodeType* node_type = nullptr;  // set for nodes
  const compiler::EdgeType* edge_type = nullptr;  // set for edges
  Value id;                                       // Value::string
  // Nodes: always loaded (reaching a node checks it exists). Edges: loaded
  // on the first property access (most traversals never read them).
  mutable std::optional<Row> row;
};
using EntityRef = std::shared_ptr<const Entity>;

// One pipeline row: a slot per variable (ExecContext::slot); null = unbound.
using ExecRow = std::vector<EntityRef>;
// nullopt until the first scan: like the reference, filters, expands and
// anti-joins before any scan see no batch and do nothing.
using RowSet = std::optional<std::vector<ExecRow>>;

class ExecContext {
 public:
  ExecContext(const GraphView& view, const compiler::ir::ReadPlan& plan, const ParamMap& params);

  const GraphView& view() const { return view_; }
  const compiler::Catalog& catalog() const { return view_.catalog(); }

  // The slot of a variable (every variable of the plan has one).
  size_t slot(const std::string& variable) const;
  size_t slot_count() const { return slots_.size(); }

  // A parameter's value; Error `parameter 'x' not provided` when absent.
  // Declared Date/DateTime parameters that arrive as text are parsed here
  // (`invalid Date literal '…'`), once.
  const Value& param(const std::string& name);
  // The same, but nullptr instead of an error when the parameter is absent
  // or cannot be converted (for optional optimisations).
  const Value* find_param(const std::string& name);

  // The node `id` of `type`, or nullptr when the type holds no such node.
  EntityRef node(const compiler::NodeType& type, std::string_view id);
  // A node read by a scan (adds it to the cache).
  EntityRef node(const compiler::NodeType& type, std::string_view id, const Row& row);
  // An edge binding (its row is fetched on demand by row_of).
  EntityRef edge(const compiler::EdgeType& type, std::string_view id) const;
  // The element's property row.
  const Row& row_of(const Entity& entity) const;

 private:
  void assign_slots(const std::vector<compiler::ir::Op>& ops);
  void add_slot(const std::string& variable);

  const GraphView& view_;
  const ParamMap& params_;
  std::map<std::string, compiler::Type, std::less<>> declared_;
  std::map<std::string, Value, std::less<>> converted_;
  std::map<std::string, size_t, std::less<>> slots_;
  std::unordered_map<std::string, EntityRef> nodes_;  // "type\0id"
};

// An operand of a comparison, projection or ordering, resolved once per
// operator: a constant (literal or parameter), a property of a bound
// variable, or a bound element's id.
class Operand {
 public:
  enum class Kind { kConstant, kProperty, kId };

  static Operand constant(Value value);
  static Operand property(size_t slot, std::string variable, std::string name);
  static Operand id(size_t slot, std::string variable);

  Kind kind() const { return kind_; }
  // The value in `row`. Blob properties are always null (spec §6.2). An
  // unbound variable is an Error (`column 'v.p' not found`).
  const Value& eval(const ExecRow& row, const ExecContext& ctx) const;
  // The declared type of a property operand in `row` (nullptr otherwise).
  const compiler::Type* type(const ExecRow& row) const;

 private:
  const compiler::Property* resolve(const Entity& entity) const;

  Kind kind_ = Kind::kConstant;
  Value constant_;
  size_t slot_ = 0;
  std::string variable_;
  std::string name_;
  // One-entry cache of the property lookup (the type rarely changes).
  mutable const void* cached_owner_ = nullptr;
  mutable const compiler::Property* cached_property_ = nullptr;
};

}  // namespace omnigraph::engine::exec
