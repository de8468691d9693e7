// `omnigraph graphs list|create`: the registry of a multi-graph server
// (GET/POST /graphs). Remote targets only: local graphs are registered by
// editing omnigraph.yaml, which these commands never touch.
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "cli/backend.h"
#include "cli/cli_json.h"
#include "cli/commands.h"
#include "cli/target.h"
#include "common/error.h"

namespace omnigraph::cli {
namespace {

struct GraphsArgs {
  TargetArgs target;
  bool json = false;
  // create
  std::string graph_id;
  std::string graph_uri;
  std::string schema;
  std::string policy_file;
};

void add_options(CLI::App* command, GraphsArgs& args) {
  add_target_options(command, args.target, {.positional_uri = false, .writes = false});
  command->add_flag("--json", args.json, "Print the response as JSON");
}

void run_list(const GraphsArgs& args) {
  const CliConfig config = load_cli_config(args.target.config);
  auto backend = open_backend(resolve_target(config, args.target), config, std::nullopt);
  auto out = backend->graphs_list();
  if (args.json) return print_document(out);
  std::string text;
  for (const auto& graph : get_array(out, "graphs").GetArray()) {
    text += get_string(graph, "graph_id") + "\t" + get_string(graph, "uri") + "\n";
  }
  std::cout << text;
}

void run_create(const GraphsArgs& args) {
  const CliConfig config = load_cli_config(args.target.config);
  auto backend = open_backend(resolve_target(config, args.target), config, std::nullopt);
  GraphCreateCall call;
  call.graph_id = args.graph_id;
  call.uri = args.graph_uri;
  if (!backend->remote()) backend->graphs_create(call);  // refuses with the reference's text
  std::ifstream in(args.schema, std::ios::binary);
  if (!in) {
    throw_bad_request(
        fmt::format("reading schema file '{}': {}", args.schema, std::strerror(errno)));
  }
  std::stringstream source;
  source << in.rdbuf();
  call.schema_source = source.str();
  if (!args.policy_file.empty()) call.policy_file = args.policy_file;
  auto out = backend->graphs_create(call);
  if (args.json) return print_document(out);
  std::cout << fmt::format("created graph {} at {}\n", get_string(out, "graph_id"),
                           get_string(out, "uri"));
}

}  // namespace

void register_graphs_commands(CLI::App& app) {
  CLI::App* graphs =
      app.add_subcommand("graphs", "Manage the graphs of a multi-graph server (remote only)");
  graphs->require_subcommand(1);

  auto list_args = std::make_shared<GraphsArgs>();
  CLI::App* list = graphs->add_subcommand("list", "List the graphs a multi-graph server serves");
  add_options(list, *list_args);
  list->callback([list_args] { run_list(*list_args); });

  auto create_args = std::make_shared<GraphsArgs>();
  CLI::App* create =
      graphs->add_subcommand("create", "Create a graph on a multi-graph server (POST /graphs)");
  add_options(create, *create_args);
  create
      ->add_option("--graph-id", create_args->graph_id,
                   "New graph id, matching ^[a-zA-Z0-9-]{1,64}$")
      ->required();
  create
      ->add_option("--graph-uri", create_args->graph_uri,
                   "Storage URI for the new graph, as the server sees it")
      ->required();
  create
      ->add_option("--schema", create_args->schema,
                   "Local .pg file; its text is sent as schema.source")
      ->required();
  create->add_option("--policy-file", create_args->policy_file,
                     "Per-graph policy file path, sent verbatim (read by the server)");
  create->callback([create_args] { run_create(*create_args); });
}

}  // namespace omnigraph::cli
