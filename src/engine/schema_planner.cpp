#include "engine/schema_planner.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/types.h"

namespace omnigraph::engine {
namespace {

using compiler::Annotation;
using compiler::Catalog;
using compiler::Property;
using Step = SchemaStep;
using Renames = std::map<std::string, std::string>;

constexpr std::string_view kV1 = " is not supported in schema migration v1";

Step unsupported(std::string entity, std::string reason,
                 std::optional<std::string> code = std::nullopt) {
  Step step;
  step.kind = Step::Kind::kUnsupportedChange;
  step.entity = std::move(entity);
  step.reason = std::move(reason);
  step.code = std::move(code);
  return step;
}

SchemaStep::PropertyType property_type_of(const compiler::Type& type) {
  SchemaStep::PropertyType out;
  out.scalar = std::string(compiler::scalar_kind_name(type.scalar));
  if (type.is_vector()) out.vector_dim = type.vector_dim;
  out.nullable = type.nullable;
  out.list = type.list;
  if (type.is_enum()) out.enum_values = type.enum_values;
  return out;
}

// ---- annotations ------------------------------------------------------------

using AnnotationList = std::vector<SchemaStep::Annotation>;

bool is_metadata(std::string_view name) {
  return name == "description" || name == "instruction";
}
bool is_structural(std::string_view name) {
  return is_metadata(name) || name == "rename_from" || name == "key" || name == "unique" ||
         name == "index";
}

// Sorted by (name, value), like the reference's canonical annotations.
AnnotationList canonical(const std::vector<Annotation>& annotations, bool metadata) {
  AnnotationList out;
  for (const Annotation& a : annotations) {
    bool keep = metadata ? is_metadata(a.name) : !is_structural(a.name);
    if (keep) out.push_back({a.name, a.value()});
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return std::tie(x.name, x.value) < std::tie(y.name, y.value);
  });
  return out;
}

bool same(const AnnotationList& a, const AnnotationList& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].value != b[i].value) return false;
  }
  return true;
}

// What changed in a set of annotations: something beyond metadata
// (unsupported), the new metadata, or nothing.
struct AnnotationChange {
  bool unsupported = false;
  std::optional<AnnotationList> metadata;
};

AnnotationChange annotation_change(const std::vector<Annotation>& accepted,
                                   const std::vector<Annotation>& desired) {
  AnnotationChange out;
  if (!same(canonical(accepted, false), canonical(desired, false))) {
    out.unsupported = true;
    return out;
  }
  AnnotationList before = canonical(accepted, true);
  AnnotationList after = canonical(desired, true);
  if (!same(before, after)) out.metadata = std::move(after);
  return out;
}

const std::string kAnnotationReason =
    "changing annotations beyond @description/@instruction" + std::string(kV1);

// ---- constraints ------------------------------------------------------------

struct Constraint {
  enum class Kind { kKey, kUnique, kIndex, kRange, kCheck } kind;
  std::vector<std::string> columns;  // key / unique / index (sorted)
  std::string property;              // range / check
  std::optional<compiler::RangeBound> min, max;
  std::string pattern;
};

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

// Rust's Debug rendering of an optional bound, as the reference's key uses.
std::string bound_debug(const std::optional<compiler::RangeBound>& bound) {
  if (!bound) return "None";
  if (bound->is_float) {
    std::string text = bound->text;
    if (text.find_first_of(".eE") == std::string::npos) text += ".0";
    return "Some(Float(" + text + "))";
  }
  return "Some(Integer(" + std::to_string(bound->int_value) + "))";
}

std::string constraint_key(const Constraint& c) {
  switch (c.kind) {
    case Constraint::Kind::kKey: return "key:" + join(c.columns, ",");
    case Constraint::Kind::kUnique: return "unique:" + join(c.columns, ",");
    case Constraint::Kind::kIndex: return "index:" + join(c.columns, ",");
    case Constraint::Kind::kRange:
      return "range:" + c.property + ":" + bound_debug(c.min) + ":" + bound_debug(c.max);
    case Constraint::Kind::kCheck: return "check:" + c.property + ":" + c.pattern;
  }
  return "";
}

void write_bound(rapidjson::Writer<rapidjson::StringBuffer>& w,
                 const std::optional<compiler::RangeBound>& bound) {
  if (!bound) {
    w.Null();
    return;
  }
  w.StartObject();
  if (bound->is_float) {
    w.Key("Float");
    w.Double(bound->float_value);
  } else {
    w.Key("Integer");
    w.Int64(bound->int_value);
  }
  w.EndObject();
}

