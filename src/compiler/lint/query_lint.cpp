#include "compiler/lint/query_lint.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "compiler/ir/ir.h"
#include "compiler/query/parser.h"
#include "compiler/query/typecheck.h"
#include "compiler/source_error.h"

namespace omnigraph::compiler::lint {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
  }
  return "?";
}

namespace {

struct UpdateCoverage {
  std::set<std::string> query_names;
  std::set<std::string> assigned;
};

}  // namespace

LintOutput lint_query_file(const Catalog& catalog, std::string_view query_source,
                           std::string query_path, SchemaSource schema_source) {
  LintOutput out;
  out.query_path = std::move(query_path);
  out.schema_source = std::move(schema_source);

  query::QueryFile file;
  try {
    file = query::parse_query_file(query_source);
  } catch (const CompileError& e) {
    out.ok = false;
    out.errors = 1;
    Finding f;
    f.severity = Severity::kError;
    f.code = "Q000";
    f.message = e.what();
    f.line = e.line();
    f.column = e.column();
    out.findings.push_back(std::move(f));
    return out;
  }

  out.queries_processed = file.queries.size();
  std::map<std::string, UpdateCoverage> coverage;
  for (const auto& q : file.queries) {
    QueryResult r;
    r.name = q.name;
    r.mutation = q.is_mutation();
    if (q.is_mutation() && q.params.empty()) r.warnings.push_back(kHardcodedMutationWarning);
    try {
      // Lowering as well as checking: it refuses mixed insert/update +
      // delete mutations, which would otherwise only fail at run time.
      ir::compile_query(catalog, q);
      for (const auto& m : q.mutations) {
        if (m.kind != query::Mutation::Kind::kUpdate) continue;
        auto& c = coverage[m.type_name];
        c.query_names.insert(q.name);
        for (const auto& a : m.assignments) c.assigned.insert(a.property);
      }
    } catch (const CompileError& e) {
      r.ok = false;
      r.error = e.what();
      r.error_line = e.line();
      r.error_column = e.column();
    }
    out.results.push_back(std::move(r));
  }

  // L201: nullable, non-key, non-@embed-target properties that no
  // successfully checked update query on the type assigns.
  std::vector<const NodeType*> types;
  for (const auto& n : catalog.node_types()) types.push_back(&n);
  std::sort(types.begin(), types.end(),
            [](const NodeType* a, const NodeType* b) { return a->name < b->name; });
  for (const NodeType* node : types) {
    auto it = coverage.find(node->name);
    if (it == coverage.end() || it->second.query_names.empty()) continue;
    std::vector<const Property*> props;
    for (const auto& p : node->properties) props.push_back(&p);
    std::sort(props.begin(), props.end(),
              [](const Property* a, const Property* b) { return a->name < b->name; });
    for (const Property* p : props) {
      if (!p->type.nullable) continue;
      if (std::find(node->key.begin(), node->key.end(), p->name) != node->key.end()) continue;
      if (p->embed_source) continue;
      if (it->second.assigned.count(p->name)) continue;
      Finding f;
      f.severity = Severity::kWarning;
      f.code = "L201";
      f.message = node->name + "." + p->name + " exists in schema but no update query sets it";
      f.type_name = node->name;
      f.property = p->name;
      f.query_names.assign(it->second.query_names.begin(), it->second.query_names.end());
      out.findings.push_back(std::move(f));
    }
  }
  std::stable_sort(out.findings.begin(), out.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     return std::tie(a.severity, a.type_name, a.property, a.message) <
                            std::tie(b.severity, b.type_name, b.property, b.message);
                   });

  for (const auto& r : out.results) {
    if (!r.ok) ++out.errors;
    out.warnings += r.warnings.size();
  }
  for (const auto& f : out.findings) {
    if (f.severity == Severity::kError) ++out.errors;
    if (f.severity == Severity::kWarning) ++out.warnings;
    if (f.severity == Severity::kInfo) ++out.infos;
  }
  out.ok = out.errors == 0;
  return out;
}

}  // namespace omnigraph::compiler::lint
