// One CLI session that must print the same thing whether its target is a
// local graph directory or a server serving that graph. The lead's
// end-to-end test runs it twice (a directory, then `http://127.0.0.1:<port>`
// of omnigraph-server over a copy of the same empty graph) and compares the
// steps; e2e_scenario_test.cpp runs it locally.
//
// Usage:
//   write_scenario_files(work);                        // schema, data, queries
//   omnigraph init --schema <work>/e2e.pg <graph>       // then serve <graph>, or not
//   auto steps = run_e2e_scenario(target, work, scratch);
//   compare steps[i].status / .out / .err across targets.
//
// Outputs that legitimately differ between runs are scrubbed: the graph
// `uri` echoed by ingest and branch create (a server reports its own path),
// and commit ids and timestamps (fresh ULIDs and clocks on every run).
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <string>
#include <vector>

#include "cli_test_util.h"

namespace omnigraph::cli_test {

inline const char* kE2eSchema = R"(node Person {
    name: String @key
    age: I32?
}

node Company {
    name: String @key
}

edge Knows: Person -> Person {
    since: Date?
}

edge WorksAt: Person -> Company
)";

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

inline void write_scenario_files(const fs::path& work) {
  write_file(work / "e2e.pg", kE2eSchema);
  write_file(work / "e2e.jsonl", kE2eData);
  write_file(work / "e2e.gq", kE2eQueries);
}

struct ScenarioStep {
  std::vector<std::string> args;
  int status = -1;
  std::string out;
  std::string err;
};

namespace scenario_detail {

enum Scrub { kNone, kUri, kCommits };

inline std::string pretty(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  value.Accept(w);
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

inline std::string scrub(const std::string& out, Scrub how) {
  if (how == kNone) return out;
  rapidjson::Document doc;
  doc.Parse(out.c_str());
  if (doc.HasParseError() || !doc.IsObject()) return out;
  if (how == kUri && doc.HasMember("uri")) doc["uri"].SetString("<uri>");
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
                                                  const fs::path& scratch) {
  using scenario_detail::kCommits;
  using scenario_detail::kNone;
  using scenario_detail::kUri;
  const std::vector<std::pair<std::vector<std::string>, scenario_detail::Scrub>> plan = {
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
      {{"export", target, "--branch", "feature"}, kNone},
      {{"commit", "list", target, "--json"}, kCommits},
      {{"ingest", target, "--data", "e2e.jsonl", "--branch", "review", "--from", "feature",
        "--mode", "merge"},
       kNone},
      {{"branch", "delete", "--uri", target, "feature"}, kNone},
      {{"branch", "list", "--uri", target, "--json"}, kNone},
      // Errors print the same message and exit 1.
      {{"read", target, "--query", "e2e.gq", "--name", "nope"}, kNone},
      {{"read", target, "--query", "e2e.gq"}, kNone},
      {{"branch", "delete", "--uri", target, "main"}, kNone},
      {{"branch", "delete", "--uri", target, "ghost"}, kNone},
      {{"read", target, "--query", "e2e.gq", "--name", "by_age", "--snapshot",
        "01ARZ3NDEKTSV4RRFFQ69G5FAV"},
       kNone},
  };
  std::vector<ScenarioStep> steps;
  for (const auto& [args, how] : plan) {
    Result r = run_omnigraph_env(work, scratch, {}, args);
    ScenarioStep step;
    step.args = args;
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