// The reference's externally tagged Constraint value.
std::string constraint_json(const Constraint& c) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  auto columns = [&](const char* tag) {
    w.Key(tag);
    w.StartArray();
    for (const auto& column : c.columns) w.String(column.c_str());
    w.EndArray();
  };
  switch (c.kind) {
    case Constraint::Kind::kKey: columns("Key"); break;
    case Constraint::Kind::kUnique: columns("Unique"); break;
    case Constraint::Kind::kIndex: columns("Index"); break;
    case Constraint::Kind::kRange:
      w.Key("Range");
      w.StartObject();
      w.Key("property");
      w.String(c.property.c_str());
      w.Key("min");
      write_bound(w, c.min);
      w.Key("max");
      write_bound(w, c.max);
      w.EndObject();
      break;
    case Constraint::Kind::kCheck:
      w.Key("Check");
      w.StartObject();
      w.Key("property");
      w.String(c.property.c_str());
      w.Key("pattern");
      w.String(c.pattern.c_str());
      w.EndObject();
      break;
  }
  w.EndObject();
  return buffer.GetString();
}

std::string renamed(const std::string& name, const Renames& renames) {
  auto it = renames.find(name);
  return it == renames.end() ? name : it->second;
}

Constraint columns_constraint(Constraint::Kind kind, std::vector<std::string> columns,
                              const Renames& renames) {
  Constraint c{kind, {}, {}, {}, {}, {}};
  for (auto& column : columns) c.columns.push_back(renamed(column, renames));
  std::sort(c.columns.begin(), c.columns.end());
  return c;
}

// Keyed by constraint_key, so the map is the reference's sorted set.
std::map<std::string, Constraint> constraints_of(const compiler::NodeType& type,
                                                 const Renames& renames) {
  std::map<std::string, Constraint> out;
  auto add = [&](Constraint c) { out.emplace(constraint_key(c), std::move(c)); };
  if (!type.key.empty()) add(columns_constraint(Constraint::Kind::kKey, type.key, renames));
  bool implied_skipped = type.key.empty();
  for (const auto& columns : type.indices) {
    if (!implied_skipped && columns == type.key) {
      implied_skipped = true;  // the index a @key implies is not a declared constraint
      continue;
    }
    add(columns_constraint(Constraint::Kind::kIndex, columns, renames));
  }
  for (const auto& columns : type.unique_constraints) {
    add(columns_constraint(Constraint::Kind::kUnique, columns, renames));
  }
  for (const auto& range : type.range_constraints) {
    add(Constraint{
        Constraint::Kind::kRange, {}, renamed(range.property, renames), range.min, range.max, {}});
  }
  for (const auto& check : type.check_constraints) {
    add(Constraint{
        Constraint::Kind::kCheck, {}, renamed(check.property, renames), {}, {}, check.pattern});
  }
  return out;
}

std::map<std::string, Constraint> constraints_of(const compiler::EdgeType& type,
                                                 const Renames& renames) {
  std::map<std::string, Constraint> out;
  auto add = [&](Constraint c) { out.emplace(constraint_key(c), std::move(c)); };
  for (const auto& columns : type.indices) {
    add(columns_constraint(Constraint::Kind::kIndex, columns, renames));
  }
  for (const auto& columns : type.unique_constraints) {
    add(columns_constraint(Constraint::Kind::kUnique, columns, renames));
  }
  return out;
}

// ---- the planner --------------------------------------------------------------

class Planner {
 public:
  Planner(const Catalog& accepted, const Catalog& desired, bool allow_data_loss)
      : accepted_(accepted), desired_(desired), drop_mode_(allow_data_loss ? "hard" : "soft") {}

  PlannedSchema run() {
    interfaces_ = desired_.interfaces();
    nodes_ = desired_.node_types();
    edges_ = desired_.edge_types();
    for (const auto& t : accepted_.interfaces()) used_type_ids_.insert(t.type_id);
    plan_interfaces();
    plan_nodes();
    plan_edges();
    assign_new_type_ids();

    PlannedSchema out;
    out.plan.steps = std::move(steps_);
    out.plan.supported = std::none_of(out.plan.steps.begin(), out.plan.steps.end(), [](auto& s) {
      return s.kind == Step::Kind::kUnsupportedChange;
    });
    out.catalog = std::make_shared<const Catalog>(desired_.source(), std::move(interfaces_),
                                                  std::move(nodes_), std::move(edges_));
    return out;
  }

