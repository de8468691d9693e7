// Mutation statements (languages.md §4.9): insert, update and delete of
// nodes and edges. Each statement writes straight into the GraphWriter, so
// the next one reads it back (read-your-writes); nothing is visible outside
// until the caller commits the writer's root.
#include "engine/mutation.h"

#include <map>
#include <set>

#include "common/error.h"
#include "common/ulid.h"
#include "engine/constraints.h"
#include "engine/embed/embed_property.h"
#include "engine/temporal.h"
#include "engine/value_compare.h"
#include "engine/write_value.h"

namespace omnigraph::engine {

using compiler::EdgeType;
using compiler::NodeType;
using compiler::Property;
using compiler::ir::Expr;
using compiler::ir::MutationOp;

namespace {

// A node id from a key value: strings as they are, other kinds as text.
std::string key_text(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kString: return value.as_string();
    case Value::Kind::kInt: return std::to_string(value.as_int());
    case Value::Kind::kUInt: return std::to_string(value.as_uint());
    case Value::Kind::kBool: return value.as_bool() ? "true" : "false";
    case Value::Kind::kDate: return format_date(value.as_date());
    case Value::Kind::kDateTime: return format_datetime(value.as_datetime());
    default: return value.debug_string();
  }
}

class MutationRunner {
 public:
  MutationRunner(GraphWriter& writer, const ParamMap& params)
      : writer_(writer), params_(params), validator_(writer.view().catalog()) {}

  MutationSummary run(const compiler::ir::MutationPlan& plan) {
    const auto& catalog = writer_.view().catalog();
    for (const MutationOp& op : plan.ops) {
      if (const NodeType* node = catalog.find_node_type(op.type_name)) {
        switch (op.kind) {
          case MutationOp::Kind::kInsert: insert_node(*node, op); break;
          case MutationOp::Kind::kUpdate: update_nodes(*node, op); break;
          case MutationOp::Kind::kDelete: delete_nodes(*node, op); break;
        }
      } else if (const EdgeType* edge = catalog.lookup_edge(op.type_name)) {
        switch (op.kind) {
          case MutationOp::Kind::kInsert: insert_edge(*edge, op); break;
          case MutationOp::Kind::kUpdate:
            throw_bad_request("update is only supported for node types, not edge '" + edge->name +
                              "'");
          case MutationOp::Kind::kDelete: delete_edges(*edge, op); break;
        }
      } else {
        throw_bad_request("unknown type '" + op.type_name + "'");
      }
    }
    return summary_;
  }

 private:
  Value resolve(const Expr& expr) const {
    switch (expr.kind) {
      case Expr::Kind::kLiteral: return literal_value(expr.literal);
      case Expr::Kind::kParam: {
        auto it = params_.find(expr.name);
        if (it == params_.end()) throw_bad_request("parameter '" + expr.name + "' not provided");
        return it->second;
      }
      default: throw_bad_request("unsupported expression in mutation");
    }
  }

  const compiler::ir::Assignment* assignment(const MutationOp& op, std::string_view name) const {
    const compiler::ir::Assignment* found = nullptr;
    for (const auto& a : op.assignments) {
      if (a.property == name) found = &a;  // the last assignment wins
    }
    return found;
  }

  // The embedding of an `@embed` target's source as assigned by `op`, or
  // null when the source is not assigned (or null).
  Value embedded(const NodeType& type, const Property& target, const MutationOp& op) const {
    const Property* source = type.find_property(*target.embed_source);
    const auto* a = assignment(op, *target.embed_source);
    if (source == nullptr || a == nullptr) return Value::null();
    Value text = value_for_property(resolve(a->value), *source);
    if (text.kind() != Value::Kind::kString) return Value::null();
    return embed::embed_property(type.name, target, text.as_string());
  }

  void insert_node(const NodeType& type, const MutationOp& op) {
    Row row;
    for (const Property& property : type.properties) {
      const auto* a = assignment(op, property.name);
      Value value = a ? value_for_property(resolve(a->value), property) : Value::null();
      if (value.is_null() && property.embed_source) value = embedded(type, property, op);
      if (value.is_null() && !property.type.nullable) {
        if (&property == type.key_property()) {
          throw_bad_request("insert missing @key property '" + property.name + "'");
        }
        throw_bad_request("missing required property '" + property.name + "'");
      }
      row.set(property.id, std::move(value));
    }
    validator_.check_node(type, row);
    const Property* key = type.key_property();
    std::string id = key ? key_text(row.get(key->id)) : new_ulid();
    writer_.put_nodes(type, {{std::move(id), std::move(row)}});
    summary_.affected_nodes += 1;
  }

