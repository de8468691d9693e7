// Builds the Catalog from a validated syntax tree (spec §1.6) and hosts
// compile_schema, the one entry point of the schema compiler.
#include <map>
#include <set>

#include "compiler/catalog/catalog.h"
#include "compiler/schema/parser.h"
#include "compiler/schema/validate.h"
#include "compiler/source_error.h"

namespace omnigraph::compiler {

namespace {

using schema::ConstraintDecl;
using schema::ConstraintKind;
using schema::PropDecl;
using schema::SourcePos;

[[noreturn]] void fail(std::string message, SourcePos pos) {
  throw_catalog_error(std::move(message), pos.line, pos.column);
}

// Ids are name hashes, so two different names can in principle collide;
// rows are keyed by these ids, so a collision must be refused.
class TypeIds {
 public:
  uint32_t assign(std::string_view kind, const std::string& name, SourcePos pos) {
    uint32_t id = stable_id_hash(std::string(kind) + ":" + name);
    auto [it, inserted] = seen_.emplace(id, name);
    if (!inserted && it->second != name) {
      fail("type id collision: '" + it->second + "' and '" + name + "' both hash to " +
               std::to_string(id),
           pos);
    }
    return id;
  }

 private:
  std::map<uint32_t, std::string> seen_;
};

std::vector<Property> build_properties(const std::vector<PropDecl>& decls, std::string_view kind,
                                       const std::string& owner) {
  std::vector<Property> out;
  std::map<std::string, SourcePos> names;
  std::map<uint32_t, std::string> ids;
  for (const auto& d : decls) {
    if (!names.emplace(d.name, d.pos).second) {
      fail("duplicate property '" + d.name + "' on " + std::string(kind) + " " + owner, d.pos);
    }
    Property p;
    p.name = d.name;
    p.type = d.type;
    p.id = stable_id_hash(std::string(kind) + ":" + owner + ":" + d.name);
    auto [it, inserted] = ids.emplace(p.id, d.name);
    if (!inserted) {
      fail("property id collision on " + owner + ": '" + it->second + "' and '" + d.name +
               "' both hash to " + std::to_string(p.id),
           d.pos);
    }
    p.annotations = d.annotations;
    if (const Annotation* a = find_annotation(d.annotations, "description")) {
      p.description = a->value();
    }
    if (const Annotation* a = find_annotation(d.annotations, "embed")) p.embed_source = a->value();
    if (const Annotation* a = find_annotation(d.annotations, "rename_from")) {
      p.rename_from = a->value();
    }
    p.from_interface = d.from_interface;
    p.line = d.pos.line;
    p.column = d.pos.column;
    out.push_back(std::move(p));
  }
  return out;
}

template <typename T>
void copy_type_metadata(const std::vector<Annotation>& anns, T& out) {
  out.annotations = anns;
  if (const Annotation* a = find_annotation(anns, "description")) out.description = a->value();
  if (const Annotation* a = find_annotation(anns, "instruction")) out.instruction = a->value();
  if (const Annotation* a = find_annotation(anns, "rename_from")) out.rename_from = a->value();
}

Catalog build_catalog(std::string source, const schema::SchemaFile& file) {
  TypeIds type_ids;
  std::vector<InterfaceType> interfaces;
  std::vector<NodeType> nodes;
  std::vector<EdgeType> edges;
  std::set<std::string, std::less<>> iface_names, node_names, edge_names;

  for (const auto& decl : file.declarations) {
    const auto* d = std::get_if<schema::InterfaceDecl>(&decl);
    if (!d) continue;
    if (!iface_names.insert(d->name).second) fail("duplicate interface: " + d->name, d->pos);
    InterfaceType t;
    t.name = d->name;
    t.type_id = type_ids.assign("interface", d->name, d->pos);
    t.properties = build_properties(d->properties, "interface", d->name);
    interfaces.push_back(std::move(t));
  }

  for (const auto& decl : file.declarations) {
    const auto* d = std::get_if<schema::NodeDecl>(&decl);
    if (!d) continue;
    if (!node_names.insert(d->name).second) fail("duplicate node type: " + d->name, d->pos);
    NodeType t;
    t.name = d->name;
    t.type_id = type_ids.assign("node", d->name, d->pos);
    for (const auto& ref : d->implements) t.implements.push_back(ref.name);
    t.properties = build_properties(d->properties, "node", d->name);
    copy_type_metadata(d->annotations, t);
    t.line = d->pos.line;
    t.column = d->pos.column;
    for (const ConstraintDecl& c : d->constraints) {
      switch (c.kind) {
        case ConstraintKind::kKey:
          t.key = c.columns;
          t.indices.push_back(c.columns);  // a key implies an index
          break;
        case ConstraintKind::kUnique: t.unique_constraints.push_back(c.columns); break;
        case ConstraintKind::kIndex: t.indices.push_back(c.columns); break;
        case ConstraintKind::kRange:
          t.range_constraints.push_back(RangeConstraint{c.columns.front(), c.min, c.max});
          break;
        case ConstraintKind::kCheck:
          t.check_constraints.push_back(CheckConstraint{c.columns.front(), c.pattern});
          break;
      }
    }
    nodes.push_back(std::move(t));
  }

  std::map<std::string, std::string> folded;  // folded name -> declared name
  for (const auto& decl : file.declarations) {
    const auto* d = std::get_if<schema::EdgeDecl>(&decl);
    if (!d) continue;
    if (!edge_names.insert(d->name).second) fail("duplicate edge type: " + d->name, d->pos);
    if (!node_names.contains(d->from.name)) {
      fail("edge " + d->name + " references unknown source type: " + d->from.name, d->from.pos);
    }
    if (!node_names.contains(d->to.name)) {
      fail("edge " + d->name + " references unknown target type: " + d->to.name, d->to.pos);
    }
    auto [it, inserted] = folded.emplace(fold_edge_name(d->name), d->name);
    if (!inserted) {
      fail("edge name collision after case folding: '" + d->name + "' conflicts with '" +
               it->second + "'",
           d->pos);
    }
    EdgeType t;
    t.name = d->name;
    t.type_id = type_ids.assign("edge", d->name, d->pos);
    t.from_type = d->from.name;
    t.to_type = d->to.name;
    t.cardinality = d->cardinality;
    t.properties = build_properties(d->properties, "edge", d->name);
    copy_type_metadata(d->annotations, t);
    t.line = d->pos.line;
    t.column = d->pos.column;
    for (const ConstraintDecl& c : d->constraints) {
      if (c.kind == ConstraintKind::kUnique) t.unique_constraints.push_back(c.columns);
      if (c.kind == ConstraintKind::kIndex) t.indices.push_back(c.columns);
    }
    edges.push_back(std::move(t));
  }

  return Catalog(std::move(source), std::move(interfaces), std::move(nodes), std::move(edges));
}

}  // namespace

Catalog compile_schema(std::string_view source) {
  schema::SchemaFile file = schema::parse_schema_syntax(source);
  schema::resolve_and_validate(file);
  return build_catalog(std::string(source), file);
}

}  // namespace omnigraph::compiler
