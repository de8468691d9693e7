// `omnigraph branch create|list|delete|merge` and `omnigraph commit
// list|show` on local graph directories, with the reference CLI's flags and
// output. Branch writes run as the actor from `--as` (else `cli.actor`) and,
// when the config names a `policy.file`, are checked by the engine; listing
// and showing are reads and are not.
#include <fmt/format.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_config.h"
#include "cli/cli_json.h"
#include "cli/commands.h"
#include "common/error.h"
#include "omnigraph/graph.h"
#include "policy/policy.h"

namespace omnigraph::cli {
namespace {

// The graph directory (positional or --uri), --config and --as, which every
// command here takes.
struct CommonArgs {
  std::string uri;
  std::string positional_uri;
  std::string config;
  std::string as_actor;
  CLI::Option* as_option = nullptr;
  bool json = false;
};

void add_uri_options(CLI::App* command, CommonArgs& args) {
  command->add_option("--uri", args.uri, "Graph directory");
  command->add_option("graph", args.positional_uri, "Graph directory (same as --uri)");
}

void add_common_options(CLI::App* command, CommonArgs& args, bool writes) {
  command->add_option("--config", args.config,
                      "Path to omnigraph.yaml (default: ./omnigraph.yaml)");
  if (writes) {
    args.as_option =
        command->add_option("--as", args.as_actor, "Actor for local writes (overrides cli.actor)");
  }
  command->add_flag("--json", args.json, "Print the result as JSON");
}

std::string resolve_uri(const CommonArgs& args) {
  std::string uri = args.uri.empty() ? args.positional_uri : args.uri;
  if (uri.empty()) throw_bad_request("URI must be provided via <URI> or --uri");
  return uri;
}

// --as on the subcommand, then the global `omnigraph --as A ...` (registered
// by the graph commands), then cli.actor.
std::optional<std::string> resolve_actor(const CommonArgs& args, CLI::App& root,
                                         const CliConfig& config) {
  if (args.as_option != nullptr && args.as_option->count() > 0) return args.as_actor;
  if (CLI::Option* global = root.get_option_no_throw("--as");
      global != nullptr && global->count() > 0) {
    return global->as<std::string>();
  }
  return config.actor;
}

// A branch flag's value, else cli.branch, else main (like the reference's
// resolve_branch for --from and --into).
std::string branch_or_default(const std::string& flag, const CliConfig& config) {
  if (!flag.empty()) return flag;
  return config.branch.value_or(kMainBranch);
}

// Opens a graph for a write with the configured policy installed, so the
// engine checks the branch operation against it.
std::unique_ptr<Graph> open_for_write(const std::string& uri, const CliConfig& config) {
  auto graph = Graph::open(uri);
  if (auto policy_file = config.resolved_policy_file()) {
    graph->set_policy(std::make_shared<const policy::Policy>(policy::Policy::load(*policy_file)));
  }
  return graph;
}

void write_commit(JsonWriter& w, const CommitInfo& commit) {
  w.StartObject();
  w.Key("graph_commit_id");
  write_string(w, commit.graph_commit_id);
  w.Key("manifest_branch");
  write_optional(w, commit.manifest_branch);
  w.Key("manifest_version");
  w.Uint64(commit.manifest_version);
  w.Key("parent_commit_id");
  write_optional(w, commit.parent_commit_id);
  w.Key("merged_parent_commit_id");
  write_optional(w, commit.merged_parent_commit_id);
  w.Key("actor_id");
  write_optional(w, commit.actor_id);
  w.Key("created_at");
  w.Int64(commit.created_at);
  w.EndObject();
}

// ---------------------------------------------------------------------------
// branch

struct BranchCreateArgs {
  std::string name;
  std::string from;
  CommonArgs common;
};

void run_branch_create(const BranchCreateArgs& args, CLI::App& root) {
  const CliConfig config = load_cli_config(args.common.config);
  const std::string uri = resolve_uri(args.common);
  const std::string from = branch_or_default(args.from, config);
  const std::optional<std::string> actor = resolve_actor(args.common, root, config);
  open_for_write(uri, config)->branch_create(args.name, GraphTarget::at_branch(from), actor);
  if (args.common.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      w.Key("uri");
      write_string(w, uri);
      w.Key("from");
      write_string(w, from);
      w.Key("name");
      write_string(w, args.name);
      w.Key("actor_id");
      write_optional(w, actor);
      w.EndObject();
    });
    return;
  }
  std::cout << fmt::format("created branch {} from {}\n", args.name, from);
}

