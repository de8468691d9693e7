// `omnigraph branch create|list|delete|merge` and `omnigraph commit
// list|show`, on a local graph directory or a server (cli/backend.h), with
// the reference CLI's flags and output. Local branch writes run as the
// actor from `--as` (else `cli.actor`) and, when the config names a
// `policy.file`, are checked by the engine; listing and showing are reads.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/backend.h"
#include "cli/cli_config.h"
#include "cli/cli_json.h"
#include "cli/commands.h"
#include "cli/target.h"
#include "omnigraph/graph.h"

namespace omnigraph::cli {
namespace {

struct CommonArgs {
  TargetArgs target;
  bool json = false;
};

void add_common_options(CLI::App* command, CommonArgs& args, bool writes) {
  add_target_options(command, args.target, {.positional_uri = true, .writes = writes});
  command->add_flag("--json", args.json, "Print the result as JSON");
}

// Loads the config and opens the command's graph.
struct Session {
  CliConfig config;
  std::unique_ptr<Backend> backend;

  explicit Session(const CommonArgs& args) : config(load_cli_config(args.target.config)) {
    backend = open_backend(resolve_target(config, args.target), config,
                           resolve_actor(args.target, config));
  }
};

// ---------------------------------------------------------------------------
// branch

struct BranchCreateArgs {
  std::string name;
  std::string from;
  CommonArgs common;
};

void run_branch_create(const BranchCreateArgs& args) {
  Session s(args.common);
  auto out = s.backend->branch_create(args.name, resolve_branch(args.from, s.config));
  if (args.common.json) return print_document(out);
  std::cout << fmt::format("created branch {} from {}\n", get_string(out, "name"),
                           get_string(out, "from"));
}

void run_branch_list(const CommonArgs& args) {
  Session s(args);
  auto out = s.backend->branch_list();
  if (args.json) return print_document(out);
  std::string text;
  for (const auto& branch : get_array(out, "branches").GetArray()) {
    if (branch.IsString()) text += std::string(branch.GetString()) + "\n";
  }
  std::cout << text;
}

struct BranchDeleteArgs {
  std::string name;
  CommonArgs common;
};

void run_branch_delete(const BranchDeleteArgs& args) {
  Session s(args.common);
  auto out = s.backend->branch_delete(args.name);
  if (args.common.json) return print_document(out);
  std::cout << fmt::format("deleted branch {}\n", get_string(out, "name"));
}

struct BranchMergeArgs {
  std::string source;
  std::string into;
  CommonArgs common;
};

void run_branch_merge(const BranchMergeArgs& args) {
  Session s(args.common);
  auto out = s.backend->branch_merge(args.source, resolve_branch(args.into, s.config));
  if (args.common.json) return print_document(out);
  std::cout << fmt::format("merged {} into {}: {}\n", get_string(out, "source"),
                           get_string(out, "target"), get_string(out, "outcome"));
}

// ---------------------------------------------------------------------------
// commit

struct CommitListArgs {
  std::string branch;
  CommonArgs common;
};

void print_commit_line(std::string& text, const rapidjson::Value& commit) {
  text += fmt::format("{} branch={} version={}", get_string(commit, "graph_commit_id"),
                      get_optional_string(commit, "manifest_branch").value_or(kMainBranch),
                      get_uint(commit, "manifest_version"));
  if (auto actor = get_optional_string(commit, "actor_id")) text += " actor=" + *actor;
  text += "\n";
}

void run_commit_list(const CommitListArgs& args) {
  Session s(args.common);
  // Like the reference, the default is the server's (main), not cli.branch.
  auto out = s.backend->commit_list(args.branch.empty() ? std::nullopt
                                                        : std::optional<std::string>(args.branch));
  if (args.common.json) return print_document(out);
  std::string text;
  for (const auto& commit : get_array(out, "commits").GetArray()) print_commit_line(text, commit);
  std::cout << text;
}

struct CommitShowArgs {
  std::string commit_id;
  CommonArgs common;
};

void run_commit_show(const CommitShowArgs& args) {
  Session s(args.common);
  auto commit = s.backend->commit_show(args.commit_id);
  if (args.common.json) return print_document(commit);
  std::string text =
      fmt::format("graph_commit_id: {}\nmanifest_branch: {}\nmanifest_version: {}\n",
                  get_string(commit, "graph_commit_id"),
                  get_optional_string(commit, "manifest_branch").value_or(kMainBranch),
                  get_uint(commit, "manifest_version"));
  if (auto parent = get_optional_string(commit, "parent_commit_id")) {
    text += "parent_commit_id: " + *parent + "\n";
  }
  if (auto merged = get_optional_string(commit, "merged_parent_commit_id")) {
    text += "merged_parent_commit_id: " + *merged + "\n";
  }
  if (auto actor = get_optional_string(commit, "actor_id")) text += "actor_id: " + *actor + "\n";
  text += fmt::format("created_at: {}\n", get_int(commit, "created_at"));
  std::cout << text;
}

}  // namespace

void register_version_commands(CLI::App& app) {
  CLI::App* branch = app.add_subcommand("branch", "Branch operations");
  branch->require_subcommand(1);

  auto create_args = std::make_shared<BranchCreateArgs>();
  CLI::App* create = branch->add_subcommand("create", "Create a new branch");
  create->add_option("name", create_args->name, "The new branch")->required();
  create->add_option("--from", create_args->from, "Branch to fork (default: cli.branch, main)");
  add_common_options(create, create_args->common, true);
  create->callback([create_args] { run_branch_create(*create_args); });

  auto list_args = std::make_shared<CommonArgs>();
  CLI::App* list = branch->add_subcommand("list", "List branches");
  add_common_options(list, *list_args, false);
  list->callback([list_args] { run_branch_list(*list_args); });

  auto delete_args = std::make_shared<BranchDeleteArgs>();
  CLI::App* del = branch->add_subcommand("delete", "Delete a branch");
  del->add_option("name", delete_args->name, "The branch to delete")->required();
  add_common_options(del, delete_args->common, true);
  del->callback([delete_args] { run_branch_delete(*delete_args); });

  auto merge_args = std::make_shared<BranchMergeArgs>();
  CLI::App* merge = branch->add_subcommand("merge", "Merge a source branch into a target branch");
  merge->add_option("source", merge_args->source, "The branch to merge")->required();
  merge->add_option("--into", merge_args->into,
                    "The branch merged into (default: cli.branch, main)");
  add_common_options(merge, merge_args->common, true);
  merge->callback([merge_args] { run_branch_merge(*merge_args); });

  CLI::App* commit = app.add_subcommand("commit", "Commit history operations");
  commit->require_subcommand(1);

  auto commit_list_args = std::make_shared<CommitListArgs>();
  CLI::App* commit_list = commit->add_subcommand("list", "List graph commits, oldest first");
  commit_list->add_option("--branch", commit_list_args->branch, "Branch (default: main)");
  add_common_options(commit_list, commit_list_args->common, false);
  commit_list->callback([commit_list_args] { run_commit_list(*commit_list_args); });

  auto show_args = std::make_shared<CommitShowArgs>();
  CLI::App* show = commit->add_subcommand("show", "Show a graph commit");
  show->add_option("commit_id", show_args->commit_id, "The commit id")->required();
  add_common_options(show, show_args->common, false);
  show->callback([show_args] { run_commit_show(*show_args); });
}

}  // namespace omnigraph::cli
