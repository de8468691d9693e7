// omnigraph.yaml driving the CLI on local graphs: named targets and the
// cli.graph default, paths relative to the config file, query roots,
// aliases (positional args, graph/branch/format defaults, refusals), table
// layout options, ingest, cleanup's guard, exit codes and help.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "cli_test_util.h"

namespace {

namespace fs = std::filesystem;
using namespace omnigraph::cli_test;

const char* kSchema = R"(node Person {
    name: String @key
    age: I32?
    bio: String?
}
)";

const char* kData = R"({"type": "Person", "data": {"name": "Alice", "age": 30}}
{"type": "Person", "data": {"name": "Bob", "age": 25}}
)";

const char* kQueries = R"(query get_person($name: String) {
    match { $p: Person { name: $name } }
    return { $p.name, $p.age }
}

query older_than($age: I32) {
    match {
        $p: Person
        $p.age > $age
    }
    return { $p.name }
    order { $p.name asc }
}

query bios() {
    match { $p: Person }
    return { $p.name, $p.bio }
    order { $p.name asc }
}
)";

const char* kMutations = R"(query set_age($name: String, $age: I32) {
    update Person set { age: $age } where name = $name
}

query set_bio($name: String, $bio: String) {
    update Person set { bio: $bio } where name = $name
}
)";

class ConfigCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "og-config-cli-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    project_ = root_ / "project";
    write_file(project_ / "schema.pg", kSchema);
    write_file(project_ / "data.jsonl", kData);
    write_file(project_ / "queries" / "people.gq", kQueries);
    write_file(project_ / "queries" / "mutations.gq", kMutations);
    graph_ = (project_ / "graphs" / "people.og").string();
    run_ok(project_, {"init", "--schema", "schema.pg", graph_});
    run_ok(project_, {"load", "--data", "data.jsonl", graph_});
  }
  void TearDown() override { fs::remove_all(root_); }

  Result run(const fs::path& cwd, const std::vector<std::string>& args) {
    fs::create_directories(cwd);
    return run_omnigraph_env(cwd, root_, {}, args);
  }
  Result run_ok(const fs::path& cwd, const std::vector<std::string>& args) {
    Result r = run(cwd, args);
    EXPECT_EQ(r.status, 0) << r.err;
    return r;
  }

  fs::path root_;
  fs::path project_;
  std::string graph_;
};

