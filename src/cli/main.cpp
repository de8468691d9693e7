// The omnigraph command line.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/target.h"
#include "common/error.h"

int main(int argc, char** argv) {
  using namespace omnigraph::cli;
  CLI::App app{
      "omnigraph: a typed, versioned property-graph database.\n"
      "Graph commands take a local graph directory or a server URL as <URI> / --uri,\n"
      "or --target <name> from omnigraph.yaml. Exit status: 0 success, 1 error,\n"
      "2 usage error."};
  app.set_version_flag("-v,--version", std::string("omnigraph ") + OG_VERSION);
  app.require_subcommand(0, 1);
  app.footer(
      "Configuration: omnigraph.yaml from --config, else the working directory (graphs,\n"
      "cli defaults, query roots, aliases, auth.env_file, policy). Remote targets send\n"
      "the token from graphs.<target>.bearer_token_env or OMNIGRAPH_BEARER_TOKEN.\n"
      "Run `omnigraph <command> --help` for a command's flags; docs/cli.md has the guide.");
  register_global_options(app);

  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::cout << "omnigraph " << OG_VERSION << "\n"; });
  register_graph_commands(app);
  register_version_commands(app);
  register_schema_commands(app);
  register_diff_commands(app);
  register_query_commands(app);
  register_policy_commands(app);
  register_graphs_commands(app);
  register_maintenance_commands(app);
  register_completion_commands(app);
  register_optimize_commands(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  } catch (const ExitRequest& e) {
    return e.code;
  } catch (const omnigraph::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitUserError;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitUserError;
  }
  if (argc == 1) std::cout << app.help();
  return 0;
}