 private:
  // Desired positions in name order (the reference's IR sorts by name).
  template <typename T>
  static std::vector<size_t> by_name(const std::vector<T>& items) {
    std::vector<size_t> order(items.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return items[a].name < items[b].name; });
    return order;
  }

  template <typename T>
  static std::vector<const T*> sorted(const std::vector<T>& items) {
    std::vector<const T*> out;
    for (const T& item : items) out.push_back(&item);
    std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->name < b->name; });
    return out;
  }

  // The accepted type `desired` continues: same name, else its @rename_from
  // (when that name is neither declared again nor continued by another
  // type: two types must never share one table). Emits the add / bad
  // rename step when there is none.
  template <typename T>
  const T* match_type(const std::string& kind, const T& desired,
                      const T* (Catalog::*find)(std::string_view) const,
                      const T* (Catalog::*find_desired)(std::string_view) const,
                      const std::set<std::string>& consumed) {
    if (const T* same_name = (accepted_.*find)(desired.name)) return same_name;
    if (desired.rename_from) {
      const T* from = (accepted_.*find)(*desired.rename_from);
      if (from != nullptr && (desired_.*find_desired)(*desired.rename_from) == nullptr &&
          !consumed.contains(from->name)) {
        return from;
      }
      steps_.push_back(unsupported(kind + ":" + desired.name,
                                   kind + " '" + desired.name + "' declares @rename_from(\"" +
                                       *desired.rename_from + "\") but no accepted " + kind +
                                       " with that name exists"));
      return nullptr;
    }
    Step step;
    step.kind = Step::Kind::kAddType;
    step.type_kind = kind;
    step.name = desired.name;
    steps_.push_back(std::move(step));
    return nullptr;
  }

  void plan_type_metadata(const std::string& kind, const std::string& name,
                          const std::vector<Annotation>& accepted,
                          const std::vector<Annotation>& desired) {
    AnnotationChange change = annotation_change(accepted, desired);
    if (change.unsupported) {
      steps_.push_back(unsupported(kind + ":" + name, kAnnotationReason));
    } else if (change.metadata) {
      Step step;
      step.kind = Step::Kind::kUpdateTypeMetadata;
      step.type_kind = kind;
      step.name = name;
      step.annotations = std::move(*change.metadata);
      steps_.push_back(std::move(step));
    }
  }

  // Plans one type's properties and assigns the desired properties' ids.
  Renames plan_properties(const std::string& kind, const std::string& type_name,
                          const std::vector<Property>& accepted, std::vector<Property>& desired) {
    std::map<std::string, const Property*> accepted_by_name;
    for (const Property& p : accepted) accepted_by_name.emplace(p.name, &p);
    std::set<std::string> desired_names;
    for (const Property& p : desired) desired_names.insert(p.name);
    std::set<std::string> consumed;
    std::set<uint32_t> used;
    std::vector<Property*> fresh;
    Renames renames;
    std::vector<Property*> order;
    for (Property& p : desired) order.push_back(&p);
    std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->name < b->name; });

    for (Property* property : order) {
      std::string entity = kind + ":" + type_name + "." + property->name;
      const Property* existing = nullptr;
      if (auto it = accepted_by_name.find(property->name); it != accepted_by_name.end()) {
        existing = it->second;
      } else if (property->rename_from) {
        auto it = accepted_by_name.find(*property->rename_from);
        if (it != accepted_by_name.end() && !desired_names.contains(*property->rename_from) &&
            !consumed.contains(*property->rename_from)) {
          existing = it->second;
        }
      }
      if (existing == nullptr) {
        fresh.push_back(property);
        if (property->rename_from) {
          steps_.push_back(unsupported(entity, "property '" + type_name + "." + property->name +
                                                   "' declares @rename_from(\"" +
                                                   *property->rename_from +
                                                   "\") but no accepted property with that "
                                                   "name exists"));
        } else if (property->type.nullable) {
          Step step;
          step.kind = Step::Kind::kAddProperty;
          step.type_kind = kind;
          step.type_name = type_name;
          step.property_name = property->name;
          step.property_type = property_type_of(property->type);
          steps_.push_back(std::move(step));
        } else {
          steps_.push_back(unsupported(entity,
                                       "adding required property '" + type_name + "." +
                                           property->name + "' requires a backfill and" +
                                           std::string(kV1),
                                       "OG-MF-103"));
        }
        continue;
      }
      consumed.insert(existing->name);
      property->id = existing->id;
      used.insert(existing->id);
      if (existing->name != property->name) {
        renames.emplace(existing->name, property->name);
        Step step;
        step.kind = Step::Kind::kRenameProperty;
        step.type_kind = kind;
        step.type_name = type_name;
        step.from = existing->name;
        step.to = property->name;
        steps_.push_back(std::move(step));
      }
      if (!(existing->type == property->type)) {
        steps_.push_back(unsupported(entity,
                                     "changing property type for '" + type_name + "." +
                                         property->name + "'" + std::string(kV1),
                                     "OG-MF-106"));
      }
      AnnotationChange change = annotation_change(existing->annotations, property->annotations);
      if (change.unsupported) {
        steps_.push_back(unsupported(entity, kAnnotationReason));
      } else if (change.metadata) {
        Step step;
        step.kind = Step::Kind::kUpdatePropertyMetadata;
        step.type_kind = kind;
        step.type_name = type_name;
        step.property_name = property->name;
        step.annotations = std::move(*change.metadata);
        steps_.push_back(std::move(step));
      }
    }
    for (const Property* p : sorted(accepted)) {
      if (consumed.contains(p->name)) continue;
      Step step;
      step.kind = Step::Kind::kDropProperty;
      step.type_kind = kind;
      step.type_name = type_name;
      step.property_name = p->name;
      step.mode = drop_mode_;
      steps_.push_back(std::move(step));
      // A dropped property's id stays reserved in this plan: the rows that
      // still hold it are rewritten by the apply, but a new property must
      // not inherit its values meanwhile.
      used.insert(p->id);
    }
    for (Property* p : fresh) p->id = free_id(used, p->id);
    return renames;
  }

  static uint32_t free_id(std::set<uint32_t>& used, uint32_t id) {
    while (id == 0 || used.contains(id)) ++id;
    used.insert(id);
    return id;
  }

  template <typename T>
  void plan_constraints(const std::string& kind, const T& accepted, const T& desired,
                        const Renames& renames) {
    auto before = constraints_of(accepted, renames);
    auto after = constraints_of(desired, Renames{});
    bool removed = std::any_of(before.begin(), before.end(),
                               [&](const auto& entry) { return !after.contains(entry.first); });
    if (removed) {
      steps_.push_back(
          unsupported(kind + ":" + desired.name,
                      "removing constraints from '" + desired.name + "'" + std::string(kV1)));
    }
    for (const auto& [key, constraint] : after) {
      if (before.contains(key)) continue;
      if (constraint.kind == Constraint::Kind::kIndex) {
        Step step;
        step.kind = Step::Kind::kAddConstraint;
        step.type_kind = kind;
        step.type_name = desired.name;
        step.constraint_json = constraint_json(constraint);
        steps_.push_back(std::move(step));
      } else {
        steps_.push_back(unsupported(
            kind + ":" + desired.name,
            "adding constraint '" + key + "' to '" + desired.name + "'" + std::string(kV1)));
      }
    }
  }

  void plan_interfaces() {
    for (size_t i : by_name(interfaces_)) {
      compiler::InterfaceType& desired = interfaces_[i];
      const compiler::InterfaceType* existing = accepted_.find_interface(desired.name);
      if (existing == nullptr) {
        // An interface adds no table: its properties reach data only through
        // the node types that implement it, so it cannot be added on its own.
        steps_.push_back(unsupported("interface:" + desired.name,
                                     "adding interface '" + desired.name + "'" + std::string(kV1)));
        new_types_.push_back(&desired.type_id);
        new_type_names_.push_back("interface:" + desired.name);
        continue;
      }
      desired.type_id = existing->type_id;
      size_t first = steps_.size();
      plan_properties("interface", desired.name, existing->properties, desired.properties);
      // Interface property additions, renames and drops have no table of
      // their own (the reference cannot apply them either).
      bool structural = false;
      for (size_t s = first; s < steps_.size(); ++s) {
        auto kind = steps_[s].kind;
        structural = structural || kind == Step::Kind::kAddProperty ||
                     kind == Step::Kind::kRenameProperty || kind == Step::Kind::kDropProperty;
      }
      if (structural) {
        steps_.push_back(unsupported(
            "interface:" + desired.name,
            "changing the properties of interface '" + desired.name + "'" + std::string(kV1)));
      }
    }
    for (const auto* leftover : sorted(accepted_.interfaces())) {
      if (desired_.find_interface(leftover->name) != nullptr) continue;
      steps_.push_back(
          unsupported("interface:" + leftover->name,
                      "removing interface '" + leftover->name + "'" + std::string(kV1)));
    }
  }

  void plan_nodes() {
    std::set<std::string> consumed;
    for (size_t i : by_name(nodes_)) {
      compiler::NodeType& desired = nodes_[i];
      const compiler::NodeType* existing = match_type<compiler::NodeType>(
          "node", desired, &Catalog::find_node_type, &Catalog::find_node_type, consumed);
      if (existing == nullptr) {
        new_types_.push_back(&desired.type_id);
        new_type_names_.push_back("node:" + desired.name);
        continue;
      }
      consumed.insert(existing->name);
      desired.type_id = existing->type_id;
      used_type_ids_.insert(existing->type_id);
      if (existing->name != desired.name) {
        node_renames_.emplace(existing->name, desired.name);
        Step step;
        step.kind = Step::Kind::kRenameType;
        step.type_kind = "node";
        step.from = existing->name;
        step.to = desired.name;
        steps_.push_back(std::move(step));
      }
      std::set<std::string> before(existing->implements.begin(), existing->implements.end());
      std::set<std::string> after(desired.implements.begin(), desired.implements.end());
      if (before != after) {
        steps_.push_back(unsupported(
            "node:" + desired.name,
            "changing implemented interfaces on node '" + desired.name + "'" + std::string(kV1)));
      }
      plan_type_metadata("node", desired.name, existing->annotations, desired.annotations);
      Renames renames =
          plan_properties("node", desired.name, existing->properties, desired.properties);
      plan_constraints("node", *existing, desired, renames);
    }
    for (const auto* leftover : sorted(accepted_.node_types())) {
      if (consumed.contains(leftover->name)) continue;
      used_type_ids_.insert(leftover->type_id);
      Step step;
      step.kind = Step::Kind::kDropType;
      step.type_kind = "node";
      step.name = leftover->name;
      step.mode = drop_mode_;
      steps_.push_back(std::move(step));
    }
  }

  void plan_edges() {
    std::set<std::string> consumed;
    for (size_t i : by_name(edges_)) {
      compiler::EdgeType& desired = edges_[i];
      const compiler::EdgeType* existing = match_type<compiler::EdgeType>(
          "edge", desired, &Catalog::find_edge_type, &Catalog::find_edge_type, consumed);
      if (existing == nullptr) {
        new_types_.push_back(&desired.type_id);
        new_type_names_.push_back("edge:" + desired.name);
        continue;
      }
      consumed.insert(existing->name);
      desired.type_id = existing->type_id;
      used_type_ids_.insert(existing->type_id);
      if (existing->name != desired.name) {
        Step step;
        step.kind = Step::Kind::kRenameType;
        step.type_kind = "edge";
        step.from = existing->name;
        step.to = desired.name;
        steps_.push_back(std::move(step));
      }
      if (renamed(existing->from_type, node_renames_) != desired.from_type ||
          renamed(existing->to_type, node_renames_) != desired.to_type) {
        steps_.push_back(
            unsupported("edge:" + desired.name,
                        "changing edge endpoints on '" + desired.name + "'" + std::string(kV1)));
      }
      if (existing->cardinality.min != desired.cardinality.min ||
          existing->cardinality.max != desired.cardinality.max) {
        steps_.push_back(
            unsupported("edge:" + desired.name,
                        "changing cardinality on edge '" + desired.name + "'" + std::string(kV1)));
      }
      plan_type_metadata("edge", desired.name, existing->annotations, desired.annotations);
      Renames renames =
          plan_properties("edge", desired.name, existing->properties, desired.properties);
      plan_constraints("edge", *existing, desired, renames);
    }
    for (const auto* leftover : sorted(accepted_.edge_types())) {
      if (consumed.contains(leftover->name)) continue;
      used_type_ids_.insert(leftover->type_id);
      Step step;
      step.kind = Step::Kind::kDropType;
      step.type_kind = "edge";
      step.name = leftover->name;
      step.mode = drop_mode_;
      steps_.push_back(std::move(step));
    }
  }

  // New types take their name hash unless a kept (or dropped) type holds it.
  void assign_new_type_ids() {
    for (size_t i = 0; i < new_types_.size(); ++i) {
      uint32_t id = compiler::stable_id_hash(new_type_names_[i]);
      *new_types_[i] = free_id(used_type_ids_, id);
    }
  }

  const Catalog& accepted_;
  const Catalog& desired_;
  std::string drop_mode_;
  std::vector<Step> steps_;
  std::vector<compiler::InterfaceType> interfaces_;
  std::vector<compiler::NodeType> nodes_;
  std::vector<compiler::EdgeType> edges_;
  Renames node_renames_;
  std::set<uint32_t> used_type_ids_;
  std::vector<uint32_t*> new_types_;
  std::vector<std::string> new_type_names_;
};

