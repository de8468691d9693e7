// Schema evolution entry points of the Graph handle (engine.md §4, with
// DESIGN.md §9's difference: every branch carries its own schema in its
// graph root, so a schema change is one commit on any branch and leaves the
// other branches alone).
//
// Hard drops. Chunks are shared by every commit that reaches them, so a
// hard drop cannot delete bytes from history in place. Instead the apply
// records one purge ref per dropped type or property,
//   schema-purge/<drop commit id>/<type id>/<property id or 0>
// whose value is the commit the drop was applied on. A commit read by id
// that is that commit or one of its ancestors is read through a catalog
// without the purged type or property, so no query or export returns it;
// the bytes go when cleanup collects those commits.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "common/error.h"
#include "engine/graph_impl.h"
#include "engine/schema_migrate.h"
#include "engine/schema_planner.h"
#include "engine/schema_record.h"
#include "omnigraph/graph.h"
#include "policy/scope.h"
#include "version/ancestry.h"

namespace omnigraph {
namespace {

constexpr std::string_view kPurgeRefPrefix = "schema-purge/";

struct Purge {
  Hash applied_on;  // the branch head the hard drop was applied on
  uint32_t type_id = 0;
  uint32_t property_id = 0;  // 0 = the whole type
};

uint32_t parse_id(std::string_view text) {
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw_internal("corrupt schema purge ref");
  }
  return value;
}

std::vector<Purge> list_purges(store::RefStore& refs) {
  std::vector<Purge> out;
  for (const auto& [name, hash] : refs.list(std::string(kPurgeRefPrefix))) {
    std::string_view rest = std::string_view(name).substr(kPurgeRefPrefix.size());
    size_t first = rest.find('/');
    size_t second = rest.find('/', first + 1);
    if (first == std::string_view::npos || second == std::string_view::npos) {
      throw_internal("corrupt schema purge ref '" + name + "'");
    }
    out.push_back(Purge{hash, parse_id(rest.substr(first + 1, second - first - 1)),
                        parse_id(rest.substr(second + 1))});
  }
  return out;
}

// `catalog` without the purged types and properties (and without the edge
// types whose endpoint type is purged).
compiler::Catalog without(const compiler::Catalog& catalog, const std::vector<Purge>& purges) {
  std::set<uint32_t> types;
  std::map<uint32_t, std::set<uint32_t>> properties;
  for (const Purge& p : purges) {
    if (p.property_id == 0) {
      types.insert(p.type_id);
    } else {
      properties[p.type_id].insert(p.property_id);
    }
  }
  auto strip = [&](auto& type) {
    auto it = properties.find(type.type_id);
    if (it == properties.end()) return;
    std::erase_if(type.properties,
                  [&](const compiler::Property& p) { return it->second.contains(p.id); });
  };
  std::vector<compiler::NodeType> nodes;
  std::set<std::string> gone_nodes;
  for (compiler::NodeType type : catalog.node_types()) {
    if (types.contains(type.type_id)) {
      gone_nodes.insert(type.name);
      continue;
    }
    strip(type);
    nodes.push_back(std::move(type));
  }
  std::vector<compiler::EdgeType> edges;
  for (compiler::EdgeType type : catalog.edge_types()) {
    if (types.contains(type.type_id) || gone_nodes.contains(type.from_type) ||
        gone_nodes.contains(type.to_type)) {
      continue;
    }
    strip(type);
    edges.push_back(std::move(type));
  }
  return compiler::Catalog(catalog.source(), catalog.interfaces(), std::move(nodes),
                           std::move(edges));
}

void write_step(rapidjson::Writer<rapidjson::StringBuffer>& w, const SchemaStep& step) {
  using K = SchemaStep::Kind;
  auto field = [&](const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  auto annotations = [&] {
    w.Key("annotations");
    w.StartArray();
    for (const auto& a : step.annotations) {
      w.StartObject();
      field("name", a.name);
      w.Key("value");
      if (a.value) {
        w.String(a.value->c_str(), static_cast<rapidjson::SizeType>(a.value->size()));
      } else {
        w.Null();
      }
      w.EndObject();
    }
    w.EndArray();
  };
  w.StartObject();
  switch (step.kind) {
    case K::kAddType:
      field("kind", "add_type");
      field("type_kind", step.type_kind);
      field("name", step.name);
      break;
    case K::kRenameType:
      field("kind", "rename_type");
      field("type_kind", step.type_kind);
      field("from", step.from);
      field("to", step.to);
      break;
    case K::kAddProperty: {
      field("kind", "add_property");
      field("type_kind", step.type_kind);
      field("type_name", step.type_name);
      field("property_name", step.property_name);
      const SchemaStep::PropertyType& type = *step.property_type;
      w.Key("property_type");
      w.StartObject();
      w.Key("scalar");
      if (type.vector_dim) {
        w.StartObject();
        w.Key("Vector");
        w.Uint(*type.vector_dim);
        w.EndObject();
      } else {
        w.String(type.scalar.c_str());
      }
      w.Key("nullable");
      w.Bool(type.nullable);
      w.Key("list");
      w.Bool(type.list);
      w.Key("enum_values");
      if (type.enum_values) {
        w.StartArray();
        for (const auto& v : *type.enum_values) w.String(v.c_str());
        w.EndArray();
      } else {
        w.Null();
      }
      w.EndObject();
      break;
    }
    case K::kRenameProperty:
      field("kind", "rename_property");
      field("type_kind", step.type_kind);
      field("type_name", step.type_name);
      field("from", step.from);
      field("to", step.to);
      break;
    case K::kAddConstraint:
      field("kind", "add_constraint");
      field("type_kind", step.type_kind);
      field("type_name", step.type_name);
      w.Key("constraint");
      w.RawValue(step.constraint_json.c_str(), step.constraint_json.size(), rapidjson::kObjectType);
      break;
    case K::kUpdateTypeMetadata:
      field("kind", "update_type_metadata");
      field("type_kind", step.type_kind);
      field("name", step.name);
      annotations();
      break;
    case K::kUpdatePropertyMetadata:
      field("kind", "update_property_metadata");
      field("type_kind", step.type_kind);
      field("type_name", step.type_name);
      field("property_name", step.property_name);
      annotations();
      break;
    case K::kDropType:
      field("kind", "drop_type");
      field("type_kind", step.type_kind);
      field("name", step.name);
      field("mode", step.mode);
      break;
    case K::kDropProperty:
      field("kind", "drop_property");
      field("type_kind", step.type_kind);
      field("type_name", step.type_name);
      field("property_name", step.property_name);
      field("mode", step.mode);
      break;
    case K::kUnsupportedChange:
      field("kind", "unsupported_change");
      field("entity", step.entity);
      field("reason", step.reason);
      if (step.code) field("code", *step.code);
      break;
  }
  w.EndObject();
}

// The type id of `kind`:`name` in `catalog` (0 when absent).
uint32_t type_id_of(const compiler::Catalog& catalog, const std::string& kind,
                    const std::string& name) {
  if (kind == "node") {
    const auto* t = catalog.find_node_type(name);
    return t ? t->type_id : 0;
  }
  const auto* t = catalog.find_edge_type(name);
  return t ? t->type_id : 0;
}

uint32_t property_id_of(const compiler::Catalog& catalog, const std::string& kind,
                        const std::string& type_name, const std::string& property) {
  const compiler::Property* p = nullptr;
  if (kind == "node") {
    if (const auto* t = catalog.find_node_type(type_name)) p = t->find_property(property);
  } else if (const auto* t = catalog.find_edge_type(type_name)) {
    p = t->find_property(property);
  }
  return p ? p->id : 0;
}

// The (type id, property id or 0) pairs a plan's hard drops purge, by the
// accepted schema's ids.
std::vector<std::pair<uint32_t, uint32_t>> hard_drops(const SchemaPlan& plan,
                                                      const compiler::Catalog& accepted) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (const SchemaStep& step : plan.steps) {
    if (step.mode != "hard") continue;
    if (step.kind == SchemaStep::Kind::kDropType) {
      out.emplace_back(type_id_of(accepted, step.type_kind, step.name), 0);
    } else if (step.kind == SchemaStep::Kind::kDropProperty) {
      out.emplace_back(
          type_id_of(accepted, step.type_kind, step.type_name),
          property_id_of(accepted, step.type_kind, step.type_name, step.property_name));
    }
  }
  return out;
}

}  // namespace

