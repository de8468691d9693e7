// `omnigraph init|load|read|change|snapshot|export` on local graph
// directories, with the reference CLI's flags. Writes run as the actor from
// `--as` (else `cli.actor` in omnigraph.yaml) and, when the config names a
// `policy.file`, are checked against that policy by the engine; reads and
// exports are not. Results go to stdout, progress bars and warnings to
// stderr, errors reach main() as omnigraph::Error.
#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "cli/cli_config.h"
#include "cli/cli_json.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/read_format.h"
#include "common/error.h"
#include "compiler/catalog/catalog.h"
#include "compiler/source_error.h"
#include "engine/loader.h"
#include "omnigraph/graph.h"
#include "policy/policy.h"

namespace omnigraph::cli {
namespace {

namespace fs = std::filesystem;
// ---------------------------------------------------------------------------
// Shared plumbing

std::string read_text_file(const fs::path& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw_bad_request(
        fmt::format("cannot read {} '{}': {}", what, path.string(), std::strerror(errno)));
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Options every graph command takes. `--as` is also accepted before the
// subcommand (`omnigraph --as alice change ...`); the subcommand's wins.
struct CommonArgs {
  std::string config;
  std::string as_actor;
  CLI::Option* as_option = nullptr;
};

struct GlobalArgs {
  std::string as_actor;
  CLI::Option* as_option = nullptr;
};

void add_common_options(CLI::App* command, CommonArgs& args) {
  command->add_option("--config", args.config,
                      "Path to omnigraph.yaml (default: ./omnigraph.yaml)");
  args.as_option =
      command->add_option("--as", args.as_actor, "Actor for local writes (overrides cli.actor)");
}

// --as (subcommand, then global), then cli.actor.
std::optional<std::string> resolve_actor(const CommonArgs& args, const GlobalArgs& global,
                                         const CliConfig& config) {
  if (args.as_option->count() > 0) return args.as_actor;
  if (global.as_option->count() > 0) return global.as_actor;
  return config.actor;
}

std::string resolve_branch(const std::string& cli_branch, const CliConfig& config) {
  if (!cli_branch.empty()) return cli_branch;
  return config.branch.value_or(kMainBranch);
}

std::string require_uri(const std::string& uri, const char* how) {
  if (uri.empty()) throw_bad_request(std::string("URI must be provided via ") + how);
  return uri;
}

// Opens a graph for writing: with the configured policy installed so the
// engine checks every write against it (no actor -> denied).
std::unique_ptr<Graph> open_for_write(const std::string& uri, const CliConfig& config) {
  auto graph = Graph::open(uri);
  if (auto policy_file = config.resolved_policy_file()) {
    graph->set_policy(std::make_shared<const policy::Policy>(policy::Policy::load(*policy_file)));
  }
  return graph;
}

// ---------------------------------------------------------------------------
// Query source and parameters (read, change)

struct QueryArgs {
  std::string uri;
  std::string positional_uri;
  std::string query_path;
  std::string source;
  std::string name;
  std::string params;
  std::string params_file;
  CLI::Option* query_option = nullptr;
  CLI::Option* source_option = nullptr;
  CLI::Option* params_option = nullptr;
  CLI::Option* params_file_option = nullptr;
};

void add_query_options(CLI::App* command, QueryArgs& args) {
  command->add_option("--uri", args.uri, "Graph directory");
  command->add_option("graph", args.positional_uri, "Graph directory (same as --uri)");
  args.query_option = command->add_option("--query", args.query_path, "The .gq file");
  args.source_option =
      command->add_option("-e,--expr", args.source, "Query source given inline instead of a file");
  args.query_option->excludes(args.source_option);
  command->add_option("--name", args.name, "Query name (when the source holds several)");
  args.params_option = command->add_option("--params", args.params, "Parameters as a JSON object");
  args.params_file_option =
      command->add_option("--params-file", args.params_file, "File holding the parameters JSON");
  args.params_option->excludes(args.params_file_option);
}

std::string resolve_query_uri(const QueryArgs& args) {
  return require_uri(args.uri.empty() ? args.positional_uri : args.uri, "<URI> or --uri");
}

std::string resolve_query_source(const QueryArgs& args, const CliConfig& config) {
  const bool has_file = args.query_option->count() > 0;
  const bool has_source = args.source_option->count() > 0;
  if (has_file == has_source) throw_bad_request("exactly one of --query or -e must be provided");
  if (has_source) return args.source;
  return read_text_file(config.resolve_query_path(args.query_path), "query file");
}

// The parameters JSON text, checked to be an object so the user sees a JSON
// problem as such rather than as a query error.
std::string resolve_params(const QueryArgs& args) {
  std::string text;
  if (args.params_option->count() > 0) {
    text = args.params;
  } else if (args.params_file_option->count() > 0) {
    text = read_text_file(args.params_file, "params file");
  } else {
    return {};
  }
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    std::size_t offset = doc.GetErrorOffset();
    std::size_t line =
        1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
    std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    std::size_t column =
        offset - (line_start == std::string::npos || offset == 0 ? 0 : line_start + 1) + 1;
    throw_bad_request(fmt::format("invalid params JSON: {} at line {} column {}",
                                  rapidjson::GetParseError_En(doc.GetParseError()), line, column));
  }
  if (!doc.IsObject()) throw_bad_request("params JSON must be an object");
  return text;
}

// ---------------------------------------------------------------------------
// init

struct InitArgs {
  std::string schema;
  std::string uri;
  CommonArgs common;
};

// file:line:column: message, the form editors and terminals link to.
[[noreturn]] void throw_schema_error(const std::string& file, const compiler::CompileError& e) {
  std::string text =
      compiler::format_compile_error(e.stage(), e.error_code(), e.bare_message(), 0, 0);
  if (e.has_position()) {
    text = fmt::format("{}:{}:{}: {}", file, e.line(), e.column(), text);
  } else {
    text = fmt::format("{}: {}", file, text);
  }
  throw Error(ErrorCode::kBadRequest, text);
}

void run_init(const InitArgs& args, const GlobalArgs& global) {
  const CliConfig config = load_cli_config(args.common.config);
  const std::string source = read_text_file(args.schema, "schema file");
  // Compile before touching the disk so a bad schema leaves nothing behind.
  try {
    compiler::compile_schema(source);
  } catch (const compiler::CompileError& e) {
    throw_schema_error(args.schema, e);
  }
  // Like the reference, a missing graph directory (and its parents) is
  // created. A failure here is left to Graph::init to report.
  std::error_code ec;
  fs::create_directories(args.uri, ec);
  Graph::init(args.uri, source, resolve_actor(args.common, global, config));
  std::cout << "initialized " << args.uri << "\n";
}

// ---------------------------------------------------------------------------
// load

struct LoadArgs {
  std::string uri;
  std::string data;
  std::string branch;
  std::string mode = "overwrite";
  bool json = false;
  CommonArgs common;
};

uint64_t sum_counts(const std::map<std::string, uint64_t>& counts) {
  uint64_t total = 0;
  for (const auto& [type, n] : counts) total += n;
  return total;
}

void write_counts(JsonWriter& w, const std::map<std::string, uint64_t>& counts) {
  w.StartObject();
  for (const auto& [type, n] : counts) {
    write_string(w, type);
    w.Uint64(n);
  }
  w.EndObject();
}

void run_load(const LoadArgs& args, const GlobalArgs& global) {
  const CliConfig config = load_cli_config(args.common.config);
  const std::string uri = require_uri(args.uri, "<URI>");
  LoadRequest request;
  request.mode = engine::parse_load_mode(args.mode);
  request.branch = resolve_branch(args.branch, config);
  request.actor = resolve_actor(args.common, global, config);

  std::ifstream data(args.data, std::ios::binary);
  if (!data) {
    throw_bad_request(
        fmt::format("cannot read data file '{}': {}", args.data, std::strerror(errno)));
  }
  auto graph = open_for_write(uri, config);
  std::error_code ec;
  uint64_t size = fs::file_size(args.data, ec);
  ProgressBar bar("loading", ec ? 0 : size, ProgressUnit::kBytes);
  if (bar.enabled()) request.progress = [&bar](uint64_t bytes) { bar.update(bytes); };
  LoadResult result = graph->load(data, request);
  bar.finish();

  const auto& summary = result.summary;
  const uint64_t nodes = sum_counts(summary.nodes_loaded);
  const uint64_t edges = sum_counts(summary.edges_loaded);
  const std::string mode(engine::load_mode_name(result.mode));
  if (args.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      w.Key("uri");
      write_string(w, uri);
      w.Key("branch");
      write_string(w, result.branch);
      w.Key("mode");
      write_string(w, mode);
      w.Key("nodes_loaded");
      w.Uint64(nodes);
      w.Key("edges_loaded");
      w.Uint64(edges);
      w.Key("node_types_loaded");
      w.Uint64(summary.nodes_loaded.size());
      w.Key("edge_types_loaded");
      w.Uint64(summary.edges_loaded.size());
      // Not in the reference's output: the per-type counts behind the totals.
      w.Key("nodes_by_type");
      write_counts(w, summary.nodes_loaded);
      w.Key("edges_by_type");
      write_counts(w, summary.edges_loaded);
      w.EndObject();
    });
    return;
  }
  std::string out = fmt::format(
      "loaded {} on branch {} with {}: {} nodes across {} node types, {} edges across {} edge "
      "types\n",
      uri, result.branch, mode, nodes, summary.nodes_loaded.size(), edges,
      summary.edges_loaded.size());
  for (const auto& [type, n] : summary.nodes_loaded) out += fmt::format("  node {}: {}\n", type, n);
  for (const auto& [type, n] : summary.edges_loaded) out += fmt::format("  edge {}: {}\n", type, n);
  std::cout << out;
}

