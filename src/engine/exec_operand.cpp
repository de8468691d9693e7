// The executor's context (slots, parameters, node cache) and operands.
#include <utility>

#include "common/error.h"
#include "engine/exec_ops.h"
#include "engine/temporal.h"

namespace omnigraph::engine::exec {

namespace {

using compiler::ScalarKind;
using compiler::query::CompOp;
using EK = Expr::Kind;

const Value kNull;

[[noreturn]] void column_not_found(const std::string& variable, const std::string& name) {
  throw_bad_request("column '" + variable + "." + name + "' not found in wide batch");
}

// A declared Date/DateTime parameter may arrive as text (spec §6.1:
// "validated only when used"); parse it with the literal's error.
Value convert_param(const Value& value, const compiler::Type& type) {
  if (value.is_null()) return value;
  if (type.scalar != ScalarKind::kDate && type.scalar != ScalarKind::kDateTime) return value;
  if (value.kind() == Value::Kind::kList) {
    ValueList out;
    for (const Value& e : value.as_list()) out.push_back(convert_param(e, type.element()));
    return Value::list(std::move(out));
  }
  if (value.kind() != Value::Kind::kString) return value;
  if (type.scalar == ScalarKind::kDate) {
    std::optional<Date> d = parse_date(value.as_string());
    if (!d) throw_bad_request("invalid Date literal '" + value.as_string() + "'");
    return Value::date(*d);
  }
  std::optional<DateTime> t = parse_datetime(value.as_string());
  if (!t) throw_bad_request("invalid DateTime literal '" + value.as_string() + "'");
  return Value::datetime(*t);
}

}  // namespace

ExecContext::ExecContext(const GraphView& view, const compiler::ir::ReadPlan& plan,
                         const ParamMap& params)
    : view_(view), params_(params) {
  for (const auto& p : plan.params) declared_.emplace(p.name, p.type);
  assign_slots(plan.pipeline);
}

void ExecContext::add_slot(const std::string& variable) {
  if (variable.empty()) return;
  slots_.emplace(variable, slots_.size());
}

void ExecContext::assign_slots(const std::vector<Op>& ops) {
  for (const Op& op : ops) {
    switch (op.kind) {
      case Op::Kind::kNodeScan: add_slot(op.variable); break;
      case Op::Kind::kExpand:
        add_slot(op.variable);
        add_slot(op.edge_variable);
        break;
      case Op::Kind::kAntiJoin: assign_slots(op.inner); break;
      case Op::Kind::kFilter:
      case Op::Kind::kTextSearch: break;
    }
  }
}

size_t ExecContext::slot(const std::string& variable) const {
  auto it = slots_.find(variable);
  if (it == slots_.end()) column_not_found(variable, "id");
  return it->second;
}

const Value& ExecContext::param(const std::string& name) {
  if (auto it = converted_.find(name); it != converted_.end()) return it->second;
  auto it = params_.find(name);
  if (it == params_.end()) throw_bad_request("parameter '" + name + "' not provided");
  Value value = it->second;
  if (auto decl = declared_.find(name); decl != declared_.end()) {
    value = convert_param(value, decl->second);
  }
  return converted_.emplace(name, std::move(value)).first->second;
}

const Value* ExecContext::find_param(const std::string& name) {
  if (params_.find(name) == params_.end()) return nullptr;
  try {
    return &param(name);
  } catch (const Error&) {
    return nullptr;
  }
}

EntityRef ExecContext::node(const compiler::NodeType& type, std::string_view id) {
  std::string key = type.name;
  key.push_back('\0');
  key.append(id);
  if (auto it = nodes_.find(key); it != nodes_.end()) return it->second;
  EntityRef entity;
  if (std::optional<Row> row = view_.node(type, id)) {
    auto e = std::make_shared<Entity>();
    e->node_type = &type;
    e->id = Value::string(std::string(id));
    e->row = std::move(*row);
    entity = std::move(e);
  }
  nodes_.emplace(std::move(key), entity);  // misses too: dangling edges repeat
  return entity;
}

EntityRef ExecContext::node(const compiler::NodeType& type, std::string_view id, const Row& row) {
  auto e = std::make_shared<Entity>();
  e->node_type = &type;
  e->id = Value::string(std::string(id));
  e->row = row;
  return e;
}

EntityRef ExecContext::edge(const compiler::EdgeType& type, std::string_view id) const {
  auto e = std::make_shared<Entity>();
  e->edge_type = &type;
  e->id = Value::string(std::string(id));
  return e;
}

const Row& ExecContext::row_of(const Entity& entity) const {
  if (!entity.row) {
    if (entity.edge_type) {
      std::optional<EdgeRecord> record = view_.edge(*entity.edge_type, entity.id.as_string());
      entity.row = record ? std::move(record->row) : Row{};
    } else {
      entity.row = view_.node(*entity.node_type, entity.id.as_string()).value_or(Row{});
    }
  }
  return *entity.row;
}

Operand Operand::constant(Value value) {
  Operand o;
  o.kind_ = Kind::kConstant;
  o.constant_ = std::move(value);
  return o;
}

Operand Operand::property(size_t slot, std::string variable, std::string name) {
  Operand o;
  o.kind_ = Kind::kProperty;
  o.slot_ = slot;
  o.variable_ = std::move(variable);
  o.name_ = std::move(name);
  return o;
}

Operand Operand::id(size_t slot, std::string variable) {
  Operand o;
  o.kind_ = Kind::kId;
  o.slot_ = slot;
  o.variable_ = std::move(variable);
  return o;
}

const compiler::Property* Operand::resolve(const Entity& entity) const {
  const void* owner = entity.node_type ? static_cast<const void*>(entity.node_type)
                                       : static_cast<const void*>(entity.edge_type);
  if (owner != cached_owner_) {
    cached_owner_ = owner;
    cached_property_ = entity.node_type ? entity.node_type->find_property(name_)
                                        : entity.edge_type->find_property(name_);
  }
  return cached_property_;
}

const Value& Operand::eval(const ExecRow& row, const ExecContext& ctx) const {
  if (kind_ == Kind::kConstant) return constant_;
  const EntityRef& entity = slot_ < row.size() ? row[slot_] : nullptr;
  if (!entity) column_not_found(variable_, kind_ == Kind::kId ? "id" : name_);
  if (kind_ == Kind::kId) return entity->id;
  const compiler::Property* prop = resolve(*entity);
  if (!prop) {
    // `$v.id` without an `id` property is the element id (the lowering's
    // cycle-closing filter compares `__temp_x.id` with `x.id`).
    if (name_ == "id") return entity->id;
    column_not_found(variable_, name_);
  }
  if (prop->type.is_blob()) return kNull;  // blobs never come back (spec §6.2)
  return ctx.row_of(*entity).get(prop->id);
}

const compiler::Type* Operand::type(const ExecRow& row) const {
  if (kind_ != Kind::kProperty || slot_ >= row.size() || !row[slot_]) return nullptr;
  const compiler::Property* prop = resolve(*row[slot_]);
  return prop ? &prop->type : nullptr;
}

Operand filter_operand(ExecContext& ctx, const Expr& expr) {
  switch (expr.kind) {
    case EK::kPropAccess:
      return Operand::property(ctx.slot(expr.variable), expr.variable, expr.name);
    case EK::kParam: return Operand::constant(ctx.param(expr.name));
    case EK::kLiteral: return Operand::constant(literal_value(expr.literal));
    default: throw_bad_request("unsupported expression in filter");
  }
}

Operand projection_operand(ExecContext& ctx, const Expr& expr) {
  switch (expr.kind) {
    case EK::kPropAccess:
      return Operand::property(ctx.slot(expr.variable), expr.variable, expr.name);
    case EK::kVariable: return Operand::id(ctx.slot(expr.variable), expr.variable);
    case EK::kParam: return Operand::constant(ctx.param(expr.name));
    case EK::kLiteral: return Operand::constant(literal_value(expr.literal));
    default: throw_bad_request("unsupported projection expression");
  }
}

std::vector<InlineMatch> resolve_inline_matches(ExecContext& ctx,
                                                const std::vector<Filter>& filters, bool deferred) {
  std::vector<InlineMatch> out;
  for (const Filter& f : filters) {
    InlineMatch m;
    m.property = f.left.name;
    m.op = f.op;
    switch (f.right.kind) {
      case EK::kLiteral: m.value = literal_value(f.right.literal); break;
      case EK::kParam: m.value = ctx.param(f.right.name); break;
      case EK::kVariable:
        // An undeclared `$x` in a binding: ignored by a scan, an error on a
        // deferred binding (spec §4.2).
        if (!deferred) continue;
        throw_bad_request("unsupported expression in filter");
      default: throw_bad_request("unsupported expression in filter");
    }
    out.push_back(std::move(m));
  }
  return out;
}

bool passes_inline_matches(const compiler::NodeType& type, const Row& row,
                           const std::vector<InlineMatch>& matches) {
  for (const InlineMatch& m : matches) {
    const compiler::Property* prop = type.find_property(m.property);
    if (!prop) return false;
    const Value& value = prop->type.is_blob() ? kNull : row.get(prop->id);
    CompareOptions options;
    options.left_type = &prop->type;
    options.common_type = true;
    if (compare(value, m.op, m.value, options) != true) return false;
  }
  return true;
}

}  // namespace omnigraph::engine::exec
