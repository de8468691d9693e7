// `omnigraph cleanup`: the reference's destructive version GC, with its
// flags, argument checks and `--confirm` guard, on a local graph
// (Graph::cleanup: retention, then mark-and-sweep of unreachable chunks).
#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/cli_config.h"
#include "cli/cli_json.h"
#include "cli/commands.h"
#include "cli/target.h"
#include "common/error.h"
#include "omnigraph/graph.h"

namespace omnigraph::cli {
namespace {

struct CleanupArgs {
  TargetArgs target;
  std::optional<uint32_t> keep;
  std::string older_than;
  bool confirm = false;
  bool json = false;
};

// `7d`, `24h`, `90m`, `30s`, `2w` or plain seconds.
uint64_t parse_duration_seconds(const std::string& text) {
  std::string s = text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(0, 1);
  if (s.empty()) throw_bad_request("duration is empty");
  std::string unit;
  while (!s.empty() && std::isalpha(static_cast<unsigned char>(s.back()))) {
    unit.insert(unit.begin(), s.back());
    s.pop_back();
  }
  uint64_t n = 0;
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 18) {
    throw_bad_request(fmt::format("invalid duration '{}': invalid digit found in string", text));
  }
  n = std::stoull(s);
  if (unit.empty() || unit == "s") return n;
  if (unit == "m") return n * 60;
  if (unit == "h") return n * 3600;
  if (unit == "d") return n * 86400;
  if (unit == "w") return n * 604800;
  throw_bad_request(fmt::format("unknown duration unit '{}'. Supported: s, m, h, d, w", unit));
}

void run_cleanup(const CleanupArgs& args) {
  const CliConfig config = load_cli_config(args.target.config);
  const ResolvedTarget target = resolve_target(config, args.target);
  std::optional<uint64_t> older_than;
  if (!args.older_than.empty()) older_than = parse_duration_seconds(args.older_than);
  if (!args.keep && !older_than) {
    throw_bad_request("cleanup requires at least one of --keep or --older-than");
  }
  std::string policy;
  if (args.keep && older_than) {
    policy =
        fmt::format("keep {} versions, remove anything older than {}s", *args.keep, *older_than);
  } else if (args.keep) {
    policy = fmt::format("keep {} versions", *args.keep);
  } else {
    policy = fmt::format("remove anything older than {}s", *older_than);
  }
  if (!args.confirm) {
    std::cerr << fmt::format("cleanup is destructive — rerun with --confirm. Policy for {}: {}\n",
                             target.uri, policy);
    return;
  }
  require_local(target, "cleanup");
  CleanupOptions options;
  options.keep_versions = args.keep;
  if (older_than) options.older_than = std::chrono::seconds(*older_than);
  const CleanupStats stats = Graph::open(target.uri)->cleanup(options);
  if (args.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      w.Key("uri");
      write_string(w, target.uri);
      w.Key("keep_versions");
      if (args.keep) {
        w.Uint(*args.keep);
      } else {
        w.Null();
      }
      w.Key("older_than_secs");
      if (older_than) {
        w.Uint64(*older_than);
      } else {
        w.Null();
      }
      w.Key("commits_retained");
      w.Uint64(stats.commits_retained);
      w.Key("commits_pruned");
      w.Uint64(stats.commits_pruned);
      w.Key("chunks_removed");
      w.Uint64(stats.chunks_removed);
      w.Key("bytes_removed");
      w.Uint64(stats.bytes_removed);
      w.Key("refs_removed");
      w.Uint64(stats.refs_removed);
      w.EndObject();
    });
    return;
  }
  std::cout << fmt::format(
      "cleanup {} ({}) — removed {} chunks ({} bytes); {} commits pruned, {} readable\n",
      target.uri, policy, stats.chunks_removed, stats.bytes_removed, stats.commits_pruned,
      stats.commits_retained);
}

}  // namespace

void register_maintenance_commands(CLI::App& app) {
  auto args = std::make_shared<CleanupArgs>();
  CLI::App* cleanup = app.add_subcommand(
      "cleanup", "Remove old versions of a local graph's tables (destructive; needs --confirm)");
  add_target_options(cleanup, args->target);
  cleanup->add_option("--keep", args->keep, "Recent versions to keep per table");
  cleanup->add_option("--older-than", args->older_than,
                      "Only remove versions older than this: 30s, 90m, 24h, 7d, 2w");
  cleanup->add_flag("--confirm", args->confirm, "Actually run; without it only the plan is shown");
  cleanup->add_flag("--json", args->json, "Print the result as JSON");
  cleanup->callback([args] { run_cleanup(*args); });
}

}  // namespace omnigraph::cli