std::string render_property_type(const SchemaStep::PropertyType& type) {
  std::string base = type.enum_values  ? "Enum(" + join(*type.enum_values, "|") + ")"
                     : type.vector_dim ? "Vector(" + std::to_string(*type.vector_dim) + ")"
                                       : type.scalar;
  if (type.list) base = "[" + base + "]";
  if (type.nullable) base += "?";
  return base;
}

std::string render_annotations(const std::vector<SchemaStep::Annotation>& annotations) {
  std::vector<std::string> parts;
  for (const auto& a : annotations) {
    parts.push_back(a.value ? "@" + a.name + "(" + *a.value + ")" : "@" + a.name);
  }
  return join(parts, ", ");
}

// `{"Index":["a","b"]}` -> `@index(a, b)` (the CLI's rendering).
std::string render_constraint(const std::string& json) {
  static const std::pair<std::string_view, std::string_view> kTags[] = {
      {"{\"Key\":", "@key"}, {"{\"Unique\":", "@unique"}, {"{\"Index\":", "@index"}};
  for (const auto& [prefix, name] : kTags) {
    if (!json.starts_with(prefix)) continue;
    std::string inner = json.substr(prefix.size() + 1, json.size() - prefix.size() - 3);
    std::string columns;
    for (char c : inner) {
      if (c == '"') continue;
      columns += c == ',' ? std::string(", ") : std::string(1, c);
    }
    return std::string(name) + "(" + columns + ")";
  }
  return json;
}

}  // namespace