// ---------------------------------------------------------------------------
// read

struct ReadArgs {
  QueryArgs query;
  std::string branch;
  std::string snapshot;
  std::string format;
  bool json = false;
  CLI::Option* snapshot_option = nullptr;
  CommonArgs common;
};

void run_read(const ReadArgs& args, const GlobalArgs& global) {
  const CliConfig config = load_cli_config(args.common.config);
  ReadRequest request;
  const std::string uri = resolve_query_uri(args.query);
  request.query_source = resolve_query_source(args.query, config);
  request.query_name = args.query.name;
  request.params_json = resolve_params(args.query);
  if (args.snapshot_option->count() > 0) {
    request.snapshot = args.snapshot;
  } else {
    request.branch = resolve_branch(args.branch, config);
  }
  request.actor = resolve_actor(args.common, global, config);

  ReadFormat format = ReadFormat::kJson;
  if (args.json) {
    format = ReadFormat::kJson;
  } else if (!args.format.empty()) {
    format = *parse_read_format(args.format);  // validated by CLI11
  } else if (config.output_format) {
    format = *config.output_format;
  }

  ReadResult result = Graph::open(uri)->read(request);
  std::cout << render_read(result, format) << "\n";
}

// ---------------------------------------------------------------------------
// change

struct ChangeArgs {
  QueryArgs query;
  std::string branch;
  bool json = false;
  CommonArgs common;
};