State Graph::Impl::hide_purged(State state) {
  std::vector<Purge> applying;
  for (const Purge& purge : list_purges(*store.refs)) {
    if (version::is_ancestor(commits, state.commit_hash, purge.applied_on)) {
      applying.push_back(purge);
    }
  }
  if (applying.empty()) return state;
  state.catalog = std::make_shared<const compiler::Catalog>(without(*state.catalog, applying));
  state.catalog_tag = "/purged";
  for (const Purge& p : applying) {
    state.catalog_tag += ":" + std::to_string(p.type_id) + "." + std::to_string(p.property_id);
  }
  return state;
}

std::string Graph::schema_source(const GraphTarget& at) {
  State state = at.branch ? impl_->branch_state(*at.branch) : impl_->snapshot_state(*at.snapshot);
  auto chunk = impl_->store.chunks->get(state.root->schema);
  if (!chunk) throw_internal("schema chunk " + state.root->schema.hex() + " is missing");
  return engine::decode_schema_record(*chunk).source;
}

SchemaPlan Graph::schema_plan(std::string_view desired_source, const std::string& branch,
                              bool allow_data_loss) {
  State state = impl_->branch_state(branch);
  compiler::Catalog desired = compiler::compile_schema(desired_source);
  return engine::plan_schema_change(*state.catalog, desired, allow_data_loss).plan;
}

