// The omnigraph command line.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "common/error.h"

namespace omnigraph::cli {
// Registration functions, one per command group (each in its own file).
}  // namespace omnigraph::cli

int main(int argc, char** argv) {
  using namespace omnigraph::cli;
  CLI::App app{"omnigraph: a typed, versioned property-graph database"};
  app.set_version_flag("--version", std::string("omnigraph ") + OG_VERSION);

  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::cout << "omnigraph " << OG_VERSION << "\n"; });
  register_policy_commands(app);
  register_query_commands(app);
  register_graph_commands(app);
  register_version_commands(app);
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