void run_branch_list(const CommonArgs& args) {
  load_cli_config(args.config);  // a bad config file is still reported
  const std::vector<std::string> branches = Graph::open(resolve_uri(args))->branch_list();
  if (args.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      w.Key("branches");
      w.StartArray();
      for (const std::string& branch : branches) write_string(w, branch);
      w.EndArray();
      w.EndObject();
    });
    return;
  }
  std::string out;
  for (const std::string& branch : branches) out += branch + "\n";
  std::cout << out;
}

struct BranchDeleteArgs {
  std::string name;
  CommonArgs common;
};

void run_branch_delete(const BranchDeleteArgs& args, CLI::App& root) {
  const CliConfig config = load_cli_config(args.common.config);
  const std::string uri = resolve_uri(args.common);
  const std::optional<std::string> actor = resolve_actor(args.common, root, config);
  open_for_write(uri, config)->branch_delete(args.name, actor);
  if (args.common.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      w.Key("uri");
      write_string(w, uri);
      w.Key("name");
      write_string(w, args.name);
      w.Key("actor_id");
      write_optional(w, actor);
      w.EndObject();
    });
    return;
  }
  std::cout << fmt::format("deleted branch {}\n", args.name);
}

struct BranchMergeArgs {
  std::string source;
  std::string into;
  CommonArgs common;
};

void run_branch_merge(const BranchMergeArgs& args, CLI::App& root) {
  const CliConfig config = load_cli_config(args.common.config);
  const std::string uri = resolve_uri(args.common);
  const std::string into = branch_or_default(args.into, config);
  const std::optional<std::string> actor = resolve_actor(args.common, root, config);
  const MergeResult result = open_for_write(uri, config)->branch_merge(args.source, into, actor);
  const std::string outcome(merge_outcome_name(result.outcome));
  if (args.common.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      w.Key("source");
      write_string(w, args.source);
      w.Key("target");
      write_string(w, into);
      w.Key("outcome");
      write_string(w, outcome);
      w.Key("actor_id");
      write_optional(w, actor);
      w.EndObject();
    });
    return;
  }
  std::cout << fmt::format("merged {} into {}: {}\n", args.source, into, outcome);
}

// ---------------------------------------------------------------------------
// commit

struct CommitListArgs {
  std::string branch;
  CommonArgs common;
};

void run_commit_list(const CommitListArgs& args) {
  load_cli_config(args.common.config);
  // Like the reference, the default is main, not cli.branch.
  const std::string branch = args.branch.empty() ? std::string(kMainBranch) : args.branch;
  const std::vector<CommitInfo> commits =
      Graph::open(resolve_uri(args.common))->commit_list(branch);
  if (args.common.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      w.Key("commits");
      w.StartArray();
      for (const CommitInfo& commit : commits) write_commit(w, commit);
      w.EndArray();
      w.EndObject();
    });
    return;
  }
  std::string out;
  for (const CommitInfo& commit : commits) {
    out += fmt::format("{} branch={} version={}", commit.graph_commit_id,
                       commit.manifest_branch.value_or(kMainBranch), commit.manifest_version);
    if (commit.actor_id) out += " actor=" + *commit.actor_id;
    out += "\n";
  }
  std::cout << out;
}

