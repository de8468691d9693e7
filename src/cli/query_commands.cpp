// `omnigraph query lint|check` and `omnigraph query explain`: validate a
// .gq file against a .pg schema (spec §3.11) and show the IR a query lowers
// to. Lint prints one line per query (or the JSON report with --json) and
// exits non-zero only when there are errors.
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "cli/backend.h"
#include "cli/cli_config.h"
#include "cli/cli_json.h"
#include "cli/commands.h"
#include "cli/target.h"
#include "common/error.h"
#include "compiler/catalog/catalog.h"
#include "compiler/ir/ir.h"
#include "compiler/lint/query_lint.h"
#include "compiler/query/parser.h"

namespace omnigraph::cli {
namespace {

namespace lint = omnigraph::compiler::lint;

std::string read_text_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_bad_request(std::string("cannot read ") + what + " '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct LintOptions {
  std::string query_path;
  std::string schema_path;
  bool json = false;
  TargetArgs target;  // the graph whose schema to lint against, without --schema
};

void write_json(const lint::LintOutput& out) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  auto str = [&](const std::string& s) {
    w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
  };
  w.StartObject();
  w.Key("status");
  str(out.ok ? "ok" : "error");
  w.Key("schema_source");
  w.StartObject();
  w.Key("kind");
  str(out.schema_source.graph ? "graph" : "file");
  w.Key(out.schema_source.graph ? "uri" : "path");
  str(out.schema_source.location);
  w.EndObject();
  w.Key("query_path");
  str(out.query_path);
  w.Key("queries_processed");
  w.Uint64(out.queries_processed);
  w.Key("errors");
  w.Uint64(out.errors);
  w.Key("warnings");
  w.Uint64(out.warnings);
  w.Key("infos");
  w.Uint64(out.infos);
  w.Key("results");
  w.StartArray();
  for (const auto& r : out.results) {
    w.StartObject();
    w.Key("name");
    str(r.name);
    w.Key("kind");
    str(r.mutation ? "mutation" : "read");
    w.Key("status");
    str(r.ok ? "ok" : "error");
    if (!r.warnings.empty()) {
      w.Key("warnings");
      w.StartArray();
      for (const auto& warning : r.warnings) str(warning);
      w.EndArray();
    }
    if (r.error) {
      w.Key("error");
      str(*r.error);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("findings");
  w.StartArray();
  for (const auto& f : out.findings) {
    w.StartObject();
    w.Key("severity");
    str(std::string(lint::severity_name(f.severity)));
    w.Key("code");
    str(f.code);
    w.Key("message");
    str(f.message);
    if (f.type_name) {
      w.Key("type_name");
      str(*f.type_name);
    }
    if (f.property) {
      w.Key("property");
      str(*f.property);
    }
    if (!f.query_names.empty()) {
      w.Key("query_names");
      w.StartArray();
      for (const auto& n : f.query_names) str(n);
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::cout << buffer.GetString() << "\n";
}

void write_human(const lint::LintOutput& out) {
  for (const auto& r : out.results) {
    if (r.ok) {
      std::cout << "OK    query `" << r.name << "` (" << (r.mutation ? "mutation" : "read")
                << ")\n";
    } else {
      std::cout << "ERROR query `" << r.name << "`: " << r.error.value_or("unknown error") << "\n";
    }
    for (const auto& warning : r.warnings) {
      std::cout << "WARN  query `" << r.name << "`: " << warning << "\n";
    }
  }
  for (const auto& f : out.findings) {
    const char* label = f.severity == lint::Severity::kError     ? "ERROR"
                        : f.severity == lint::Severity::kWarning ? "WARN "
                                                                 : "INFO ";
    std::cout << label << " " << f.message << "\n";
  }
  std::cout << "INFO  Lint complete: " << out.queries_processed << " queries processed ("
            << out.errors << " error(s), " << out.warnings << " warning(s), " << out.infos
            << " info item(s))\n";
}

void run_lint(const LintOptions& opts) {
  const CliConfig config = load_cli_config(opts.target.config);
  const std::string query_path = config.resolve_query_path(opts.query_path).string();
  std::string query_source = read_text_file(query_path, "query file");
  std::string schema_source;
  lint::SchemaSource schema_from{false, opts.schema_path};
  if (!opts.schema_path.empty()) {
    schema_source = read_text_file(opts.schema_path, "schema file");
  } else {
    if (!opts.target.explicit_uri() && !opts.target.target_name() && !config.graph) {
      throw_bad_request("query lint requires --schema <schema.pg> or a resolvable graph target");
    }
    // The graph's accepted schema: read locally, or GET /schema from a server.
    const ResolvedTarget target = resolve_target(config, opts.target);
    schema_source = get_string(open_backend(target, config, std::nullopt)->schema(kMainBranch),
                               "schema_source");
    schema_from = lint::SchemaSource{true, target.uri};
  }
  compiler::Catalog catalog = compiler::compile_schema(schema_source);
  lint::LintOutput out = lint::lint_query_file(catalog, query_source, query_path, schema_from);
  if (opts.json) {
    write_json(out);
  } else {
    write_human(out);
  }
  std::cout.flush();
  if (!out.ok) throw ExitRequest{kExitUserError};
}

struct ExplainOptions {
  std::string query_path;
  std::string schema_path;
  std::string name;
};

void run_explain(const ExplainOptions& opts) {
  compiler::Catalog catalog =
      compiler::compile_schema(read_text_file(opts.schema_path, "schema file"));
  compiler::query::QueryFile file =
      compiler::query::parse_query_file(read_text_file(opts.query_path, "query file"));
  const compiler::query::QueryDecl* q = nullptr;
  if (!opts.name.empty()) {
    q = file.find(opts.name);
    if (!q) throw_bad_request("query '" + opts.name + "' not found");
  } else if (file.queries.size() == 1) {
    q = &file.queries.front();
  } else if (file.queries.empty()) {
    throw_bad_request("query file contains no queries");
  } else {
    throw_bad_request("query file contains multiple queries; pass --name");
  }
  std::cout << compiler::ir::print_plan(compiler::ir::compile_query(catalog, *q));
}

}  // namespace

void register_query_commands(CLI::App& app) {
  auto* query = app.add_subcommand("query", "Validate queries and inspect their plans");
  query->require_subcommand(1);

  auto lint_opts = std::make_shared<LintOptions>();
  auto* lint_cmd =
      query->add_subcommand("lint", "Type-check a .gq file against a schema and report drift");
  lint_cmd->alias("check");
  lint_cmd->add_option("--query", lint_opts->query_path, "The .gq file")->required();
  lint_cmd->add_option("--schema", lint_opts->schema_path,
                       "The .pg schema file (else the graph's schema)");
  add_target_options(lint_cmd, lint_opts->target);
  lint_cmd->add_flag("--json", lint_opts->json, "Print the report as JSON");
  lint_cmd->callback([lint_opts] { run_lint(*lint_opts); });

  auto explain_opts = std::make_shared<ExplainOptions>();
  auto* explain = query->add_subcommand("explain", "Print the IR a query lowers to");
  explain->add_option("--query", explain_opts->query_path, "The .gq file")->required();
  explain->add_option("--schema", explain_opts->schema_path, "The .pg schema file")->required();
  explain->add_option("--name", explain_opts->name, "Query name (when the file has several)");
  explain->callback([explain_opts] { run_explain(*explain_opts); });
}

}  // namespace omnigraph::cli
