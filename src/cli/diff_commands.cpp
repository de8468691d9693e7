// `omnigraph diff FROM TO [--kind K] [--type T] [--op O] [--json] [GRAPH]`:
// the entity-level changes between two graph states (engine.md §5). FROM
// and TO are each a branch name or a commit id: an existing branch wins,
// anything else is looked up as a commit id. A read: no policy check.
//
// Text output: one line per change, `<op> <table_key> <id>` (edges add
// `<src> -> <dst>`), then a summary line. --json prints one document with
// the changes and their stats.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_config.h"
#include "cli/cli_json.h"
#include "cli/commands.h"
#include "cli/http_client.h"
#include "common/error.h"
#include "omnigraph/graph.h"

namespace omnigraph::cli {
namespace {

struct DiffArgs {
  std::string from;
  std::string to;
  std::string positional_uri;
  std::string uri;
  std::string config;
  std::vector<std::string> kinds;
  std::vector<std::string> types;
  std::vector<std::string> ops;
  bool json = false;
};

// A branch when one by that name exists, else a commit id (checked by the
// engine: Error(kBadRequest) for a malformed id, kNotFound for an unknown one).
GraphTarget resolve_target(const std::string& name, const std::vector<std::string>& branches) {
  if (std::find(branches.begin(), branches.end(), name) != branches.end()) {
    return GraphTarget::at_branch(name);
  }
  return GraphTarget::at_commit(name);
}

void check_values(const std::vector<std::string>& values, const std::vector<std::string>& allowed,
                  const std::string& flag) {
  for (const std::string& value : values) {
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      std::string list;
      for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw_bad_request("invalid " + flag + " '" + value + "' (expected one of: " + list + ")");
    }
  }
}

void write_change(JsonWriter& w, const EntityChange& change) {
  w.StartObject();
  w.Key("table_key");
  write_string(w, change.table_key);
  w.Key("kind");
  write_string(w, change.kind);
  w.Key("type_name");
  write_string(w, change.type_name);
  w.Key("id");
  write_string(w, change.id);
  w.Key("op");
  write_string(w, change.op);
  w.Key("manifest_version");
  w.Uint64(change.manifest_version);
  w.Key("endpoints");
  if (change.src && change.dst) {
    w.StartObject();
    w.Key("src");
    write_string(w, *change.src);
    w.Key("dst");
    write_string(w, *change.dst);
    w.EndObject();
  } else {
    w.Null();
  }
  w.EndObject();
}

void run_diff(const DiffArgs& args) {
  load_cli_config(args.config);  // a bad config file is still reported
  std::string uri = args.uri.empty() ? args.positional_uri : args.uri;
  if (uri.empty()) throw_bad_request("URI must be provided via <URI> or --uri");
  // The HTTP API has no diff route.
  if (is_remote_uri(uri)) throw_bad_request("diff is only supported against local graph URIs");
  check_values(args.kinds, {"node", "edge"}, "--kind");
  check_values(args.ops, {"insert", "update", "delete"}, "--op");

  auto graph = Graph::open(uri);
  std::vector<std::string> branches = graph->branch_list();
  GraphTarget from = resolve_target(args.from, branches);
  GraphTarget to = resolve_target(args.to, branches);
  ChangeFilter filter{args.kinds, args.types, args.ops};

  if (!args.json) {
    ChangeStats stats = graph->diff(from, to, filter, [](const EntityChange& change) {
      std::string line = change.op + " " + change.table_key + " " + change.id;
      if (change.src && change.dst) line += " " + *change.src + " -> " + *change.dst;
      std::cout << line << "\n";
    });
    std::cout << fmt::format("{} inserts, {} updates, {} deletes", stats.inserts, stats.updates,
                             stats.deletes);
    if (!stats.types_affected.empty()) {
      std::string types;
      for (const std::string& t : stats.types_affected) types += (types.empty() ? "" : ", ") + t;
      std::cout << " (" << types << ")";
    }
    std::cout << "\n";
    return;
  }
  std::vector<EntityChange> changes;
  ChangeStats stats =
      graph->diff(from, to, filter, [&](const EntityChange& change) { changes.push_back(change); });
  print_json([&](JsonWriter& w) {
    w.StartObject();
    w.Key("uri");
    write_string(w, uri);
    w.Key("from");
    write_string(w, args.from);
    w.Key("to");
    write_string(w, args.to);
    w.Key("changes");
    w.StartArray();
    for (const EntityChange& change : changes) write_change(w, change);
    w.EndArray();
    w.Key("stats");
    w.StartObject();
    w.Key("inserts");
    w.Uint64(stats.inserts);
    w.Key("updates");
    w.Uint64(stats.updates);
    w.Key("deletes");
    w.Uint64(stats.deletes);
    w.Key("types_affected");
    w.StartArray();
    for (const std::string& t : stats.types_affected) write_string(w, t);
    w.EndArray();
    w.EndObject();
    w.EndObject();
  });
}

}  // namespace

void register_diff_commands(CLI::App& app) {
  auto args = std::make_shared<DiffArgs>();
  CLI::App* diff =
      app.add_subcommand("diff", "Show the entity changes between two branches or commits");
  diff->add_option("from", args->from, "Branch name or commit id to diff from")->required();
  diff->add_option("to", args->to, "Branch name or commit id to diff to")->required();
  diff->add_option("graph", args->positional_uri, "Graph directory (same as --uri)");
  diff->add_option("--uri", args->uri, "Graph directory");
  diff->add_option("--config", args->config, "Path to omnigraph.yaml (default: ./omnigraph.yaml)");
  diff->add_option("--kind", args->kinds, "Only node or edge changes (repeatable)")
      ->allow_extra_args(false);
  diff->add_option("--type", args->types, "Only changes of this type name (repeatable)")
      ->allow_extra_args(false);
  diff->add_option("--op", args->ops, "Only insert, update or delete (repeatable)")
      ->allow_extra_args(false);
  diff->add_flag("--json", args->json, "Print the result as JSON");
  diff->callback([args] { run_diff(*args); });
}

}  // namespace omnigraph::cli