PlannedSchema plan_schema_change(const Catalog& accepted, const Catalog& desired,
                                 bool allow_data_loss) {
  return Planner(accepted, desired, allow_data_loss).run();
}

std::string unsupported_message(const SchemaStep& step) {
  return step.code ? "[" + *step.code + "] " + step.reason : step.reason;
}

std::string render_step(const SchemaStep& s) {
  using K = SchemaStep::Kind;
  switch (s.kind) {
    case K::kAddType: return "add " + s.type_kind + " type '" + s.name + "'";
    case K::kRenameType:
      return "rename " + s.type_kind + " type '" + s.from + "' -> '" + s.to + "'";
    case K::kAddProperty:
      return "add property '" + s.type_name + "." + s.property_name + "' (" +
             render_property_type(*s.property_type) + ") on " + s.type_kind + " '" + s.type_name +
             "'";
    case K::kRenameProperty:
      return "rename property '" + s.type_name + "." + s.from + "' -> '" + s.type_name + "." +
             s.to + "' on " + s.type_kind + " '" + s.type_name + "'";
    case K::kAddConstraint:
      return "add constraint " + render_constraint(s.constraint_json) + " on " + s.type_kind +
             " '" + s.type_name + "'";
    case K::kUpdateTypeMetadata:
      return "update metadata on " + s.type_kind + " '" + s.name + "' (" +
             render_annotations(s.annotations) + ")";
    case K::kUpdatePropertyMetadata:
      return "update metadata on property '" + s.type_name + "." + s.property_name + "' of " +
             s.type_kind + " '" + s.type_name + "' (" + render_annotations(s.annotations) + ")";
    case K::kDropType:
      return "drop " + s.type_kind + " type '" + s.name + "' (" + s.mode + " mode)";
    case K::kDropProperty:
      return "drop property '" + s.type_name + "." + s.property_name + "' of " + s.type_kind +
             " '" + s.type_name + "' (" + s.mode + " mode)";
    case K::kUnsupportedChange:
      if (s.code) {
        return "unsupported change on " + s.entity + " [" + *s.code + ", " +
               (*s.code == "OG-MF-103" ? "validated" : "destructive") + "]: " + s.reason;
      }
      return "unsupported change on " + s.entity + ": " + s.reason;
  }
  return "";
}

}  // namespace omnigraph::engine