void run_change(const ChangeArgs& args, const GlobalArgs& global) {
  const CliConfig config = load_cli_config(args.common.config);
  ChangeRequest request;
  const std::string uri = resolve_query_uri(args.query);
  request.query_source = resolve_query_source(args.query, config);
  request.query_name = args.query.name;
  request.params_json = resolve_params(args.query);
  request.branch = resolve_branch(args.branch, config);
  request.actor = resolve_actor(args.common, global, config);

  ChangeResult result = open_for_write(uri, config)->change(request);
  if (args.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      w.Key("branch");
      write_string(w, result.branch);
      w.Key("query_name");
      write_string(w, result.query_name);
      w.Key("affected_nodes");
      w.Uint64(result.affected_nodes);
      w.Key("affected_edges");
      w.Uint64(result.affected_edges);
      w.Key("actor_id");
      write_optional(w, result.actor);
      w.EndObject();
    });
    return;
  }
  std::string out = fmt::format("changed {} via {}: {} nodes, {} edges\n", result.branch,
                                result.query_name, result.affected_nodes, result.affected_edges);
  if (result.actor) out += fmt::format("actor_id: {}\n", *result.actor);
  std::cout << out;
}

// ---------------------------------------------------------------------------
// snapshot

struct SnapshotArgs {
  std::string uri;
  std::string branch;
  bool json = false;
  CommonArgs common;
};

