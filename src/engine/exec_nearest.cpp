// nearest($v.p, q) (languages.md §4.6): resolves the query to a vector
// (embedding strings) and asks the vector search for the k nearest nodes.
#include "engine/exec_nearest.h"

#include "common/error.h"
#include "engine/embed/embedder.h"
#include "engine/search/vector/vector_search.h"
#include "engine/value_compare.h"

namespace omnigraph::engine::exec {

namespace {

std::vector<float> floats_of(const Value& value, uint32_t dim) {
  std::vector<float> out;
  if (value.kind() == Value::Kind::kVector) {
    out = value.as_vector().values;
  } else if (value.kind() == Value::Kind::kList) {
    for (const Value& item : value.as_list()) {
      switch (item.kind()) {
        case Value::Kind::kInt: out.push_back(static_cast<float>(item.as_int())); break;
        case Value::Kind::kUInt: out.push_back(static_cast<float>(item.as_uint())); break;
        case Value::Kind::kFloat: out.push_back(static_cast<float>(item.as_float())); break;
        default: throw_bad_request("nearest query vector element is not numeric");
      }
    }
  } else {
    throw_bad_request("nearest query must be Vector(" + std::to_string(dim) + ") or String, got " +
                      value.debug_string());
  }
  if (out.size() != dim) {
    throw_bad_request("nearest vector dimension mismatch: property is Vector(" +
                      std::to_string(dim) + "), query has " + std::to_string(out.size()) +
                      " elements");
  }
  return out;
}

std::vector<float> embedded(const std::string& text, uint32_t dim) {
  auto embedder = embed::embedder_from_env("nearest() needs a string embedding");
  return embedder->embed_one(text, dim);
}

}  // namespace

std::vector<float> nearest_query_vector(ExecContext& ctx, const Expr& query, uint32_t dim) {
  Value value;
  switch (query.kind) {
    case Expr::Kind::kLiteral: value = literal_value(query.literal); break;
    case Expr::Kind::kParam: value = ctx.param(query.name); break;
    default: throw_bad_request("nearest query must be a literal or a parameter");
  }
  if (value.kind() == Value::Kind::kString) return embedded(value.as_string(), dim);
  return floats_of(value, dim);
}

std::vector<std::string> nearest_ids(ExecContext& ctx, const compiler::NodeType& type,
                                     const Expr& nearest_call, size_t k) {
  const compiler::Property* property = type.find_property(nearest_call.name);
  if (property == nullptr) {
    throw_bad_request("type " + type.name + " has no property " + nearest_call.name);
  }
  if (!property->type.is_vector() || property->type.list) {
    throw_bad_request("nearest requires a Vector property, got " + type.name + "." +
                      property->name);
  }
  if (nearest_call.args.empty()) throw_bad_request("nearest requires a query");
  auto query = nearest_query_vector(ctx, nearest_call.args[0], property->type.vector_dim);
  std::vector<std::string> ids;
  for (auto& hit : search::vector::nearest(ctx.view(), type, *property, query, k)) {
    ids.push_back(std::move(hit.id));
  }
  return ids;
}

std::vector<std::string> nearest_ids(ExecContext& ctx, const Expr& nearest_call, size_t k) {
  const compiler::NodeType* found = nullptr;
  for (const auto& type : ctx.catalog().node_types()) {
    const compiler::Property* p = type.find_property(nearest_call.name);
    if (p == nullptr || !p->type.is_vector()) continue;
    if (found != nullptr) {
      throw_internal("nearest: several node types have a Vector property '" + nearest_call.name +
                     "'; the caller must name the type of $" + nearest_call.variable);
    }
    found = &type;
  }
  if (found == nullptr) {
    throw_bad_request("nearest requires a Vector property, got " + nearest_call.name);
  }
  return nearest_ids(ctx, *found, nearest_call, k);
}

}  // namespace omnigraph::engine::exec
