// `omnigraph policy validate|test|explain`: check a policy file, run its
// declarative tests, and show one decision. The policy file is the one
// named by `policy.file` in omnigraph.yaml (`--config`, else ./omnigraph.yaml),
// resolved relative to that file; the tests are its sibling policy.tests.yaml.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "common/error.h"
#include "policy/action.h"
#include "policy/policy.h"
#include "policy/policy_tests.h"
#include "policy/yaml_reader.h"

namespace omnigraph::cli {
namespace {

namespace fs = std::filesystem;
using omnigraph::policy::Action;

constexpr std::string_view kConfigFile = "omnigraph.yaml";

// The policy file named by the configuration, as an absolute path.
fs::path resolve_policy_file(const std::string& config_flag) {
  const fs::path cwd = fs::current_path();
  fs::path config_path;
  if (!config_flag.empty()) {
    config_path = config_flag;
  } else if (fs::exists(cwd / kConfigFile)) {
    config_path = cwd / kConfigFile;
  }

  fs::path base_dir = cwd;
  std::string policy_file;
  if (!config_path.empty()) {
    namespace yaml = omnigraph::policy::yaml;
    YAML::Node root = yaml::parse_document(yaml::read_file(config_path, "config file"));
    yaml::expect_map(root, "");
    YAML::Node policy = yaml::get(root, "policy");
    yaml::expect_map(policy, "policy");
    policy_file = yaml::as_string(yaml::get(policy, "file"), "policy.file");
    base_dir = (config_path.is_absolute() ? config_path : cwd / config_path).parent_path();
  }
  if (policy_file.empty()) throw_bad_request("policy.file must be set in omnigraph.yaml");
  fs::path path = policy_file;
  return (path.is_absolute() ? path : base_dir / path).lexically_normal();
}

std::string action_choices() {
  std::string out;
  for (Action action : omnigraph::policy::kAllActions) {
    if (!out.empty()) out += ", ";
    out += omnigraph::policy::action_cli_name(action);
  }
  return out;
}

CLI::Option* add_config_option(CLI::App* command, std::string& target) {
  return command->add_option("--config", target,
                             "Path to omnigraph.yaml (default: ./omnigraph.yaml)");
}

struct ExplainArgs {
  std::string config;
  std::string actor;
  std::string action;
  std::string branch;
  std::string target_branch;
  CLI::Option* branch_option = nullptr;
  CLI::Option* target_option = nullptr;
};

void run_explain(const ExplainArgs& args) {
  const policy::Policy compiled = policy::Policy::load(resolve_policy_file(args.config));
  const Action action = *policy::parse_cli_action(args.action);  // validated by CLI11
  std::optional<std::string_view> branch;
  std::optional<std::string_view> target_branch;
  if (args.branch_option->count() > 0) branch = args.branch;
  if (args.target_option->count() > 0) target_branch = args.target_branch;

  const policy::Decision decision = compiled.evaluate(args.actor, action, branch, target_branch);
  std::string out =
      fmt::format("decision: {}\nactor: {}\naction: {}\n", decision.allowed ? "allow" : "deny",
                  args.actor, policy::action_name(action));
  if (branch) out += fmt::format("branch: {}\n", *branch);
  if (target_branch) out += fmt::format("target_branch: {}\n", *target_branch);
  if (decision.matched_rule_id) out += fmt::format("matched_rule: {}\n", *decision.matched_rule_id);
  out += fmt::format("message: {}\n", decision.message);
  std::cout << out;
}

}  // namespace

void register_policy_commands(CLI::App& app) {
  CLI::App* group = app.add_subcommand("policy", "Policy administration and diagnostics");
  group->require_subcommand(1);

  auto validate_config = std::make_shared<std::string>();
  CLI::App* validate =
      group->add_subcommand("validate", "Validate the policy file named by policy.file");
  add_config_option(validate, *validate_config);
  validate->callback([validate_config] {
    const fs::path path = resolve_policy_file(*validate_config);
    const policy::Policy compiled = policy::Policy::load(path);
    std::cout << fmt::format("policy valid: {} [{} actors]\n", path.string(),
                             compiled.known_actor_count());
  });

  auto test_config = std::make_shared<std::string>();
  CLI::App* test = group->add_subcommand("test", "Run the declarative cases of policy.tests.yaml");
  add_config_option(test, *test_config);
  test->callback([test_config] {
    const fs::path path = resolve_policy_file(*test_config);
    const policy::Policy compiled = policy::Policy::load(path);
    const policy::PolicyTestSuite suite =
        policy::load_policy_tests(policy::policy_tests_path_for(path));
    const policy::PolicyTestReport report = policy::run_policy_tests(compiled, suite);
    if (!report.passed()) throw_bad_request(report.summary());
    std::cout << report.summary() << "\n";
  });

  auto explain_args = std::make_shared<ExplainArgs>();
  CLI::App* explain = group->add_subcommand("explain", "Explain one policy decision locally");
  add_config_option(explain, explain_args->config);
  explain->add_option("--actor", explain_args->actor, "Actor id")->required();
  explain->add_option("--action", explain_args->action, "Action (e.g. read, schema-apply)")
      ->required()
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            if (policy::parse_cli_action(value)) return {};
            return fmt::format("invalid value '{}'; possible values: {}", value, action_choices());
          },
          "ACTION"));
  explain_args->branch_option =
      explain->add_option("--branch", explain_args->branch, "Branch the action reads or writes");
  explain_args->target_option =
      explain->add_option("--target-branch", explain_args->target_branch,
                          "Branch the action creates, deletes or merges into");
  explain->callback([explain_args] { run_explain(*explain_args); });
}

}  // namespace omnigraph::cli
