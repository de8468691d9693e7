// One CLI session that must print the same thing whether its target is a
// local graph directory or a server serving that graph. e2e_server_test.cpp
// runs it against a directory and against `http://127.0.0.1:<port>` of
// omnigraph-server over an identically initialized graph, and compares the
// steps; e2e_scenario_test.cpp checks the local run's meaning.
//
// Usage:
//   write_scenario_files(work);                        // schema, data, queries
//   omnigraph init --schema <work>/e2e.pg <graph>       // then serve <graph>, or not
//   auto steps = run_e2e_scenario(target, work, scratch);
//   compare steps[i].status / .out / .err across targets.
//
// Outputs that legitimately differ between runs are scrubbed: the graph
// `uri` echoed by ingest and branch create (a server reports its own path),
// commit ids, edge ids and timestamps (fresh ULIDs and clocks on every run).
// Local-only steps (schema plan) are left out of remote runs.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <string>
#include <vector>

#include "../reference_fixture.h"
#include "cli_test_util.h"

namespace omnigraph::cli_test {

inline const char* kE2eSchema = omnigraph::test_fixture::kReferenceSchema;

inline const char* kE2eData = R"({"type": "Person", "data": {"name": "Alice", "age": 30}}
{"type": "Person", "data": {"name": "Bob", "age": 25}}
{"type": "Person", "data": {"name": "Charlie", "age": 35}}
{"type": "Person", "data": {"name": "Diana", "age": 28}}
{"type": "Company", "data": {"name": "Acme"}}
{"type": "Company", "data": {"name": "Globex"}}
{"edge": "Knows", "from": "Alice", "to": "Bob", "data": {"since": "2020-01-02"}}
{"edge": "Knows", "from": "Alice", "to": "Charlie"}
{"edge": "Knows", "from": "Bob", "to": "Diana"}
{"edge": "WorksAt", "from": "Alice", "to": "Acme"}
{"edge": "WorksAt", "from": "Bob", "to": "Globex"}
)";

inline const char* kE2eQueries = R"(query get_person($name: String) {
    match { $p: Person { name: $name } }
    return { $p.name, $p.age }
}

query by_age() {
    match { $p: Person }
    return { $p.name, $p.age }
    order { $p.age desc }
}

query friends($name: String) {
    match {
        $p: Person { name: $name }
        $p knows $f
    }
    return { $f.name, $f.age }
    order { $f.name asc }
}

query insert_person($name: String, $age: I32) {
    insert Person { name: $name, age: $age }
}

query set_age($name: String, $age: I32) {
    update Person set { age: $age } where name = $name
}
)";

// kE2eSchema evolved: a new property and a new type.
inline const char* kE2eNextSchema = R"(node Person {
    name: String @key
    age: I32?
    email: String?
}

node Company {
    name: String @key
}

node Team {
    name: String @key
}

edge Knows: Person -> Person {
    since: Date?
}

edge WorksAt: Person -> Company
)";

inline const char* kE2eNextQueries = R"(query emails() {
    match { $p: Person }
    return { $p.name, $p.email }
    order { $p.name asc }
}
)";

inline void write_scenario_files(const fs::path& work) {
  write_file(work / "e2e.pg", kE2eSchema);
  write_file(work / "e2e.jsonl", kE2eData);
  write_file(work / "e2e.gq", kE2eQueries);
  write_file(work / "e2e_next.pg", kE2eNextSchema);
  write_file(work / "e2e_next.gq", kE2eNextQueries);
}

struct ScenarioStep {
  std::vector<std::string> args;
  bool local_only = false;
  int status = -1;
  std::string out;
  std::string err;
};

struct ScenarioOptions {
  bool remote = false;                     // leave out local-only steps
  std::vector<std::string> env;            // NAME=value added for every command
  std::optional<std::string> target_name;  // name the graph as `--target <name>` instead
};

