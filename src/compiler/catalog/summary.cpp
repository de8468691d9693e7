// Catalog::summary(): the stable text dump the case suite compares against.
// Format (one item per line, two-space indents):
//   interface Named #<type id>
//     <prop>: <type> #<prop id> [@annotations...] [from <Interface>]
//   node Person #<type id> [implements A, B] [@annotations...]
//     <properties as above>
//     key(a) / unique(a, b) / index(a) / range(p, lo..hi) / check(p, "re")
//   edge Knows: Person -> Person @card(min..[max]) #<type id> [@annotations...]
//     <properties>, unique(...), index(...)
#include <string>

#include "compiler/catalog/catalog.h"
#include "compiler/quote.h"

namespace omnigraph::compiler {

namespace {

std::string annotation_text(const Annotation& a) {
  std::string out = "@" + a.name;
  if (a.args.empty()) return out;
  out += "(";
  for (size_t i = 0; i < a.args.size(); ++i) {
    if (i) out += ", ";
    const auto& arg = a.args[i];
    if (!arg.key.empty()) out += arg.key + "=";
    out += arg.kind == AnnotationArg::Kind::kString ? quote(arg.value) : arg.value;
  }
  return out + ")";
}

void append_annotations(std::string& out, const std::vector<Annotation>& anns) {
  for (const auto& a : anns) out += " " + annotation_text(a);
}

std::string columns(const std::vector<std::string>& cols) {
  std::string out;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) out += ", ";
    out += cols[i];
  }
  return out;
}

void append_properties(std::string& out, const std::vector<Property>& props) {
  for (const auto& p : props) {
    out += "  " + p.name + ": " + p.type.display() + " #" + std::to_string(p.id);
    append_annotations(out, p.annotations);
    if (!p.from_interface.empty()) out += " from " + p.from_interface;
    out += "\n";
  }
}

void append_column_lists(std::string& out, const char* label,
                         const std::vector<std::vector<std::string>>& lists) {
  for (const auto& cols : lists) out += std::string("  ") + label + "(" + columns(cols) + ")\n";
}

}  // namespace

std::string Catalog::summary() const {
  std::string out;
  for (const auto& i : interfaces_) {
    out += "interface " + i.name + " #" + std::to_string(i.type_id) + "\n";
    append_properties(out, i.properties);
  }
  for (const auto& n : node_types_) {
    out += "node " + n.name + " #" + std::to_string(n.type_id);
    if (!n.implements.empty()) out += " implements " + columns(n.implements);
    append_annotations(out, n.annotations);
    out += "\n";
    append_properties(out, n.properties);
    if (!n.key.empty()) out += "  key(" + columns(n.key) + ")\n";
    append_column_lists(out, "unique", n.unique_constraints);
    append_column_lists(out, "index", n.indices);
    for (const auto& r : n.range_constraints) {
      out += "  range(" + r.property + ", " + (r.min ? r.min->text : "") + ".." +
             (r.max ? r.max->text : "") + ")\n";
    }
    for (const auto& c : n.check_constraints) {
      out += "  check(" + c.property + ", " + quote(c.pattern) + ")\n";
    }
  }
  for (const auto& e : edge_types_) {
    out += "edge " + e.name + ": " + e.from_type + " -> " + e.to_type + " @card(" +
           std::to_string(e.cardinality.min) + ".." +
           (e.cardinality.max ? std::to_string(*e.cardinality.max) : "") + ") #" +
           std::to_string(e.type_id);
    append_annotations(out, e.annotations);
    out += "\n";
    append_properties(out, e.properties);
    append_column_lists(out, "unique", e.unique_constraints);
    append_column_lists(out, "index", e.indices);
  }
  return out;
}

}  // namespace omnigraph::compiler
