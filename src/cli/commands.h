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

// `omnigraph init|load|ingest|read|change|snapshot|export`
// (graph_commands.cpp).
void register_graph_commands(CLI::App& app);

// `omnigraph branch create|list|delete|merge` and `omnigraph commit
// list|show` (version_commands.cpp).
void register_version_commands(CLI::App& app);

// `omnigraph schema plan|apply|show` (schema_commands.cpp).
void register_schema_commands(CLI::App& app);
// `omnigraph diff FROM TO` (diff_commands.cpp).
void register_diff_commands(CLI::App& app);
// `omnigraph graphs list|create` on multi-graph servers (graphs_commands.cpp).
void register_graphs_commands(CLI::App& app);

// `omnigraph cleanup` (maintenance_commands.cpp).
void register_maintenance_commands(CLI::App& app);

// `omnigraph completion bash|zsh` (completion_commands.cpp). Register it
// anywhere: the script is generated from the whole tree when it runs.
void register_completion_commands(CLI::App& app);
// `omnigraph optimize DIR` (optimize_commands.cpp).
void register_optimize_commands(CLI::App& app);

}  // namespace omnigraph::cli
