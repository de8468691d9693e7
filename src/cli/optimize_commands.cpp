// `omnigraph optimize DIR [--json]`: pre-builds and persists the derived
// search indexes of every branch head (engine/search/optimize.h), so the
// first search after a restart loads them instead of building.
#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include "cli/cli_json.h"
#include "cli/commands.h"
#include "engine/search/optimize.h"

namespace omnigraph::cli {

namespace {

struct OptimizeArgs {
  std::string dir;
  bool json = false;
};

void run_optimize(const OptimizeArgs& args) {
  auto start = std::chrono::steady_clock::now();
  auto branches = engine::search::optimize_graph(args.dir);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (args.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      w.Key("branches");
      w.StartArray();
      for (const auto& b : branches) {
        w.StartObject();
        w.Key("branch");
        write_string(w, b.branch);
        w.Key("commit_id");
        write_string(w, b.commit_id);
        w.Key("indexes");
        w.StartObject();
        for (const auto& r : b.indexes) {
          write_string(w, r.name);
          w.Uint64(r.indexes);
        }
        w.EndObject();
        w.EndObject();
      }
      w.EndArray();
      w.Key("seconds");
      w.Double(seconds);
      w.EndObject();
    });
    return;
  }
  for (const auto& b : branches) {
    std::cout << "branch " << b.branch << " (" << b.commit_id << "):";
    for (const auto& r : b.indexes) std::cout << " " << r.name << " indexes " << r.indexes;
    std::cout << "\n";
  }
  std::cout << "optimized " << branches.size() << " branch(es) in " << seconds << " s\n";
}

}  // namespace

void register_optimize_commands(CLI::App& app) {
  auto args = std::make_shared<OptimizeArgs>();
  CLI::App* optimize =
      app.add_subcommand("optimize", "Pre-build the search indexes of every branch head");
  optimize->add_option("dir", args->dir, "The graph directory")->required();
  optimize->add_flag("--json", args->json, "Print the result as JSON");
  optimize->callback([args] { run_optimize(*args); });
}

}  // namespace omnigraph::cli