namespace scenario_detail {

enum Scrub { kNone, kUri, kCommits, kApply, kApplyText, kEdgeIds };

struct PlanStep {
  std::vector<std::string> args;
  Scrub how = kNone;
  bool local_only = false;
};

inline std::string pretty(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  value.Accept(w);
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

inline std::string scrub(const std::string& out, Scrub how) {
  if (how == kNone) return out;
  if (how == kEdgeIds) {  // export lines: edges' `id`s are fresh ULIDs
    std::string text;
    for (const std::string& line : lines_of(out)) {
      rapidjson::Document doc;
      doc.Parse(line.c_str());
      if (!doc.HasParseError() && doc.IsObject() && doc.HasMember("edge") &&
          doc.HasMember("data") && doc["data"].HasMember("id")) {
        doc["data"]["id"].SetString("<id>");
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
        doc.Accept(w);
        text += std::string(buffer.GetString(), buffer.GetSize()) + "\n";
      } else {
        text += line + "\n";
      }
    }
    return text;
  }
  if (how == kApplyText) {  // "schema apply for <uri>\n..."
    auto eol = out.find('\n');
    if (out.rfind("schema apply for ", 0) != 0 || eol == std::string::npos) return out;
    return "schema apply for <uri>" + out.substr(eol);
  }
  rapidjson::Document doc;
  doc.Parse(out.c_str());
  if (doc.HasParseError() || !doc.IsObject()) return out;
  if ((how == kUri || how == kApply) && doc.HasMember("uri")) doc["uri"].SetString("<uri>");
  if (how == kApply && doc.HasMember("graph_commit_id")) doc["graph_commit_id"].SetString("<id>");
  if (how == kCommits && doc.HasMember("commits")) {
    for (auto& commit : doc["commits"].GetArray()) {
      for (const char* key : {"graph_commit_id", "parent_commit_id", "merged_parent_commit_id"}) {
        if (commit.HasMember(key) && commit[key].IsString()) commit[key].SetString("<id>");
      }
      if (commit.HasMember("created_at")) commit["created_at"].SetInt64(0);
    }
  }
  return pretty(doc);
}

}  // namespace scenario_detail

// Runs the session in `work` (which holds the scenario files) against
// `target`, a graph directory or server URL whose graph was initialized
// with kE2eSchema and holds no data. Files for stdout/stderr go to `scratch`.
inline std::vector<ScenarioStep> run_e2e_scenario(const std::string& target, const fs::path& work,
                                                  const fs::path& scratch,
                                                  const ScenarioOptions& options = {}) {
  using scenario_detail::kApply;
  using scenario_detail::kApplyText;
  using scenario_detail::kCommits;
  using scenario_detail::kEdgeIds;
  using scenario_detail::kNone;
  using scenario_detail::kUri;
  const std::vector<scenario_detail::PlanStep> plan = {
      {{"ingest", target, "--data", "e2e.jsonl", "--branch", "main", "--json"}, kUri},
      {{"snapshot", target, "--json"}, kNone},
      {{"snapshot", target}, kNone},
      {{"read", "--uri", target, "--query", "e2e.gq", "--name", "get_person", "--params",
        R"({"name":"Alice"})"},
       kNone},
      {{"read", target, "--query", "e2e.gq", "--name", "by_age", "--format", "table"}, kNone},
      {{"read", target, "--query", "e2e.gq", "--name", "by_age", "--format", "csv"}, kNone},
      {{"read", target, "--query", "e2e.gq", "--name", "by_age", "--format", "jsonl"}, kNone},
      {{"read", target, "--query", "e2e.gq", "--name", "friends", "--params", R"({"name":"Alice"})",
        "--format", "kv"},
       kNone},
      {{"change", target, "--query", "e2e.gq", "--name", "insert_person", "--params",
        R"({"name":"Mina","age":28})", "--json"},
       kNone},
      {{"branch", "create", "--uri", target, "--from", "main", "feature", "--json"}, kUri},
      {{"change", target, "--query", "e2e.gq", "--name", "set_age", "--branch", "feature",
        "--params", R"({"name":"Bob","age":26})"},
       kNone},
      {{"branch", "list", "--uri", target}, kNone},
      {{"read", target, "--query", "e2e.gq", "--name", "get_person", "--branch", "feature",
        "--params", R"({"name":"Bob"})", "--format", "csv"},
       kNone},
      {{"read", target, "--query", "e2e.gq", "--name", "get_person", "--params",
        R"({"name":"Bob"})", "--format", "csv"},
       kNone},
      {{"branch", "merge", "--uri", target, "feature", "--into", "main", "--json"}, kNone},
      {{"snapshot", target, "--branch", "main", "--json"}, kNone},
      {{"export", target, "--type", "Person"}, kNone},
      {{"export", target, "--branch", "feature"}, kEdgeIds},
      {{"commit", "list", target, "--json"}, kCommits},
      {{"ingest", target, "--data", "e2e.jsonl", "--branch", "review", "--from", "feature",
        "--mode", "merge"},
       kNone},
      {{"branch", "delete", "--uri", target, "feature"}, kNone},
      {{"branch", "list", "--uri", target, "--json"}, kNone},
      // Schema evolution on main (the review branch keeps its schema).
      {{"schema", "show", target}, kNone},
      // No HTTP route plans a migration: local graphs only.
      {{"schema", "plan", target, "--schema", "e2e_next.pg"}, kNone, true},
      {{"schema", "apply", "--uri", target, "--schema", "e2e_next.pg", "--json"}, kApply},
      {{"schema", "apply", target, "--schema", "e2e_next.pg"}, kApplyText},
      {{"schema", "get", target, "--json"}, kNone},
      {{"read", target, "--query", "e2e_next.gq", "--format", "csv"}, kNone},
      {{"snapshot", target}, kNone},
      {{"commit", "list", target, "--json"}, kCommits},
      {{"query", "lint", target, "--query", "e2e_next.gq"}, kNone},
      // Errors print the same message and exit 1.
      {{"read", target, "--query", "e2e.gq", "--name", "nope"}, kNone},
      {{"read", target, "--query", "e2e.gq"}, kNone},
      {{"branch", "delete", "--uri", target, "main"}, kNone},
      {{"branch", "delete", "--uri", target, "ghost"}, kNone},
      {{"read", target, "--query", "e2e.gq", "--name", "by_age", "--snapshot",
        "01ARZ3NDEKTSV4RRFFQ69G5FAV"},
       kNone},
      {{"commit", "show", "--uri", target, "01ARZ3NDEKTSV4RRFFQ69G5FAV"}, kNone},
  };
  std::vector<ScenarioStep> steps;
  for (const auto& [plan_args, how, local_only] : plan) {
    if (local_only && options.remote) continue;
    std::vector<std::string> args;
    for (std::size_t i = 0; i < plan_args.size(); ++i) {
      if (options.target_name && plan_args[i] == "--uri" && i + 1 < plan_args.size() &&
          plan_args[i + 1] == target) {
        continue;  // `--uri <target>` becomes `--target <name>` below
      }
      if (options.target_name && plan_args[i] == target) {
        args.insert(args.end(), {"--target", *options.target_name});
      } else {
        args.push_back(plan_args[i]);
      }
    }
    Result r = run_omnigraph_env(work, scratch, options.env, args);
    ScenarioStep step;
    step.args = plan_args;
    step.local_only = local_only;
    step.status = r.status;
    step.out = scenario_detail::scrub(r.out, how);
    step.err = r.err;
    // The human ingest line names the graph's uri too.
    if (args[0] == "ingest" && how == kNone) {
      auto at = step.out.find(" into branch ");
      if (step.out.rfind("ingested ", 0) == 0 && at != std::string::npos) {
        step.out = "ingested <uri>" + step.out.substr(at);
      }
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace omnigraph::cli_test
