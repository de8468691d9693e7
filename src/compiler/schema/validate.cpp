#include "compiler/schema/validate.h"

#include <map>
#include <string>

#include "compiler/source_error.h"

namespace omnigraph::compiler::schema {

namespace {

[[noreturn]] void fail(std::string message, SourcePos pos) {
  throw_parse_error(std::move(message), pos.line, pos.column);
}
[[noreturn]] void fail(std::string message, const Annotation& ann) {
  throw_parse_error(std::move(message), ann.line, ann.column);
}

SourcePos pos_of(const Annotation& ann) {
  return SourcePos{ann.line, ann.column};
}

bool is_index_like(const std::string& name) {
  return name == "key" || name == "unique" || name == "index" || name == "embed";
}

// Property-level @key/@unique/@index without a value become constraints.
void desugar(const PropDecl& prop, std::vector<ConstraintDecl>& constraints) {
  for (const auto& ann : prop.annotations) {
    if (!ann.args.empty()) continue;
    ConstraintDecl c;
    if (ann.name == "key") {
      c.kind = ConstraintKind::kKey;
    } else if (ann.name == "unique") {
      c.kind = ConstraintKind::kUnique;
    } else if (ann.name == "index") {
      c.kind = ConstraintKind::kIndex;
    } else {
      continue;
    }
    c.columns.push_back(prop.name);
    c.pos = pos_of(ann);
    constraints.push_back(std::move(c));
  }
}

const PropDecl* find_prop(const std::vector<PropDecl>& props, std::string_view name) {
  for (const auto& p : props) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

void resolve_interfaces(NodeDecl& node, const std::map<std::string, const InterfaceDecl*>& ifaces) {
  for (const auto& ref : node.implements) {
    auto it = ifaces.find(ref.name);
    if (it == ifaces.end()) {
      fail("node " + node.name + " implements unknown interface '" + ref.name + "'", ref.pos);
    }
    for (const auto& iprop : it->second->properties) {
      if (const PropDecl* existing = find_prop(node.properties, iprop.name)) {
        if (!(existing->type == iprop.type)) {
          fail("node " + node.name + " property '" + iprop.name + "' has type " +
                   existing->type.display() + " but interface " + ref.name + " declares it as " +
                   iprop.type.display(),
               existing->pos);
        }
        continue;
      }
      PropDecl injected = iprop;
      injected.from_interface = ref.name;
      desugar(injected, node.constraints);
      node.properties.push_back(std::move(injected));
    }
  }
}

// Built-in annotations take at most one positional value and no keywords;
// anything else is a mistake worth reporting rather than ignoring.
void check_single_value(const Annotation& ann, const std::string& target) {
  static const char* kBuiltins[] = {"description", "instruction", "rename_from", "embed",
                                    "key",         "unique",      "index"};
  bool builtin = false;
  for (const char* b : kBuiltins) builtin = builtin || ann.name == b;
  if (!builtin) return;
  for (const auto& arg : ann.args) {
    if (!arg.key.empty()) {
      fail("@" + ann.name + " on " + target + " does not accept keyword arguments", ann);
    }
  }
  if (ann.args.size() > 1) {
    fail("@" + ann.name + " on " + target + " accepts a single value", ann);
  }
}

// @description / @instruction: at most once, non-empty after trimming.
void check_string_annotation(const std::vector<Annotation>& anns, const std::string& name,
                             const std::string& target) {
  bool seen = false;
  for (const auto& ann : anns) {
    if (ann.name != name) continue;
    if (seen) fail(target + " declares @" + name + " multiple times", ann);
    auto value = ann.value();
    bool blank = !value || value->find_first_not_of(" \t\r\n") == std::string::npos;
    if (blank) fail("@" + name + " on " + target + " requires a non-empty value", ann);
    seen = true;
  }
}

void check_type_annotations(const std::vector<Annotation>& anns, const std::string& kind,
                            const std::string& name) {
  const std::string target = kind + " " + name;
  for (const auto& ann : anns) {
    if (is_index_like(ann.name)) {
      if (kind == "node") {
        fail("@" + ann.name + " is only supported on node properties or as body constraint (node " +
                 name + ")",
             ann);
      }
      fail("@" + ann.name + " is not supported on edges (edge " + name + ")", ann);
    }
    check_single_value(ann, target);
  }
  check_string_annotation(anns, "description", target);
  check_string_annotation(anns, "instruction", target);
}

void check_property_annotations(const PropDecl& prop, const std::string& owner,
                                const std::vector<PropDecl>& all, bool is_edge) {
  const std::string qualified = owner + "." + prop.name;
  const std::string target = "property " + qualified;
  for (const auto& ann : prop.annotations) check_single_value(ann, target);
  check_string_annotation(prop.annotations, "description", target);

  const bool is_vector = prop.type.is_vector();
  const bool is_blob = prop.type.is_blob();
  bool key_seen = false, unique_seen = false, index_seen = false, embed_seen = false;
  for (const auto& ann : prop.annotations) {
    const std::string& a = ann.name;
    if (prop.type.list && is_index_like(a)) {
      fail("@" + a + " is not supported on list property " + qualified, ann);
    }
    if (is_vector && (a == "key" || a == "unique")) {
      fail("@" + a + " is not supported on vector property " + qualified, ann);
    }
    if (is_blob && is_index_like(a)) {
      fail("@" + a + " is not supported on blob property " + qualified, ann);
    }
    if (a == "instruction") {
      fail("@instruction is only supported on node and edge types (property " + qualified + ")",
           ann);
    }
    if (is_edge && (a == "key" || a == "embed")) {
      fail("@" + a + " is not supported on edge properties (edge " + qualified + ")", ann);
    }
    if (a == "key" || a == "unique" || a == "index") {
      bool& seen = a == "key" ? key_seen : a == "unique" ? unique_seen : index_seen;
      if (!ann.args.empty()) fail("@" + a + " on " + qualified + " does not accept a value", ann);
      if (seen) fail("property " + qualified + " declares @" + a + " multiple times", ann);
      seen = true;
    } else if (a == "embed") {
      if (embed_seen) fail("property " + qualified + " declares @embed multiple times", ann);
      embed_seen = true;
      if (!is_vector) {
        fail("@embed is only supported on vector properties (" + qualified + ")", ann);
      }
      auto source = ann.value();
      if (!source) fail("@embed on " + qualified + " requires a source property name", ann);
      if (source->find_first_not_of(" \t\r\n") == std::string::npos) {
        fail("@embed on " + qualified + " requires a non-empty source property name", ann);
      }
      const PropDecl* src = find_prop(all, *source);
      if (!src) {
        fail("@embed on " + qualified + " references unknown source property " + *source, ann);
      }
      if (src->type.list || src->type.scalar != ScalarKind::kString) {
        fail("@embed source property " + owner + "." + *source + " must be String", ann);
      }
    }
  }
}

void check_constraints(const std::vector<ConstraintDecl>& constraints,
                       const std::vector<PropDecl>& props, const std::string& owner, bool is_edge) {
  int keys = 0;
  for (const auto& c : constraints) {
    switch (c.kind) {
      case ConstraintKind::kKey:
        if (is_edge) fail("@key constraint is not supported on edges (edge " + owner + ")", c.pos);
        if (++keys > 1) {
          fail("node type " + owner + " has multiple @key constraints; only one is supported",
               c.pos);
        }
        for (const auto& col : c.columns) {
          const PropDecl* p = find_prop(props, col);
          if (!p) fail("@key on " + owner + " references unknown property '" + col + "'", c.pos);
          const std::string q = owner + "." + col;
          if (p->type.nullable) fail("@key property " + q + " cannot be nullable", c.pos);
          if (p->type.list) fail("@key is not supported on list property " + q, c.pos);
          if (p->type.is_vector()) fail("@key is not supported on vector property " + q, c.pos);
          if (p->type.is_blob()) fail("@key is not supported on blob property " + q, c.pos);
        }
        break;
      case ConstraintKind::kUnique:
        for (const auto& col : c.columns) {
          if (is_edge && (col == "src" || col == "dst")) continue;
          if (!find_prop(props, col)) {
            fail("@unique on " + owner + " references unknown property '" + col + "'", c.pos);
          }
        }
        break;
      case ConstraintKind::kIndex:
        for (const auto& col : c.columns) {
          if (is_edge && (col == "src" || col == "dst")) continue;
          const PropDecl* p = find_prop(props, col);
          if (!p) fail("@index on " + owner + " references unknown property '" + col + "'", c.pos);
          if (p->type.is_blob()) {
            fail("@index is not supported on blob property " + owner + "." + col, c.pos);
          }
        }
        break;
      case ConstraintKind::kRange:
      case ConstraintKind::kCheck: {
        const bool range = c.kind == ConstraintKind::kRange;
        const std::string a = range ? "range" : "check";
        if (is_edge) {
          fail("@" + a + " constraint is not supported on edges (edge " + owner + ")", c.pos);
        }
        const std::string& col = c.columns.front();
        const PropDecl* p = find_prop(props, col);
        if (!p)
          fail("@" + a + " on " + owner + " references unknown property '" + col + "'", c.pos);
        if (range && !p->type.is_numeric()) {
          fail("@range on " + owner + "." + col + " requires a numeric type, got " +
                   p->type.display(),
               c.pos);
        }
        if (!range && p->type.scalar != ScalarKind::kString) {
          fail("@check on " + owner + "." + col + " requires String type, got " + p->type.display(),
               c.pos);
        }
        if (range && c.min && c.max && c.min->as_double() > c.max->as_double()) {
          fail("@range on " + owner + "." + col + " has min (" + c.min->text +
                   ") greater than max (" + c.max->text + ")",
               c.pos);
        }
        break;
      }
    }
  }
}

}  // namespace

void resolve_and_validate(SchemaFile& file) {
  // Desugar each type's own property annotations after its body constraints
  // (the reference's order), then expand interfaces.
  std::map<std::string, const InterfaceDecl*> ifaces;
  for (auto& decl : file.declarations) {
    if (auto* iface = std::get_if<InterfaceDecl>(&decl)) {
      ifaces.emplace(iface->name, iface);  // duplicates are a catalog error later
    } else if (auto* node = std::get_if<NodeDecl>(&decl)) {
      for (const auto& p : node->properties) desugar(p, node->constraints);
    } else if (auto* edge = std::get_if<EdgeDecl>(&decl)) {
      for (const auto& p : edge->properties) desugar(p, edge->constraints);
    }
  }
  for (auto& decl : file.declarations) {
    if (auto* node = std::get_if<NodeDecl>(&decl)) resolve_interfaces(*node, ifaces);
  }

  for (const auto& decl : file.declarations) {
    if (const auto* node = std::get_if<NodeDecl>(&decl)) {
      check_type_annotations(node->annotations, "node", node->name);
      for (const auto& p : node->properties) {
        check_property_annotations(p, node->name, node->properties, false);
      }
    } else if (const auto* edge = std::get_if<EdgeDecl>(&decl)) {
      check_type_annotations(edge->annotations, "edge", edge->name);
      for (const auto& p : edge->properties) {
        check_property_annotations(p, edge->name, edge->properties, true);
      }
    }
  }

  for (const auto& decl : file.declarations) {
    if (const auto* node = std::get_if<NodeDecl>(&decl)) {
      check_constraints(node->constraints, node->properties, node->name, false);
    } else if (const auto* edge = std::get_if<EdgeDecl>(&decl)) {
      check_constraints(edge->constraints, edge->properties, edge->name, true);
    }
  }
}

}  // namespace omnigraph::compiler::schema
