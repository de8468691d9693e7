// `omnigraph schema plan|apply|show` with the reference CLI's output: a plan
// or apply prints `schema plan for <uri>` / `schema apply for <uri>`,
// `supported: yes|no`, and one `- <step>` line per step (or `no schema
// changes`); `--json` prints the reference's SchemaPlanOutput /
// SchemaApplyOutput (the apply adds `branch` and `graph_commit_id`).
// `apply` and `show` go through the backend seam, so they print the same for
// a graph directory and a server (GET /schema, POST /schema/apply, which act
// on main). `plan` has no HTTP route, in the reference as here, and needs a
// local graph. Unlike the reference, every command takes `--branch` on local
// graphs (each branch carries its own schema).
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

#include "cli/backend.h"
#include "cli/cli_config.h"
#include "cli/cli_json.h"
#include "cli/commands.h"
#include "cli/target.h"
#include "common/error.h"
#include "engine/schema_planner.h"
#include "omnigraph/graph.h"

namespace omnigraph::cli {
namespace {

struct SchemaArgs {
  TargetArgs target;
  std::string schema;
  std::string branch;
  bool json = false;
  bool allow_data_loss = false;
};

void add_options(CLI::App* command, SchemaArgs& args, bool takes_schema, bool writes) {
  add_target_options(command, args.target, {.positional_uri = true, .writes = writes});
  command->add_option("--branch", args.branch,
                      "Branch (default: cli.branch, else main; servers serve main only)");
  command->add_flag("--json", args.json, "Print the result as JSON");
  if (takes_schema) {
    command->add_option("--schema", args.schema, "The desired schema (.pg file)")->required();
    command->add_flag("--allow-data-loss", args.allow_data_loss,
                      "Plan every drop as hard: the dropped data is no longer readable at "
                      "older commits either");
  }
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

// A step object of the wire shape (http-contract §1.9) back as a SchemaStep,
// so steps a server sent render like the engine's own.
SchemaStep step_from_json(const rapidjson::Value& v) {
  using K = SchemaStep::Kind;
  static const std::pair<std::string_view, K> kKinds[] = {
      {"add_type", K::kAddType},
      {"rename_type", K::kRenameType},
      {"add_property", K::kAddProperty},
      {"rename_property", K::kRenameProperty},
      {"add_constraint", K::kAddConstraint},
      {"update_type_metadata", K::kUpdateTypeMetadata},
      {"update_property_metadata", K::kUpdatePropertyMetadata},
      {"drop_type", K::kDropType},
      {"drop_property", K::kDropProperty},
      {"unsupported_change", K::kUnsupportedChange},
  };
  SchemaStep step;
  const std::string kind = get_string(v, "kind");
  bool known = false;
  for (const auto& [name, k] : kKinds) {
    if (name == kind) {
      step.kind = k;
      known = true;
    }
  }
  if (!known) throw_bad_request("invalid response: unknown schema step kind '" + kind + "'");
  step.type_kind = get_string(v, "type_kind");
  step.name = get_string(v, "name");
  step.from = get_string(v, "from");
  step.to = get_string(v, "to");
  step.type_name = get_string(v, "type_name");
  step.property_name = get_string(v, "property_name");
  step.mode = get_string(v, "mode");
  step.entity = get_string(v, "entity");
  step.reason = get_string(v, "reason");
  step.code = get_optional_string(v, "code");
  if (v.HasMember("constraint")) step.constraint_json = to_compact_json(v["constraint"]);
  if (v.HasMember("property_type") && v["property_type"].IsObject()) {
    const rapidjson::Value& t = v["property_type"];
    SchemaStep::PropertyType type;
    if (t.HasMember("scalar") && t["scalar"].IsString()) {
      type.scalar = t["scalar"].GetString();
    } else if (t.HasMember("scalar") && t["scalar"].IsObject() && t["scalar"].HasMember("Vector")) {
      type.scalar = "Vector";
      type.vector_dim = static_cast<uint32_t>(get_uint(t["scalar"], "Vector"));
    }
    type.nullable = get_bool(t, "nullable");
    type.list = get_bool(t, "list");
    if (t.HasMember("enum_values") && t["enum_values"].IsArray()) {
      type.enum_values.emplace();
      for (const auto& value : t["enum_values"].GetArray()) {
        if (value.IsString()) type.enum_values->emplace_back(value.GetString());
      }
    }
    step.property_type = std::move(type);
  }
  for (const auto& a : get_array(v, "annotations").GetArray()) {
    step.annotations.push_back({get_string(a, "name"), get_optional_string(a, "value")});
  }
  return step;
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
  const CliConfig config = load_cli_config(args.target.config);
  const ResolvedTarget target = resolve_target(config, args.target);
  require_local(target, "schema plan");
  const std::string source = read_schema_file(args.schema);
  const SchemaPlan plan =
      Graph::open(target.uri)
          ->schema_plan(source, resolve_branch(args.branch, config), args.allow_data_loss);
  if (args.json) {
    const std::string steps = schema_steps_json(plan.steps);
    print_document(make_document([&](CompactWriter& w) {
      w.StartObject();
      w.Key("uri");
      write_string(w, target.uri);
      w.Key("supported");
      w.Bool(plan.supported);
      w.Key("step_count");
      w.Uint64(plan.steps.size());
      w.Key("steps");
      w.RawValue(steps.data(), steps.size(), rapidjson::kArrayType);
      w.EndObject();
    }));
    return;
  }
  std::cout << "schema plan for " << target.uri << "\n"
            << "supported: " << (plan.supported ? "yes" : "no") << "\n";
  print_steps(plan.steps);
}

void run_apply(const SchemaArgs& args) {
  const CliConfig config = load_cli_config(args.target.config);
  const ResolvedTarget target = resolve_target(config, args.target);
  SchemaApplyCall call;
  call.schema_source = read_schema_file(args.schema);
  call.allow_data_loss = args.allow_data_loss;
  call.branch = resolve_branch(args.branch, config);
  auto backend = open_backend(target, config, resolve_actor(args.target, config));
  const rapidjson::Document out = backend->schema_apply(call);
  if (args.json) {
    print_document(out);
    return;
  }
  std::vector<SchemaStep> steps;
  for (const auto& step : get_array(out, "steps").GetArray()) {
    steps.push_back(step_from_json(step));
  }
  // As in the reference, a server's apply names the server's own graph URI.
  std::cout << "schema apply for " << get_string(out, "uri") << "\n"
            << "supported: " << (get_bool(out, "supported") ? "yes" : "no") << "\n"
            << "applied: " << (get_bool(out, "applied") ? "yes" : "no") << "\n"
            << "manifest_version: " << get_uint(out, "manifest_version") << "\n";
  print_steps(steps);
}

void run_show(const SchemaArgs& args) {
  const CliConfig config = load_cli_config(args.target.config);
  auto backend = open_backend(resolve_target(config, args.target), config, std::nullopt);
  const rapidjson::Document out = backend->schema(resolve_branch(args.branch, config));
  if (args.json) {
    print_document(out);
    return;
  }
  std::cout << get_string(out, "schema_source") << "\n";
}

}  // namespace

void register_schema_commands(CLI::App& app) {
  CLI::App* schema = app.add_subcommand("schema", "Schema planning and evolution");
  schema->require_subcommand(1);

  auto plan_args = std::make_shared<SchemaArgs>();
  CLI::App* plan = schema->add_subcommand(
      "plan",
      "Plan a schema migration against the branch's schema (changes nothing; local graphs only)");
  add_options(plan, *plan_args, true, false);
  plan->callback([plan_args] { run_plan(*plan_args); });

  auto apply_args = std::make_shared<SchemaArgs>();
  CLI::App* apply =
      schema->add_subcommand("apply", "Apply a supported schema migration as one commit");
  add_options(apply, *apply_args, true, true);
  apply->callback([apply_args] { run_apply(*apply_args); });

  auto show_args = std::make_shared<SchemaArgs>();
  CLI::App* show = schema->add_subcommand("show", "Print the branch's schema source");
  show->alias("get");
  add_options(show, *show_args, false, false);
  show->callback([show_args] { run_show(*show_args); });
}

}  // namespace omnigraph::cli