void run_snapshot(const SnapshotArgs& args) {
  const CliConfig config = load_cli_config(args.common.config);
  const std::string uri = require_uri(args.uri, "<URI>");
  SnapshotInfo info = Graph::open(uri)->snapshot(resolve_branch(args.branch, config));
  if (args.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      w.Key("branch");
      write_string(w, info.branch);
      w.Key("manifest_version");
      w.Uint64(info.manifest_version);
      w.Key("tables");
      w.StartArray();
      for (const TableInfo& table : info.tables) {
        w.StartObject();
        w.Key("table_key");
        write_string(w, table.table_key);
        w.Key("table_path");
        write_string(w, table.table_path);
        w.Key("table_version");
        w.Uint64(table.table_version);
        w.Key("table_branch");
        write_optional(w, table.table_branch);
        w.Key("row_count");
        w.Uint64(table.row_count);
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
    });
    return;
  }
  std::string out =
      fmt::format("branch: {}\nmanifest_version: {}\n", info.branch, info.manifest_version);
  for (const TableInfo& table : info.tables) {
    out += fmt::format("{} v{} branch={} rows={}\n", table.table_key, table.table_version,
                       table.table_branch.value_or(kMainBranch), table.row_count);
  }
  std::cout << out;
}

// ---------------------------------------------------------------------------
// export

struct ExportArgs {
  std::string uri;
  std::string branch;
  bool jsonl = false;
  std::vector<std::string> types;
  std::vector<std::string> tables;
  CommonArgs common;
};

// Passes bytes through to `dest` and reports each completed line, so the
// export's progress can be shown without the engine knowing about it.
class LineCountingBuf : public std::streambuf {
 public:
  LineCountingBuf(std::streambuf* dest, ProgressBar& bar) : dest_(dest), bar_(bar) {}

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    if (traits_type::to_char_type(c) == '\n') bar_.update(++lines_);
    return dest_->sputc(traits_type::to_char_type(c));
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    auto newlines = std::count(s, s + n, '\n');
    std::streamsize written = dest_->sputn(s, n);
    if (newlines > 0) {
      lines_ += static_cast<uint64_t>(newlines);
      bar_.update(lines_);
    }
    return written;
  }
  int sync() override { return dest_->pubsync(); }

 private:
  std::streambuf* dest_;
  ProgressBar& bar_;
  uint64_t lines_ = 0;
};

// Rows the export will write: those of the tables the filter selects.
uint64_t export_row_total(const SnapshotInfo& info, const engine::ExportFilter& filter) {
  const bool all = filter.types.empty() && filter.table_keys.empty();
  uint64_t total = 0;
  for (const TableInfo& table : info.tables) {
    bool selected = all || std::find(filter.table_keys.begin(), filter.table_keys.end(),
                                     table.table_key) != filter.table_keys.end();
    for (const std::string& type : filter.types) {
      selected = selected || table.table_key == "node:" + type || table.table_key == "edge:" + type;
    }
    if (selected) total += table.row_count;
  }
  return total;
}

void run_export(const ExportArgs& args) {
  const CliConfig config = load_cli_config(args.common.config);
  const std::string uri = require_uri(args.uri, "<URI>");
  const std::string branch = resolve_branch(args.branch, config);
  if (args.jsonl) {
    std::cerr << "warning: --jsonl is deprecated; `omnigraph export` always emits JSONL\n";
  }
  engine::ExportFilter filter;
  filter.types = args.types;
  filter.table_keys = args.tables;

  auto graph = Graph::open(uri);
  if (!ProgressBar::stderr_is_terminal()) {
    graph->export_jsonl(std::cout, branch, filter);
    std::cout.flush();
    return;
  }
  ProgressBar bar("exporting", export_row_total(graph->snapshot(branch), filter),
                  ProgressUnit::kRows);
  LineCountingBuf counting(std::cout.rdbuf(), bar);
  std::ostream out(&counting);
  graph->export_jsonl(out, branch, filter);
  out.flush();
  bar.finish();
}

}  // namespace

