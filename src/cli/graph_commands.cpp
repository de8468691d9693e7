// `omnigraph init|load|ingest|read|change|snapshot|export`, with the
// reference CLI's flags. Every command but init and load works on a local
// graph directory or a server (cli/backend.h). Local writes run as the
// actor from `--as` (else `cli.actor`) and, when the config names a
// `policy.file`, are checked against that policy by the engine. Results go
// to stdout, progress bars and warnings to stderr, errors reach main() as
// omnigraph::Error.
#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

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

#include "cli/backend.h"
#include "cli/cli_config.h"
#include "cli/cli_json.h"
#include "cli/commands.h"
#include "cli/http_client.h"
#include "cli/progress.h"
#include "cli/read_format.h"
#include "cli/target.h"
#include "common/error.h"
#include "common/json_surrogates.h"
#include "compiler/catalog/catalog.h"
#include "compiler/source_error.h"
#include "engine/loader.h"
#include "omnigraph/graph.h"
#include "policy/policy.h"

namespace omnigraph::cli {
namespace {

namespace fs = std::filesystem;

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

// ---------------------------------------------------------------------------
// Query source, parameters and aliases (read, change)

struct QueryArgs {
  TargetArgs target;
  std::vector<std::string> positionals;  // [<URI>] then alias arguments
  std::string alias;
  std::string query_path;
  std::string source;
  std::string name;
  std::string params;
  std::string params_file;
  std::string branch;
  bool json = false;
  CLI::Option* query_option = nullptr;
  CLI::Option* source_option = nullptr;
  CLI::Option* alias_option = nullptr;
  CLI::Option* params_option = nullptr;
  CLI::Option* params_file_option = nullptr;
};

void add_query_options(CLI::App* command, QueryArgs& args, bool writes) {
  add_target_options(command, args.target, {.positional_uri = false, .writes = writes});
  command->add_option("args", args.positionals,
                      "[<URI>] then, with --alias, the alias's positional arguments");
  args.alias_option =
      command->add_option("--alias", args.alias, "A query alias from omnigraph.yaml");
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

// A JSON text checked to be an object, so the user sees a JSON problem as
// such rather than as a query error.
rapidjson::Document parse_params_object(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
  if (const auto [error, offset] =
          first_json_error(doc.GetParseError(), doc.GetErrorOffset(), text);
      error != rapidjson::kParseErrorNone) {
    std::size_t line =
        1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
    std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    std::size_t column =
        offset - (line_start == std::string::npos || offset == 0 ? 0 : line_start + 1) + 1;
    throw_bad_request(fmt::format("invalid params JSON: {} at line {} column {}",
                                  rapidjson::GetParseError_En(error), line, column));
  }
  if (!doc.IsObject()) throw_bad_request("params JSON must be an object");
  return doc;
}

// What read and change resolve before running: the target, the query and
// the merged parameters.
struct ResolvedQuery {
  ResolvedTarget target;
  const AliasConfig* alias = nullptr;
  QueryCall call;
};

ResolvedQuery resolve_query(const QueryArgs& args, const CliConfig& config, AliasCommand kind) {
  const bool has_alias = args.alias_option->count() > 0;
  const int sources = static_cast<int>(args.query_option->count() > 0) +
                      static_cast<int>(args.source_option->count() > 0) +
                      static_cast<int>(has_alias);
  if (sources != 1) {
    throw_bad_request(has_alias ? "exactly one of --alias or --query must be provided"
                                : "exactly one of --query or -e must be provided");
  }
  ResolvedQuery out;
  if (has_alias) {
    out.alias = &config.alias(args.alias);
    if (out.alias->command != kind) {
      auto name = [](AliasCommand c) { return c == AliasCommand::kRead ? "Read" : "Change"; };
      throw_bad_request(fmt::format("alias '{}' is a {} alias, not a {} alias", args.alias,
                                    name(out.alias->command), name(kind)));
    }
  }

  // With an alias and a graph known from elsewhere, every positional is an
  // alias argument; otherwise the first one is the graph.
  std::vector<std::string> alias_args = args.positionals;
  std::optional<std::string> uri =
      args.target.uri.empty() ? std::nullopt : std::optional<std::string>(args.target.uri);
  const bool target_available =
      !args.target.target.empty() || (out.alias != nullptr && out.alias->graph) || config.graph;
  if (!alias_args.empty() && !(out.alias != nullptr && target_available)) {
    if (!uri) uri = alias_args.front();
    alias_args.erase(alias_args.begin());
  }
  std::optional<std::string> target_name = args.target.target_name();
  if (!target_name && out.alias != nullptr) target_name = out.alias->graph;
  out.target = resolve_target(config, uri, target_name);

  if (args.source_option->count() > 0) {
    out.call.query_source = args.source;
  } else {
    const std::string path = has_alias ? out.alias->query : args.query_path;
    out.call.query_source = read_text_file(config.resolve_query_path(path), "query file");
  }
  if (!args.name.empty()) {
    out.call.query_name = args.name;
  } else if (out.alias != nullptr && out.alias->name) {
    out.call.query_name = out.alias->name;
  }

  // Parameters: alias arguments first, explicit --params over them.
  const std::vector<std::string> no_names;
  const std::vector<std::string>& arg_names = out.alias ? out.alias->args : no_names;
  if (alias_args.size() > arg_names.size()) {
    throw_bad_request(fmt::format("alias '{}' expects at most {} args but got {}",
                                  has_alias ? args.alias : std::string("<alias>"), arg_names.size(),
                                  alias_args.size()));
  }
  rapidjson::Document merged(rapidjson::kObjectType);
  auto& alloc = merged.GetAllocator();
  for (std::size_t i = 0; i < alias_args.size(); ++i) {
    rapidjson::Document value(&alloc);
    value.Parse<rapidjson::kParseFullPrecisionFlag>(alias_args[i].c_str());
    rapidjson::Value key(arg_names[i].c_str(), alloc);
    if (value.HasParseError()) {
      merged.AddMember(key, rapidjson::Value(alias_args[i].c_str(), alloc), alloc);
    } else {
      merged.AddMember(key, rapidjson::Value(value, alloc), alloc);
    }
  }
  std::optional<std::string> explicit_text;
  if (args.params_option->count() > 0) {
    explicit_text = args.params;
  } else if (args.params_file_option->count() > 0) {
    explicit_text = read_text_file(args.params_file, "params file");
  }
  if (explicit_text) {
    rapidjson::Document params = parse_params_object(*explicit_text);
    for (auto& m : params.GetObject()) {
      if (merged.HasMember(m.name)) merged.RemoveMember(m.name);
      merged.AddMember(rapidjson::Value(m.name, alloc), rapidjson::Value(m.value, alloc), alloc);
    }
    if (alias_args.empty()) {
      out.call.params_json = *explicit_text;  // kept verbatim (number spelling, order)
      return out;
    }
  }
  if (merged.MemberCount() > 0) out.call.params_json = to_compact_json(merged);
  return out;
}

// ---------------------------------------------------------------------------
// init

struct InitArgs {
  std::string schema;
  std::string uri;
  std::string config;
  std::string as_actor;
  CLI::Option* as_option = nullptr;
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

void run_init(const InitArgs& args) {
  const CliConfig config = load_cli_config(args.config);
  if (is_remote_uri(args.uri)) {
    throw_bad_request(
        "init is only supported against local graph URIs; use `omnigraph graphs "
        "create` on a multi-graph server");
  }
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
  TargetArgs actor_args;
  actor_args.as_option = args.as_option;
  actor_args.as_actor = args.as_actor;
  Graph::init(args.uri, source, resolve_actor(actor_args, config));
  std::cout << "initialized " << args.uri << "\n";
}

// ---------------------------------------------------------------------------
// load (local only)

struct LoadArgs {
  TargetArgs target;
  std::string data;
  std::string branch;
  std::string mode = "overwrite";
  bool json = false;
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

void run_load(const LoadArgs& args) {
  const CliConfig config = load_cli_config(args.target.config);
  const ResolvedTarget target = resolve_target(config, args.target);
  require_local(target, "load");
  const std::string& uri = target.uri;
  LoadRequest request;
  request.mode = engine::parse_load_mode(args.mode);
  request.branch = resolve_branch(args.branch, config);
  request.actor = resolve_actor(args.target, config);

  std::ifstream data(args.data, std::ios::binary);
  if (!data) {
    throw_bad_request(
        fmt::format("cannot read data file '{}': {}", args.data, std::strerror(errno)));
  }
  auto graph = Graph::open(uri);
  if (auto policy_file = config.resolved_policy_file()) {
    graph->set_policy(std::make_shared<const policy::Policy>(policy::Policy::load(*policy_file)));
  }
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
// ingest

struct IngestArgs {
  TargetArgs target;
  std::string data;
  std::string branch;
  std::string from;
  std::string mode = "merge";
  bool json = false;
};

void run_ingest(const IngestArgs& args) {
  const CliConfig config = load_cli_config(args.target.config);
  const ResolvedTarget target = resolve_target(config, args.target);
  IngestCall call;
  call.data_file = args.data;
  call.branch = resolve_branch(args.branch, config);
  call.from = resolve_branch(args.from, config);
  call.mode = args.mode;
  auto backend = open_backend(target, config, resolve_actor(args.target, config));

  std::error_code ec;
  uint64_t size = fs::file_size(args.data, ec);
  ProgressBar bar("ingesting", ec ? 0 : size, ProgressUnit::kBytes);
  ProgressHooks hooks;
  if (bar.enabled()) hooks.bytes = [&bar](uint64_t bytes) { bar.update(bytes); };
  rapidjson::Document out = backend->ingest(call, hooks);
  bar.finish();
  if (args.json) {
    print_document(out);
    return;
  }
  std::string text = fmt::format(
      "ingested {} into branch {} from {} with {} ({})\n", get_string(out, "uri"),
      get_string(out, "branch"), get_string(out, "base_branch"), get_string(out, "mode"),
      get_bool(out, "branch_created") ? "branch created" : "branch exists");
  for (const auto& table : get_array(out, "tables").GetArray()) {
    text += fmt::format("{} rows_loaded={}\n", get_string(table, "table_key"),
                        get_uint(table, "rows_loaded"));
  }
  if (auto actor = get_optional_string(out, "actor_id")) text += "actor_id: " + *actor + "\n";
  std::cout << text;
}

// ---------------------------------------------------------------------------
// read

struct ReadArgs {
  QueryArgs query;
  std::string snapshot;
  std::string format;
  CLI::Option* snapshot_option = nullptr;
};

void run_read(const ReadArgs& args) {
  const CliConfig config = load_cli_config(args.query.target.config);
  ResolvedQuery q = resolve_query(args.query, config, AliasCommand::kRead);
  if (args.snapshot_option->count() > 0) {
    q.call.snapshot = args.snapshot;
  } else {
    q.call.branch =
        resolve_branch(args.query.branch, config, q.alias ? q.alias->branch : std::nullopt);
  }
  ReadFormat format = ReadFormat::kJson;
  if (args.query.json) {
    format = ReadFormat::kJson;
  } else if (!args.format.empty()) {
    format = *parse_read_format(args.format);  // validated by CLI11
  } else if (q.alias != nullptr && q.alias->format) {
    format = *q.alias->format;
  } else if (config.output_format) {
    format = *config.output_format;
  }
  auto backend = open_backend(q.target, config, resolve_actor(args.query.target, config));
  rapidjson::Document out = backend->read(q.call);
  std::cout << render_read(out, format, config.render_options()) << "\n";
}

// ---------------------------------------------------------------------------
// change

void run_change(const QueryArgs& args) {
  const CliConfig config = load_cli_config(args.target.config);
  ResolvedQuery q = resolve_query(args, config, AliasCommand::kChange);
  q.call.branch = resolve_branch(args.branch, config, q.alias ? q.alias->branch : std::nullopt);
  auto backend = open_backend(q.target, config, resolve_actor(args.target, config));
  rapidjson::Document out = backend->change(q.call);
  if (args.json) {
    print_document(out);
    return;
  }
  std::string text = fmt::format("changed {} via {}: {} nodes, {} edges\n",
                                 get_string(out, "branch"), get_string(out, "query_name"),
                                 get_uint(out, "affected_nodes"), get_uint(out, "affected_edges"));
  if (auto actor = get_optional_string(out, "actor_id")) text += "actor_id: " + *actor + "\n";
  std::cout << text;
}

// ---------------------------------------------------------------------------
// snapshot

struct SnapshotArgs {
  TargetArgs target;
  std::string branch;
  bool json = false;
};

void run_snapshot(const SnapshotArgs& args) {
  const CliConfig config = load_cli_config(args.target.config);
  auto backend = open_backend(resolve_target(config, args.target), config, std::nullopt);
  rapidjson::Document out = backend->snapshot(resolve_branch(args.branch, config));
  if (args.json) {
    print_document(out);
    return;
  }
  std::string text = fmt::format("branch: {}\nmanifest_version: {}\n", get_string(out, "branch"),
                                 get_uint(out, "manifest_version"));
  for (const auto& table : get_array(out, "tables").GetArray()) {
    text += fmt::format("{} v{} branch={} rows={}\n", get_string(table, "table_key"),
                        get_uint(table, "table_version"),
                        get_optional_string(table, "table_branch").value_or(kMainBranch),
                        get_uint(table, "row_count"));
  }
  std::cout << text;
}

// ---------------------------------------------------------------------------
// export

struct ExportArgs {
  TargetArgs target;
  std::string branch;
  bool jsonl = false;
  std::vector<std::string> types;
  std::vector<std::string> tables;
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
uint64_t export_row_total(const rapidjson::Value& snapshot, const ExportCall& call) {
  const bool all = call.type_names.empty() && call.table_keys.empty();
  uint64_t total = 0;
  for (const auto& table : get_array(snapshot, "tables").GetArray()) {
    const std::string key = get_string(table, "table_key");
    bool selected = all || std::find(call.table_keys.begin(), call.table_keys.end(), key) !=
                               call.table_keys.end();
    for (const std::string& type : call.type_names) {
      selected = selected || key == "node:" + type || key == "edge:" + type;
    }
    if (selected) total += get_uint(table, "row_count");
  }
  return total;
}

void run_export(const ExportArgs& args) {
  const CliConfig config = load_cli_config(args.target.config);
  if (args.jsonl) {
    std::cerr << "warning: --jsonl is deprecated; `omnigraph export` always emits JSONL\n";
  }
  ExportCall call;
  call.branch = resolve_branch(args.branch, config);
  call.type_names = args.types;
  call.table_keys = args.tables;
  auto backend = open_backend(resolve_target(config, args.target), config, std::nullopt);
  if (!ProgressBar::bars_wanted()) {
    backend->export_jsonl(call, std::cout);
    std::cout.flush();
    return;
  }
  // The total comes from the snapshot's row counts, which a remote export
  // would cost a second request for; there the bar counts without a total.
  const uint64_t total =
      backend->remote() ? 0 : export_row_total(backend->snapshot(call.branch), call);
  ProgressBar bar("exporting", total, ProgressUnit::kRows);
  LineCountingBuf counting(std::cout.rdbuf(), bar);
  std::ostream out(&counting);
  backend->export_jsonl(call, out);
  out.flush();
  bar.finish();
}

}  // namespace

void register_graph_commands(CLI::App& app) {
  auto init_args = std::make_shared<InitArgs>();
  CLI::App* init = app.add_subcommand("init", "Initialize a new local graph from a schema");
  init->add_option("--schema", init_args->schema, "The .pg schema file")->required();
  init->add_option("uri", init_args->uri, "Graph directory (created if missing)")->required();
  init->add_option("--config", init_args->config,
                   "Path to omnigraph.yaml (default: ./omnigraph.yaml)");
  init_args->as_option =
      init->add_option("--as", init_args->as_actor, "Actor stamped on the first commit");
  init->callback([init_args] { run_init(*init_args); });

  auto load_args = std::make_shared<LoadArgs>();
  CLI::App* load = app.add_subcommand("load", "Bulk load JSONL data into a local graph branch");
  add_target_options(load, load_args->target, {.positional_uri = true, .writes = true});
  load->add_option("--data", load_args->data, "The JSONL file")->required();
  load->add_option("--branch", load_args->branch,
                   "Branch to load into (default: cli.branch, main)");
  load->add_option("--mode", load_args->mode, "overwrite (default), append or merge")
      ->check(CLI::IsMember({"overwrite", "append", "merge"}));
  load->add_flag("--json", load_args->json, "Print the result as JSON");
  load->callback([load_args] { run_load(*load_args); });

  auto ingest_args = std::make_shared<IngestArgs>();
  CLI::App* ingest = app.add_subcommand(
      "ingest", "Load JSONL data into a branch, creating it from --from when missing");
  add_target_options(ingest, ingest_args->target, {.positional_uri = true, .writes = true});
  ingest->add_option("--data", ingest_args->data, "The JSONL file")->required();
  ingest->add_option("--branch", ingest_args->branch,
                     "Branch to load into (default: cli.branch, main)");
  ingest->add_option("--from", ingest_args->from,
                     "Branch to fork when --branch is missing (default: cli.branch, main)");
  ingest->add_option("--mode", ingest_args->mode, "merge (default), append or overwrite")
      ->check(CLI::IsMember({"overwrite", "append", "merge"}));
  ingest->add_flag("--json", ingest_args->json, "Print the IngestOutput as JSON");
  ingest->callback([ingest_args] { run_ingest(*ingest_args); });

  auto read_args = std::make_shared<ReadArgs>();
  CLI::App* read = app.add_subcommand("read", "Execute a read query against a branch or snapshot");
  add_query_options(read, read_args->query, false);
  CLI::Option* read_branch = read->add_option("--branch", read_args->query.branch,
                                              "Branch to read (default: alias, cli.branch, main)");
  read_args->snapshot_option =
      read->add_option("--snapshot", read_args->snapshot, "Commit id to read instead of a branch");
  read_branch->excludes(read_args->snapshot_option);
  CLI::Option* format =
      read->add_option("--format", read_args->format, "json (default), jsonl, csv, table or kv")
          ->check(CLI::IsMember({"json", "jsonl", "csv", "table", "kv"}));
  CLI::Option* json = read->add_flag("--json", read_args->query.json, "Same as --format json");
  format->excludes(json);
  read->callback([read_args] { run_read(*read_args); });

  auto change_args = std::make_shared<QueryArgs>();
  CLI::App* change = app.add_subcommand("change", "Execute a graph change query against a branch");
  add_query_options(change, *change_args, true);
  change->add_option("--branch", change_args->branch,
                     "Branch to change (default: alias, cli.branch, main)");
  change->add_flag("--json", change_args->json, "Print the ChangeOutput as JSON");
  change->callback([change_args] { run_change(*change_args); });

  auto snapshot_args = std::make_shared<SnapshotArgs>();
  CLI::App* snapshot = app.add_subcommand("snapshot", "Show a branch's tables, versions and rows");
  add_target_options(snapshot, snapshot_args->target);
  snapshot->add_option("--branch", snapshot_args->branch, "Branch (default: cli.branch, main)");
  snapshot->add_flag("--json", snapshot_args->json, "Print the SnapshotOutput as JSON");
  snapshot->callback([snapshot_args] { run_snapshot(*snapshot_args); });

  auto export_args = std::make_shared<ExportArgs>();
  CLI::App* exp = app.add_subcommand("export", "Export a branch as JSONL on stdout");
  add_target_options(exp, export_args->target);
  exp->add_option("--branch", export_args->branch, "Branch (default: cli.branch, main)");
  // One value per flag, repeatable (a vector option would otherwise swallow the URI).
  exp->add_option("--type", export_args->types, "Only this node or edge type (repeatable)")
      ->allow_extra_args(false);
  exp->add_option("--table", export_args->tables, "Only this table key, e.g. node:Person")
      ->allow_extra_args(false);
  exp->add_flag("--jsonl", export_args->jsonl)->group("");  // deprecated no-op
  exp->callback([export_args] { run_export(*export_args); });
}

}  // namespace omnigraph::cli