SchemaApplyResult Graph::schema_apply(const SchemaApplyRequest& request) {
  // The branch whose schema changes is the one the rules judge (scope_for
  // names main, the reference's only possible target).
  policy::PolicyRequest scope = policy::scope_for(policy::Operation::kSchemaApply);
  scope.target_branch = request.branch;
  impl_->enforce(request.actor, scope);
  compiler::Catalog desired = compiler::compile_schema(request.schema_source);

  std::lock_guard write_lock(impl_->write_mutex);
  for (int attempt = 0; attempt < kMaxPublishAttempts; ++attempt) {
    State head = impl_->branch_state(request.branch);
    engine::PlannedSchema planned =
        engine::plan_schema_change(*head.catalog, desired, request.allow_data_loss);
    SchemaApplyResult result;
    result.supported = planned.plan.supported;
    result.steps = planned.plan.steps;
    for (const SchemaStep& step : planned.plan.steps) {
      if (step.kind == SchemaStep::Kind::kUnsupportedChange) {
        throw_bad_request(engine::unsupported_message(step));
      }
    }
    if (planned.plan.steps.empty()) {
      result.applied = false;
      result.manifest_version = head.commit->manifest_version;
      result.commit_id = head.commit->graph_commit_id.str();
      return result;
    }

    engine::SchemaRecord record{request.schema_source, engine::id_overrides_of(*planned.catalog)};
    std::string schema_bytes = engine::encode_schema_record(record);
    Hash schema_hash = Hash::of(schema_bytes);
    GraphRoot next = engine::migrate_root(impl_->nodes, *head.root, *head.catalog, *planned.catalog,
                                          request.branch);
    next.schema = schema_hash;
    std::string encoded = engine::encode_graph_root(next);
    Hash root_hash = Hash::of(encoded);
    impl_->store.chunks->put_many({store::Chunk{schema_hash, std::move(schema_bytes)},
                                   store::Chunk{root_hash, std::move(encoded)}});

    version::Commit commit;
    commit.root = root_hash;
    commit.parents = {head.commit_hash};
    commit.actor = request.actor;
    commit.time_us = version::now_us();
    commit.branch = request.branch;
    commit.graph_commit_id = Ulid::generate();
    commit.manifest_version = head.commit->manifest_version + 1;

    // Purge refs go first: a crash between them and the publish hides data
    // the branch head still shows only in commits read by id, never loses
    // the drop's effect after it is published.
    std::vector<std::string> purge_refs;
    for (const auto& [type_id, property_id] : hard_drops(planned.plan, *head.catalog)) {
      std::string name = std::string(kPurgeRefPrefix) + commit.graph_commit_id.str() + "/" +
                         std::to_string(type_id) + "/" + std::to_string(property_id);
      impl_->store.refs->compare_and_swap(name, std::nullopt, head.commit_hash);
      purge_refs.push_back(std::move(name));
    }
    if (!impl_->commits.try_publish(commit, head.commit_hash)) {
      for (const auto& name : purge_refs)
        impl_->store.refs->compare_and_delete(name, head.commit_hash);
      continue;
    }
    result.applied = true;
    result.manifest_version = commit.manifest_version;
    result.commit_id = commit.graph_commit_id.str();
    return result;
  }
  throw_conflict("branch '" + request.branch + "' kept moving; gave up after " +
                 std::to_string(kMaxPublishAttempts) + " attempts");
}

std::string schema_steps_json(const std::vector<SchemaStep>& steps) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartArray();
  for (const SchemaStep& step : steps) write_step(w, step);
  w.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace omnigraph