void register_graph_commands(CLI::App& app) {
  auto global = std::make_shared<GlobalArgs>();
  global->as_option = app.add_option(
      "--as", global->as_actor, "Actor for local writes (overrides cli.actor in omnigraph.yaml)");

  auto init_args = std::make_shared<InitArgs>();
  CLI::App* init = app.add_subcommand("init", "Initialize a new graph from a schema");
  init->add_option("--schema", init_args->schema, "The .pg schema file")->required();
  init->add_option("uri", init_args->uri, "Graph directory")->required();
  add_common_options(init, init_args->common);
  init->callback([init_args, global] { run_init(*init_args, *global); });

  auto load_args = std::make_shared<LoadArgs>();
  CLI::App* load = app.add_subcommand("load", "Load data into a graph");
  load->add_option("uri", load_args->uri, "Graph directory");
  load->add_option("--data", load_args->data, "The JSONL file")->required();
  load->add_option("--branch", load_args->branch, "Branch to load into (default: main)");
  load->add_option("--mode", load_args->mode, "overwrite (default), append or merge")
      ->check(CLI::IsMember({"overwrite", "append", "merge"}));
  load->add_flag("--json", load_args->json, "Print the result as JSON");
  add_common_options(load, load_args->common);
  load->callback([load_args, global] { run_load(*load_args, *global); });

  auto read_args = std::make_shared<ReadArgs>();
  CLI::App* read = app.add_subcommand("read", "Execute a read query against a branch or snapshot");
  add_query_options(read, read_args->query);
  CLI::Option* read_branch =
      read->add_option("--branch", read_args->branch, "Branch to read (default: main)");
  read_args->snapshot_option =
      read->add_option("--snapshot", read_args->snapshot, "Commit id to read instead of a branch");
  read_branch->excludes(read_args->snapshot_option);
  CLI::Option* format =
      read->add_option("--format", read_args->format, "json (default), jsonl, csv, table or kv")
          ->check(CLI::IsMember({"json", "jsonl", "csv", "table", "kv"}));
  CLI::Option* json = read->add_flag("--json", read_args->json, "Same as --format json");
  format->excludes(json);
  add_common_options(read, read_args->common);
  read->callback([read_args, global] { run_read(*read_args, *global); });

  auto change_args = std::make_shared<ChangeArgs>();
  CLI::App* change = app.add_subcommand("change", "Execute a graph change query against a branch");
  add_query_options(change, change_args->query);
  change->add_option("--branch", change_args->branch, "Branch to change (default: main)");
  change->add_flag("--json", change_args->json, "Print the result as JSON");
  add_common_options(change, change_args->common);
  change->callback([change_args, global] { run_change(*change_args, *global); });

  auto snapshot_args = std::make_shared<SnapshotArgs>();
  CLI::App* snapshot = app.add_subcommand("snapshot", "Show graph snapshot");
  snapshot->add_option("uri", snapshot_args->uri, "Graph directory");
  snapshot->add_option("--branch", snapshot_args->branch, "Branch (default: main)");
  snapshot->add_flag("--json", snapshot_args->json, "Print the snapshot as JSON");
  add_common_options(snapshot, snapshot_args->common);
  snapshot->callback([snapshot_args] { run_snapshot(*snapshot_args); });

  auto export_args = std::make_shared<ExportArgs>();
  CLI::App* exp = app.add_subcommand("export", "Export a full graph snapshot as JSONL");
  exp->add_option("uri", export_args->uri, "Graph directory");
  exp->add_option("--branch", export_args->branch, "Branch (default: main)");
  // One value per flag, repeatable (a vector option would otherwise swallow the URI).
  exp->add_option("--type", export_args->types, "Only this node or edge type (repeatable)")
      ->allow_extra_args(false);
  exp->add_option("--table", export_args->tables, "Only this table key, e.g. node:Person")
      ->allow_extra_args(false);
  exp->add_flag("--jsonl", export_args->jsonl)->group("");  // deprecated no-op
  add_common_options(exp, export_args->common);
  exp->callback([export_args] { run_export(*export_args); });
}

}  // namespace omnigraph::cli
