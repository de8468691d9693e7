// The omnigraph command line.
#include <CLI/CLI.hpp>
#include <iostream>

#include "common/error.h"

int main(int argc, char** argv) {
  CLI::App app{"omnigraph: a typed, versioned property-graph database"};
  app.set_version_flag("--version", std::string("omnigraph ") + OG_VERSION);
  app.require_subcommand(0);

  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::cout << "omnigraph " << OG_VERSION << "\n"; });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const omnigraph::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  if (argc == 1) std::cout << app.help();
  return 0;
}