struct CommitShowArgs {
  std::string commit_id;
  CommonArgs common;
};

void run_commit_show(const CommitShowArgs& args) {
  load_cli_config(args.common.config);
  const CommitInfo commit = Graph::open(resolve_uri(args.common))->commit_show(args.commit_id);
  if (args.common.json) {
    print_json([&](JsonWriter& w) { write_commit(w, commit); });
    return;
  }
  std::string out = fmt::format(
      "graph_commit_id: {}\nmanifest_branch: {}\nmanifest_version: {}\n", commit.graph_commit_id,
      commit.manifest_branch.value_or(kMainBranch), commit.manifest_version);
  if (commit.parent_commit_id) out += "parent_commit_id: " + *commit.parent_commit_id + "\n";
  if (commit.merged_parent_commit_id) {
    out += "merged_parent_commit_id: " + *commit.merged_parent_commit_id + "\n";
  }
  if (commit.actor_id) out += "actor_id: " + *commit.actor_id + "\n";
  out += fmt::format("created_at: {}\n", commit.created_at);
  std::cout << out;
}

}  // namespace

void register_version_commands(CLI::App& app) {
  CLI::App* root = &app;
  CLI::App* branch = app.add_subcommand("branch", "Branch operations");
  branch->require_subcommand(1);

  auto create_args = std::make_shared<BranchCreateArgs>();
  CLI::App* create = branch->add_subcommand("create", "Create a new branch");
  create->add_option("--from", create_args->from, "Branch to fork (default: main)");
  create->add_option("name", create_args->name, "The new branch")->required();
  add_uri_options(create, create_args->common);
  add_common_options(create, create_args->common, true);
  create->callback([create_args, root] { run_branch_create(*create_args, *root); });

  auto list_args = std::make_shared<CommonArgs>();
  CLI::App* list = branch->add_subcommand("list", "List branches");
  add_uri_options(list, *list_args);
  add_common_options(list, *list_args, false);
  list->callback([list_args] { run_branch_list(*list_args); });

  auto delete_args = std::make_shared<BranchDeleteArgs>();
  CLI::App* del = branch->add_subcommand("delete", "Delete a branch");
  del->add_option("name", delete_args->name, "The branch to delete")->required();
  add_uri_options(del, delete_args->common);
  add_common_options(del, delete_args->common, true);
  del->callback([delete_args, root] { run_branch_delete(*delete_args, *root); });

  auto merge_args = std::make_shared<BranchMergeArgs>();
  CLI::App* merge = branch->add_subcommand("merge", "Merge a source branch into a target branch");
  merge->add_option("source", merge_args->source, "The branch to merge")->required();
  merge->add_option("--into", merge_args->into, "The branch merged into (default: main)");
  add_uri_options(merge, merge_args->common);
  add_common_options(merge, merge_args->common, true);
  merge->callback([merge_args, root] { run_branch_merge(*merge_args, *root); });

  CLI::App* commit = app.add_subcommand("commit", "Commit history operations");
  commit->require_subcommand(1);

  auto commit_list_args = std::make_shared<CommitListArgs>();
  CLI::App* commit_list = commit->add_subcommand("list", "List graph commits");
  add_uri_options(commit_list, commit_list_args->common);
  commit_list->add_option("--branch", commit_list_args->branch, "Branch (default: main)");
  add_common_options(commit_list, commit_list_args->common, false);
  commit_list->callback([commit_list_args] { run_commit_list(*commit_list_args); });

  auto show_args = std::make_shared<CommitShowArgs>();
  CLI::App* show = commit->add_subcommand("show", "Show a graph commit");
  show->add_option("commit_id", show_args->commit_id, "The commit id")->required();
  add_uri_options(show, show_args->common);
  add_common_options(show, show_args->common, false);
  show->callback([show_args] { run_commit_show(*show_args); });
}

}  // namespace omnigraph::cli
