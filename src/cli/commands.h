// Each group of CLI subcommands lives in its own file and registers itself
// on the root app here.
#pragma once

#include <CLI/CLI.hpp>

namespace omnigraph::cli {

// Exit codes: 0 success, 1 user error (bad input, failed check), 2 usage error.
inline constexpr int kExitUserError = 1;
inline constexpr int kExitUsage = 2;

// Thrown by a command that already printed its own output but must exit non-zero.
struct ExitRequest {
  int code;
};

// `omnigraph policy validate|test|explain` (policy_commands.cpp).
void register_policy_commands(CLI::App& app);

// `omnigraph query lint|check` (query_commands.cpp).
void register_query_commands(CLI::App& app);

// `omnigraph init|load|read|change|snapshot|export` on local graph
// directories (graph_commands.cpp).
void register_graph_commands(CLI::App& app);

// `omnigraph branch create|list|delete|merge` and `omnigraph commit
// list|show` (version_commands.cpp).
void register_version_commands(CLI::App& app);

// `omnigraph optimize DIR` (optimize_commands.cpp).
void register_optimize_commands(CLI::App& app);

}  // namespace omnigraph::cli
