// `omnigraph schema plan|apply|show` on local graph directories, with the
// reference CLI's output: a plan or apply prints `schema plan for <uri>` /
// `schema apply for <uri>`, `supported: yes|no`, and one `- <step>` line per
// step (or `no schema changes`); `--json` prints the reference's
// SchemaPlanOutput / SchemaApplyOutput. Unlike the reference, every command
// takes `--branch` (each branch carries its own schema).
#include <fmt/format.h>
#include <rapidjson/document.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "cli/cli_config.h"
#include "cli/cli_json.h"
#include "cli/commands.h"
#include "common/error.h"
#include "engine/schema_planner.h"
#include "omnigraph/graph.h"
#include "policy/policy.h"

namespace omnigraph::cli {
namespace {

struct SchemaArgs {
  std::string uri;
  std::string positional_uri;
  std::string config;
  std::string schema;
  std::string branch;
  std::string as_actor;
  CLI::Option* as_option = nullptr;
  bool json = false;
  bool allow_data_loss = false;
};

void add_options(CLI::App* command, SchemaArgs& args, bool takes_schema, bool writes) {
  command->add_option("--uri", args.uri, "Graph directory");
  command->add_option("graph", args.positional_uri, "Graph directory (same as --uri)");
  command->add_option("--config", args.config,
                      "Path to omnigraph.yaml (default: ./omnigraph.yaml)");
  command->add_option("--branch", args.branch, "Branch (default: cli.branch, else main)");
  command->add_flag("--json", args.json, "Print the result as JSON");
  if (takes_schema) {
    command->add_option("--schema", args.schema, "The desired schema (.pg file)")->required();
    command->add_flag("--allow-data-loss", args.allow_data_loss,
                      "Plan every drop as hard: the dropped data is no longer readable at "
                      "older commits either");
  }
  if (writes) {
    args.as_option =
        command->add_option("--as", args.as_actor, "Actor for local writes (overrides cli.actor)");
  }
}

std::string resolve_uri(const SchemaArgs& args) {
  std::string uri = args.uri.empty() ? args.positional_uri : args.uri;
  if (uri.empty()) throw_bad_request("URI must be provided via <URI> or --uri");
  return uri;
}

std::string resolve_branch(const SchemaArgs& args, const CliConfig& config) {
  if (!args.branch.empty()) return args.branch;
  return config.branch.value_or(kMainBranch);
}

std::optional<std::string> resolve_actor(const SchemaArgs& args, CLI::App& root,
                                         const CliConfig& config) {
  if (args.as_option != nullptr && args.as_option->count() > 0) return args.as_actor;
  if (CLI::Option* global = root.get_option_no_throw("--as");
      global != nullptr && global->count() > 0) {
    return global->as<std::string>();
  }
  return config.actor;
}

std::string read_schema_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw_bad_request(fmt::format("cannot read schema file '{}': {}", path, std::strerror(errno)));
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The steps as a pretty JSON array (the engine writes them compact).
void write_steps(JsonWriter& w, const std::vector<SchemaStep>& steps) {
  rapidjson::Document doc;
  doc.Parse(schema_steps_json(steps).c_str());
  doc.Accept(w);
}

void print_steps(const std::vector<SchemaStep>& steps) {
  if (steps.empty()) {
    std::cout << "no schema changes\n";
    return;
  }
  std::string out;
  for (const SchemaStep& step : steps) out += "- " + engine::render_step(step) + "\n";
  std::cout << out;
}

void run_plan(const SchemaArgs& args) {
  const CliConfig config = load_cli_config(args.config);
  const std::string uri = resolve_uri(args);
  const std::string source = read_schema_file(args.schema);
  const SchemaPlan plan =
      Graph::open(uri)->schema_plan(source, resolve_branch(args, config), args.allow_data_loss);
  if (args.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      w.Key("uri");
      write_string(w, uri);
      w.Key("supported");
      w.Bool(plan.supported);
      w.Key("step_count");
      w.Uint64(plan.steps.size());
      w.Key("steps");
      write_steps(w, plan.steps);
      w.EndObject();
    });
    return;
  }
  std::cout << "schema plan for " << uri << "\n"
            << "supported: " << (plan.supported ? "yes" : "no") << "\n";
  print_steps(plan.steps);
}

void run_apply(const SchemaArgs& args, CLI::App& root) {
  const CliConfig config = load_cli_config(args.config);
  const std::string uri = resolve_uri(args);
  SchemaApplyRequest request;
  request.schema_source = read_schema_file(args.schema);
  request.allow_data_loss = args.allow_data_loss;
  request.branch = resolve_branch(args, config);
  request.actor = resolve_actor(args, root, config);
  auto graph = Graph::open(uri);
  if (auto policy_file = config.resolved_policy_file()) {
    graph->set_policy(std::make_shared<const policy::Policy>(policy::Policy::load(*policy_file)));
  }
  const SchemaApplyResult result = graph->schema_apply(request);
  if (args.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      w.Key("uri");
      write_string(w, uri);
      w.Key("branch");
      write_string(w, request.branch);
      w.Key("supported");
      w.Bool(result.supported);
      w.Key("applied");
      w.Bool(result.applied);
      w.Key("step_count");
      w.Uint64(result.steps.size());
      w.Key("manifest_version");
      w.Uint64(result.manifest_version);
      w.Key("graph_commit_id");
      write_string(w, result.commit_id);
      w.Key("steps");
      write_steps(w, result.steps);
      w.EndObject();
    });
    return;
  }
  std::cout << "schema apply for " << uri << "\n"
            << "supported: " << (result.supported ? "yes" : "no") << "\n"
            << "applied: " << (result.applied ? "yes" : "no") << "\n"
            << "manifest_version: " << result.manifest_version << "\n";
  print_steps(result.steps);
}

void run_show(const SchemaArgs& args) {
  const CliConfig config = load_cli_config(args.config);
  const std::string source =
      Graph::open(resolve_uri(args))
          ->schema_source(GraphTarget::at_branch(resolve_branch(args, config)));
  if (args.json) {
    print_json([&](JsonWriter& w) {
      w.StartObject();
      w.Key("schema_source");
      write_string(w, source);
      w.EndObject();
    });
    return;
  }
  std::cout << source << "\n";
}

}  // namespace

void register_schema_commands(CLI::App& app) {
  CLI::App* root = &app;
  CLI::App* schema = app.add_subcommand("schema", "Schema planning and evolution");
  schema->require_subcommand(1);

  auto plan_args = std::make_shared<SchemaArgs>();
  CLI::App* plan = schema->add_subcommand(
      "plan", "Plan a schema migration against the branch's schema (changes nothing)");
  add_options(plan, *plan_args, true, false);
  plan->callback([plan_args] { run_plan(*plan_args); });

  auto apply_args = std::make_shared<SchemaArgs>();
  CLI::App* apply =
      schema->add_subcommand("apply", "Apply a supported schema migration as one commit");
  add_options(apply, *apply_args, true, true);
  apply->callback([apply_args, root] { run_apply(*apply_args, *root); });

  auto show_args = std::make_shared<SchemaArgs>();
  CLI::App* show = schema->add_subcommand("show", "Print the branch's schema source");
  show->alias("get");
  add_options(show, *show_args, false, false);
  show->callback([show_args] { run_show(*show_args); });
}

}  // namespace omnigraph::cli