  void insert_edge(const EdgeType& type, const MutationOp& op) {
    const auto& catalog = writer_.view().catalog();
    auto endpoint = [&](const char* which, const std::string& node_type) {
      const auto* a = assignment(op, which);
      Value value = a ? resolve(a->value) : Value::null();
      if (value.kind() != Value::Kind::kString) {
        throw_bad_request("edge " + type.name + " " + which +
                          " endpoint must be a string id, got " + value.debug_string());
      }
      const NodeType* endpoint_type = catalog.find_node_type(node_type);
      if (endpoint_type == nullptr || !writer_.view().has_node(*endpoint_type, value.as_string())) {
        throw_bad_request(std::string(std::string_view(which) == "from" ? "src" : "dst") + " '" +
                          value.as_string() + "' not found in " + node_type);
      }
      return value.as_string();
    };
    EdgeRecord edge;
    edge.src = endpoint("from", type.from_type);
    edge.dst = endpoint("to", type.to_type);
    for (const Property& property : type.properties) {
      const auto* a = assignment(op, property.name);
      Value value = a ? value_for_property(resolve(a->value), property) : Value::null();
      if (value.is_null() && !property.type.nullable) {
        throw_bad_request("missing required property '" + property.name + "'");
      }
      edge.row.set(property.id, std::move(value));
    }
    validator_.check_edge(type, edge.row);
    writer_.put_edges(type, {{new_ulid(), std::move(edge)}});
    check_cardinality(type);
    summary_.affected_edges += 1;
  }

  // @card over committed and pending edges: every source with at least one
  // edge must have between min and max of them.
  void check_cardinality(const EdgeType& type) {
    if (type.cardinality.is_default()) return;
    std::map<std::string, uint32_t> counts;
    writer_.view().scan_edges(type, [&](std::string_view, const EdgeRecord& edge) {
      counts[edge.src] += 1;
      return true;
    });
    for (const auto& [src, count] : counts) {
      const auto& card = type.cardinality;
      if (card.max && count > *card.max) {
        throw_bad_request("@card violation on edge " + type.name + ": source '" + src + "' has " +
                          std::to_string(count) + " edges (max " + std::to_string(*card.max) + ")");
      }
      if (count < card.min) {
        throw_bad_request("@card violation on edge " + type.name + ": source '" + src + "' has " +
                          std::to_string(count) + " edges (min " + std::to_string(card.min) + ")");
      }
    }
  }

  // Whether a row's value satisfies `property op value` (SQL semantics:
  // null never matches).
  static bool matches(const Value& stored, compiler::query::CompOp op, const Value& wanted,
                      const compiler::Type* type) {
    CompareOptions options;
    options.left_type = type;
    options.common_type = true;
    return compare(stored, op, wanted, options).value_or(false);
  }

  std::vector<std::pair<std::string, Row>> matching_nodes(const NodeType& type,
                                                          const MutationOp& op) const {
    const auto& predicate = *op.predicate;
    Value wanted = resolve(predicate.value);
    const Property* property = type.find_property(predicate.property);
    bool by_id = property == nullptr && predicate.property == "id";
    if (property == nullptr && !by_id) {
      throw_bad_request("unknown property '" + predicate.property + "' on " + type.name);
    }
    std::vector<std::pair<std::string, Row>> out;
    // `where <String @key> = v` (or `id = v`) names at most one row, found
    // by a point lookup: the id of a String-keyed node is its key value.
    auto string_key = [&] {
      if (property != type.key_property()) return false;
      try {
        return value_for_property(wanted, *property).kind() == Value::Kind::kString;
      } catch (const Error&) {
        return false;  // not a value of the key's type: the scan decides
      }
    };
    if (predicate.op == compiler::query::CompOp::kEq && wanted.kind() == Value::Kind::kString &&
        (by_id || string_key())) {
      const std::string& id = wanted.as_string();
      if (std::optional<Row> row = writer_.view().node(type, id)) {
        const Value& stored = by_id ? wanted : row->get(property->id);
        if (by_id || matches(stored, predicate.op, wanted, &property->type)) {
          out.emplace_back(id, std::move(*row));
        }
      }
      return out;
    }
    writer_.view().scan_nodes(type, [&](std::string_view id, const Row& row) {
      const Value& stored = by_id ? Value::string(std::string(id)) : row.get(property->id);
      if (matches(stored, predicate.op, wanted, by_id ? nullptr : &property->type)) {
        out.emplace_back(std::string(id), row);
      }
      return true;
    });
    return out;
  }