TEST_F(ConfigCli, TargetsResolveAgainstTheConfigDirectory) {
  write_file(project_ / "omnigraph.yaml",
             "graphs:\n  local:\n    uri: ./graphs/people.og\n  other:\n    uri: graphs/none.og\n"
             "cli:\n  graph: local\n");
  // cli.graph picks the graph; no URI needed.
  Result r = run_ok(project_, {"snapshot"});
  EXPECT_EQ(r.out.rfind("branch: main\n", 0), 0u) << r.out;
  // From elsewhere with --config, relative URIs still resolve against the file.
  const fs::path elsewhere = root_ / "elsewhere";
  r = run_ok(elsewhere, {"snapshot", "--config", (project_ / "omnigraph.yaml").string(), "--target",
                         "local", "--json"});
  EXPECT_EQ(parse_json(r.out)["tables"][0]["row_count"].GetUint64(), 2u);
  // --target wins over cli.graph; an explicit URI over both.
  r = run(project_, {"snapshot", "--target", "other"});
  EXPECT_EQ(r.status, 1);
  r = run_ok(project_, {"snapshot", graph_});
  EXPECT_EQ(r.out.rfind("branch: main\n", 0), 0u);
  // Without any config there is no default.
  r = run(elsewhere, {"snapshot"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: URI must be provided via <URI>, --target, or config\n");
}

TEST_F(ConfigCli, QueryRootsAndBranchDefaults) {
  write_file(project_ / "omnigraph.yaml",
             "graphs:\n  local:\n    uri: graphs/people.og\ncli:\n  graph: local\n"
             "  branch: feature\n  output_format: csv\nquery:\n  roots: [queries]\n");
  run_ok(project_, {"branch", "create", "feature", "--from", "main"});
  Result r = run_ok(project_, {"change", "--query", "mutations.gq", "--name", "set_age", "--params",
                               R"({"name":"Alice","age":41})"});
  EXPECT_EQ(r.out, "changed feature via set_age: 1 nodes, 0 edges\n");
  r = run_ok(project_, {"read", "--query", "people.gq", "--name", "get_person", "--params",
                        R"({"name":"Alice"})"});
  EXPECT_EQ(r.out, "p.name,p.age\nAlice,41\n") << "cli.branch and cli.output_format apply";
  r = run_ok(project_, {"read", "--query", "people.gq", "--name", "get_person", "--params",
                        R"({"name":"Alice"})", "--branch", "main"});
  EXPECT_EQ(r.out, "p.name,p.age\nAlice,30\n");
  r = run(project_, {"read", "--query", "nowhere.gq"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: query file 'nowhere.gq' not found\n");
}

TEST_F(ConfigCli, AliasesBindQueriesArgsAndDefaults) {
  write_file(project_ / "omnigraph.yaml", R"(graphs:
  local:
    uri: graphs/people.og
query:
  roots: [queries]
aliases:
  person:
    command: read
    query: people.gq
    name: get_person
    args: [name]
    graph: local
    format: kv
  older:
    command: read
    query: people.gq
    name: older_than
    args: [age]
    graph: local
    format: csv
  age:
    command: change
    query: mutations.gq
    name: set_age
    args: [name, age]
    graph: local
)");
  Result r = run_ok(project_, {"read", "--alias", "person", "Alice"});
  EXPECT_EQ(r.out, "1 rows from branch main via get_person\nrow 1\np.name: Alice\np.age: 30\n");
  // Alias args parse as JSON when they can (26 is a number), else strings.
  r = run_ok(project_, {"read", "--alias", "older", "26"});
  EXPECT_EQ(r.out, "p.name\nAlice\n");
  // --params overrides an alias arg; --format overrides the alias's format.
  r = run_ok(project_, {"read", "--alias", "person", "Alice", "--params", R"({"name":"Bob"})",
                        "--format", "csv"});
  EXPECT_EQ(r.out, "p.name,p.age\nBob,25\n");
  r = run_ok(project_, {"change", "--alias", "age", "Bob", "52", "--json"});
  auto doc = parse_json(r.out);
  EXPECT_EQ(std::string(doc["query_name"].GetString()), "set_age");
  EXPECT_EQ(doc["affected_nodes"].GetUint64(), 1u);
  r = run_ok(project_, {"read", "--alias", "older", "50"});
  EXPECT_EQ(r.out, "p.name\nBob\n");
  // Without a graph from the alias or config, the first positional is the URI.
  write_file(project_ / "alias-only.yaml",
             "aliases:\n  person:\n    command: read\n    query: queries/people.gq\n"
             "    name: get_person\n    args: [name]\n");
  r = run_ok(project_, {"read", "--config", "alias-only.yaml", "--alias", "person", graph_, "Bob",
                        "--format", "csv"});
  EXPECT_EQ(r.out, "p.name,p.age\nBob,52\n");

  r = run(project_, {"read", "--alias", "age", "Bob", "1"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: alias 'age' is a Change alias, not a Read alias\n");
  r = run(project_, {"read", "--alias", "person", "Alice", "extra"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: alias 'person' expects at most 1 args but got 2\n");
  r = run(project_, {"read", "--alias", "nope"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: alias 'nope' not found\n");
  r = run(project_, {"read", "--alias", "person", "--query", "people.gq"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: exactly one of --alias or --query must be provided\n");
}

TEST_F(ConfigCli, TableWidthAndWrapLayoutFromConfig) {
  run_ok(project_, {"change", graph_, "--query", "queries/mutations.gq", "--name", "set_bio",
                    "--params", R"({"name":"Alice","bio":"abcdefghijklmnopqrstu"})"});
  write_file(project_ / "omnigraph.yaml",
             "cli:\n  output_format: table\n  table_max_column_width: 8\n"
             "  table_cell_layout: wrap\n");
  Result r = run_ok(project_, {"read", graph_, "--query", "queries/people.gq", "--name", "bios"});
  EXPECT_EQ(r.out,
            "2 rows from branch main via bios\n"
            "p.name | p.bio   \n"
            "-------+---------\n"
            "Alice  | abcdefgh\n"
            "       | ijklmnop\n"
            "       | qrstu   \n"
            "Bob    | null    \n");
  write_file(project_ / "omnigraph.yaml",
             "cli:\n  output_format: table\n  table_max_column_width: 8\n");
  r = run_ok(project_, {"read", graph_, "--query", "queries/people.gq", "--name", "bios"});
  EXPECT_EQ(r.out,
            "2 rows from branch main via bios\n"
            "p.name | p.bio   \n"
            "-------+---------\n"
            "Alice  | abcdefg\u2026\n"
            "Bob    | null    \n");
  write_file(project_ / "omnigraph.yaml", "cli:\n  table_cell_layout: diagonal\n");
  r = run(project_, {"read", graph_, "--query", "queries/people.gq", "--name", "bios"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("cli.table_cell_layout"), std::string::npos) << r.err;
}

TEST_F(ConfigCli, QueryLintAgainstTheGraphsSchema) {
  write_file(project_ / "omnigraph.yaml",
             "graphs:\n  local:\n    uri: graphs/people.og\nquery:\n  roots: [queries]\n");
  Result r =
      run_ok(project_, {"query", "lint", "--query", "people.gq", "--target", "local", "--json"});
  auto doc = parse_json(r.out);
  EXPECT_EQ(std::string(doc["status"].GetString()), "ok");
  EXPECT_EQ(std::string(doc["schema_source"]["kind"].GetString()), "graph");
  EXPECT_EQ(std::string(doc["schema_source"]["uri"].GetString()),
            (project_ / "graphs/people.og").string());
  EXPECT_EQ(std::string(doc["query_path"].GetString()), (project_ / "queries/people.gq").string());
  EXPECT_EQ(doc["queries_processed"].GetUint64(), 3u);
  write_file(project_ / "queries" / "bad.gq",
             "query q() {\n    match { $p: Person }\n    return { $p.height }\n}\n");
  r = run(project_, {"query", "check", "--query", "bad.gq", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("ERROR query `q`"), std::string::npos) << r.out;
  r = run(root_, {"query", "lint", "--query", (project_ / "queries/people.gq").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err,
            "error: query lint requires --schema <schema.pg> or a resolvable graph target\n");
}

TEST_F(ConfigCli, BadConfigIsAUserError) {
  write_file(project_ / "omnigraph.yaml", "graphs:\n  local: [1, 2\n");
  Result r = run(project_, {"snapshot", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.rfind("error: ", 0), 0u);
  write_file(project_ / "omnigraph.yaml", "graphs:\n  local:\n    bearer_token_env: X\n");
  r = run(project_, {"snapshot", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("uri"), std::string::npos) << r.err;
  r = run(project_, {"snapshot", graph_, "--config", "missing.yaml"});
  EXPECT_EQ(r.status, 1);
}

TEST_F(ConfigCli, IngestCreatesTheBranchOnce) {
  write_file(project_ / "batch.jsonl",
             R"({"type": "Person", "data": {"name": "Zoe", "age": 33}}
{"type": "Person", "data": {"name": "Bob", "age": 26}}
)");
  Result r = run_ok(project_, {"ingest", graph_, "--data", "batch.jsonl", "--branch", "review"});
  EXPECT_EQ(r.out, "ingested " + graph_ +
                       " into branch review from main with merge (branch created)\n"
                       "node:Person rows_loaded=2\n");
  r = run_ok(project_, {"ingest", graph_, "--data", "batch.jsonl", "--branch", "review", "--json"});
  auto doc = parse_json(r.out);
  EXPECT_FALSE(doc["branch_created"].GetBool());
  EXPECT_EQ(std::string(doc["base_branch"].GetString()), "main");
  EXPECT_EQ(std::string(doc["mode"].GetString()), "merge");
  EXPECT_TRUE(doc["actor_id"].IsNull());
  r = run_ok(project_, {"snapshot", graph_, "--branch", "review", "--json"});
  EXPECT_EQ(parse_json(r.out)["tables"][0]["row_count"].GetUint64(), 3u);
  r = run_ok(project_, {"snapshot", graph_, "--json"});
  EXPECT_EQ(parse_json(r.out)["tables"][0]["row_count"].GetUint64(), 2u) << "main untouched";
}

TEST_F(ConfigCli, CleanupNeedsAPolicyAndConfirmationThenCollects) {
  Result r = run(project_, {"cleanup", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: cleanup requires at least one of --keep or --older-than\n");
  r = run(project_, {"cleanup", graph_, "--older-than", "7y"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: unknown duration unit 'y'. Supported: s, m, h, d, w\n");
  r = run_ok(project_, {"cleanup", graph_, "--keep", "3", "--older-than", "7d"});
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "cleanup is destructive — rerun with --confirm. Policy for " + graph_ +
                       ": keep 3 versions, remove anything older than 604800s\n");

  for (int age = 40; age < 44; ++age) {
    run_ok(project_, {"change", graph_, "--query", "queries/mutations.gq", "--name", "set_age",
                      "--params", "{\"name\":\"Alice\",\"age\":" + std::to_string(age) + "}"});
  }
  r = run_ok(project_, {"cleanup", graph_, "--keep", "1", "--confirm", "--json"});
  auto doc = parse_json(r.out);
  EXPECT_EQ(std::string(doc["uri"].GetString()), graph_);
  EXPECT_EQ(doc["keep_versions"].GetUint(), 1u);
  EXPECT_TRUE(doc["older_than_secs"].IsNull());
  EXPECT_EQ(doc["commits_retained"].GetUint64(), 2u);
  EXPECT_GT(doc["commits_pruned"].GetUint64(), 0u);
  EXPECT_GT(doc["chunks_removed"].GetUint64(), 0u);
  r = run_ok(project_, {"cleanup", graph_, "--keep", "1", "--confirm"});
  EXPECT_EQ(r.out, "cleanup " + graph_ + " (keep 1 versions) — removed 0 chunks (0 bytes); " +
                       std::to_string(doc["commits_pruned"].GetUint64()) +
                       " commits pruned, 2 readable\n");
  r = run_ok(project_, {"read", graph_, "--query", "queries/people.gq", "--name", "get_person",
                        "--params", R"({"name":"Alice"})", "--format", "csv"});
  EXPECT_EQ(r.out, "p.name,p.age\nAlice,43\n");
}

TEST_F(ConfigCli, UsageErrorsExitTwoAndUserErrorsOne) {
  EXPECT_EQ(run(project_, {"frobnicate"}).status, 2);
  EXPECT_EQ(run(project_, {"snapshot", graph_, "--bogus"}).status, 2);
  EXPECT_EQ(run(project_, {"load", graph_}).status, 2) << "--data is required";
  EXPECT_EQ(run(project_, {"branch"}).status, 2) << "a subcommand is required";
  EXPECT_EQ(run(project_, {"completion", "fish"}).status, 2);
  Result r = run(project_, {"branch", "delete", graph_, "nope"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("error: ", 0), 0u);
  EXPECT_EQ(run(project_, {"--version"}).out.rfind("omnigraph ", 0), 0u);
  EXPECT_EQ(run(project_, {"-v"}).status, 0);
}

// Every command and subcommand has a description and a working --help.
TEST_F(ConfigCli, HelpListsEveryCommand) {
  Result root = run_ok(project_, {"--help"});
  const std::vector<std::vector<std::string>> commands = {{"init"},
                                                          {"load"},
                                                          {"ingest"},
                                                          {"read"},
                                                          {"change"},
                                                          {"snapshot"},
                                                          {"export"},
                                                          {"branch", "create"},
                                                          {"branch", "list"},
                                                          {"branch", "delete"},
                                                          {"branch", "merge"},
                                                          {"commit", "list"},
                                                          {"commit", "show"},
                                                          {"query", "lint"},
                                                          {"policy", "validate"},
                                                          {"policy", "test"},
                                                          {"policy", "explain"},
                                                          {"graphs", "list"},
                                                          {"graphs", "create"},
                                                          {"cleanup"},
                                                          {"completion"},
                                                          {"version"}};
  for (const auto& command : commands) {
    EXPECT_NE(root.out.find("  " + command[0] + " "), std::string::npos) << command[0];
    std::vector<std::string> args = command;
    args.push_back("--help");
    Result r = run_ok(project_, args);
    EXPECT_NE(r.out.find("Usage:"), std::string::npos) << args[0];
    EXPECT_EQ(r.out.find("\n\nUsage:"), std::string::npos)
        << "a description precedes the usage line: " << args[0];
  }
}

// ---------------------------------------------------------------------------
// completion

TEST_F(ConfigCli, BashCompletionIsValidAndOffersEveryCommand) {
  Result r = run_ok(project_, {"completion", "bash"});
  write_file(root_ / "omnigraph.bash", r.out);
  Result syntax = finish_command("bash -n " + quote((root_ / "omnigraph.bash").string()) + " >" +
                                     quote((root_ / "stdout").string()) + " 2>" +
                                     quote((root_ / "stderr").string()),
                                 root_);
  EXPECT_EQ(syntax.status, 0) << syntax.err;
  for (const char* command :
       {"init", "load", "ingest", "read", "change", "snapshot", "export", "branch", "commit",
        "query", "policy", "graphs", "cleanup", "completion", "version"}) {
    EXPECT_NE(r.out.find(std::string("\"") + command + "\")"), std::string::npos) << command;
  }
  // Ask the function itself, as bash would on <TAB>.
  auto complete = [&](const std::string& words, int cword) {
    const std::string script = "source " + quote((root_ / "omnigraph.bash").string()) +
                               "; COMP_WORDS=(" + words + "); COMP_CWORD=" + std::to_string(cword) +
                               "; _omnigraph; echo \"${COMPREPLY[*]}\"";
    return finish_command("bash -c " + quote(script) + " >" + quote((root_ / "stdout").string()) +
                              " 2>" + quote((root_ / "stderr").string()),
                          root_);
  };
  Result c = complete("omnigraph br", 1);
  EXPECT_EQ(c.out, "branch\n");
  c = complete("omnigraph branch ''", 2);
  EXPECT_EQ(c.out, "create list delete merge --help -h\n");
  c = complete("omnigraph branch create --", 3);
  for (const char* flag : {"--from", "--uri", "--target", "--config", "--as", "--json"}) {
    EXPECT_NE(c.out.find(flag), std::string::npos) << flag << " in " << c.out;
  }
  c = complete("omnigraph read --for", 2);
  EXPECT_EQ(c.out, "--format\n");
}

TEST_F(ConfigCli, ZshCompletionIsValid) {
  Result r = run_ok(project_, {"completion", "zsh"});
  EXPECT_EQ(r.out.rfind("#compdef omnigraph\n", 0), 0u);
  EXPECT_NE(r.out.find("\"branch\") candidates=(create list delete merge"), std::string::npos)
      << r.out;
  if (std::system("command -v zsh >/dev/null 2>&1") != 0) GTEST_SKIP() << "no zsh to parse it";
  write_file(root_ / "_omnigraph", r.out);
  Result syntax = finish_command("zsh -n " + quote((root_ / "_omnigraph").string()) + " >" +
                                     quote((root_ / "stdout").string()) + " 2>" +
                                     quote((root_ / "stderr").string()),
                                 root_);
  EXPECT_EQ(syntax.status, 0) << syntax.err;
  // It loads into an interactive completion system without complaint.
  const std::string load = "autoload -U compinit; compinit -u -D; source " +
                           quote((root_ / "_omnigraph").string()) + "; whence -w _omnigraph";
  Result loaded =
      finish_command("zsh -f -c " + quote(load) + " >" + quote((root_ / "stdout").string()) +
                         " 2>" + quote((root_ / "stderr").string()),
                     root_);
  EXPECT_EQ(loaded.status, 0) << loaded.err;
  EXPECT_EQ(loaded.out, "_omnigraph: function\n");
  EXPECT_EQ(loaded.err, "");
}

}  // namespace