  void update_nodes(const NodeType& type, const MutationOp& op) {
    const Property* key = type.key_property();
    std::vector<std::pair<const Property*, Value>> changes;
    for (const auto& a : op.assignments) {
      const Property* property = type.find_property(a.property);
      if (property == nullptr) {
        throw_bad_request("unknown property '" + a.property + "' on " + type.name);
      }
      if (property == key) {
        throw_bad_request("cannot update @key property '" + key->name +
                          "' — delete and re-insert instead");
      }
      Value value = value_for_property(resolve(a.value), *property);
      if (value.is_null() && !property->type.nullable) {
        throw_bad_request("missing required property '" + property->name + "'");
      }
      changes.emplace_back(property, std::move(value));
    }
    // An update that sets an @embed source but not its target refreshes the
    // target, so the stored embedding keeps describing the stored text.
    for (const Property& property : type.properties) {
      if (!property.embed_source || assignment(op, property.name) != nullptr) continue;
      if (assignment(op, *property.embed_source) == nullptr) continue;
      Value value = embedded(type, property, op);
      if (value.is_null() && !property.type.nullable) continue;  // keep the old vector
      changes.emplace_back(&property, std::move(value));
    }
    auto rows = matching_nodes(type, op);
    UniqueTracker unique(type);
    for (size_t i = 0; i < rows.size(); ++i) {
      Row& row = rows[i].second;
      for (const auto& [property, value] : changes) row.set(property->id, value);
      validator_.check_node(type, row);
      unique.add(row, i);
    }
    summary_.affected_nodes += rows.size();
    writer_.put_nodes(type, std::move(rows));
  }

  void delete_nodes(const NodeType& type, const MutationOp& op) {
    auto rows = matching_nodes(type, op);
    std::vector<std::string> ids;
    ids.reserve(rows.size());
    for (auto& [id, row] : rows) ids.push_back(std::move(id));
    if (ids.empty()) return;
    writer_.delete_nodes(type, ids);
    summary_.affected_nodes += ids.size();
    // Cascade: edges whose source or target was deleted go with it.
    const auto& catalog = writer_.view().catalog();
    for (const EdgeType& edge : catalog.edge_types()) {
      std::set<std::string> doomed;
      for (auto direction : {AdjacencyDirection::kOut, AdjacencyDirection::kIn}) {
        const std::string& end =
            direction == AdjacencyDirection::kOut ? edge.from_type : edge.to_type;
        if (end != type.name) continue;
        GraphView view = writer_.view();
        for (const std::string& id : ids) {
          view.adjacent(edge, direction, id, [&](std::string_view edge_id, std::string_view) {
            doomed.emplace(edge_id);
            return true;
          });
        }
      }
      if (doomed.empty()) continue;
      writer_.delete_edges(edge, std::vector<std::string>(doomed.begin(), doomed.end()));
      summary_.affected_edges += doomed.size();
    }
  }

  void delete_edges(const EdgeType& type, const MutationOp& op) {
    const auto& predicate = *op.predicate;
    Value wanted = resolve(predicate.value);
    const Property* property = type.find_property(predicate.property);
    const std::string& name = predicate.property;
    if (property == nullptr && name != "from" && name != "to" && name != "id") {
      throw_bad_request("unknown property '" + name + "' on edge " + type.name);
    }
    std::vector<std::string> ids;
    writer_.view().scan_edges(type, [&](std::string_view id, const EdgeRecord& edge) {
      Value stored = property         ? edge.row.get(property->id)
                     : name == "from" ? Value::string(edge.src)
                     : name == "to"   ? Value::string(edge.dst)
                                      : Value::string(std::string(id));
      if (matches(stored, predicate.op, wanted, property ? &property->type : nullptr)) {
        ids.emplace_back(id);
      }
      return true;
    });
    writer_.delete_edges(type, ids);
    summary_.affected_edges += ids.size();
  }

  GraphWriter& writer_;
  const ParamMap& params_;
  RowValidator validator_;
  MutationSummary summary_;
};

}  // namespace

MutationSummary execute_mutation(GraphWriter& writer, const compiler::ir::MutationPlan& plan,
                                 const ParamMap& params) {
  return MutationRunner(writer, params).run(plan);
}

}  // namespace omnigraph::engine
