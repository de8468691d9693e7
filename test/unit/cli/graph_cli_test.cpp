// `omnigraph init|load|read|change|snapshot|export` run as a user would:
// the built binary on a scratch graph directory, checking stdout, stderr
// and exit status. Covers every read format, --as with a policy from
// omnigraph.yaml, the progress bar (absent when piped, drawn on a tty) and
// the errors of bad input.
#include <gtest/gtest.h>

#include <rapidjson/document.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "cli_test_util.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "../reference_fixture.h"

namespace {

namespace fs = std::filesystem;
using namespace omnigraph::cli_test;

const char* kSchema = omnigraph::test_fixture::kReferenceSchema;

const char* kData =
    R"({"type": "Person", "data": {"name": "Alice", "age": 30}}
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

const char* kQueries = R"(query get_person($name: String) {
    match {
        $p: Person { name: $name }
    }
    return { $p.name, $p.age }
}

query adults() {
    match {
        $p: Person
        $p.age > 30
    }
    return { $p.name, $p.age }
    order { $p.age desc }
}

query by_age() {
    match {
        $p: Person
    }
    return { $p.name, $p.age }
    order { $p.age desc }
}
)";

const char* kMutations = R"(query insert_person($name: String, $age: I32) {
    insert Person { name: $name, age: $age }
}

query set_age($name: String, $age: I32) {
    update Person set { age: $age } where name = $name
}
)";

const char* kPolicy = R"(version: 1
groups:
  writers: [act-andrew]
  readers: [act-bruno]
rules:
  - id: writers-change
    allow:
      actors: { group: writers }
      actions: [change]
      branch_scope: any
  - id: everyone-read
    allow:
      actors: { group: readers }
      actions: [read, export]
      branch_scope: any
)";

class GraphCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    graph_ = (cwd_ / "people.og").string();
    write_file(cwd_ / "test.pg", kSchema);
    write_file(cwd_ / "test.jsonl", kData);
    write_file(cwd_ / "test.gq", kQueries);
    write_file(cwd_ / "mutations.gq", kMutations);
  }
  std::string command_line(const std::vector<std::string>& args) const {
    return omnigraph_command(cwd_, args);
  }

  Result finish(const std::string& command) { return finish_command(command, root_); }

  // The same with stdout and stderr each going through a pipe (to `cat`).
  Result run_piped(const std::vector<std::string>& args) {
    const std::string out = quote((root_ / "stdout").string());
    const std::string err = quote((root_ / "stderr").string());
    const std::string status = quote((root_ / "status").string());
    // fd 3 carries stderr past the stdout pipe; the exit status is saved
    // because a pipeline reports its last command's.
    Result r = finish("{ { " + command_line(args) + " 2>&3; echo $? >" + status + "; } | cat >" +
                      out + "; } 3>&1 | cat >" + err);
    r.status = std::stoi(read_all(root_ / "status"));
    return r;
  }

  void init_and_load() {
    run_ok({"init", "--schema", "test.pg", graph_});
    run_ok({"load", "--data", "test.jsonl", graph_});
  }

  std::string read_json(const std::string& name, const std::string& params = "") {
    std::vector<std::string> args{"read", graph_, "--query", "test.gq", "--name", name};
    if (!params.empty()) args.insert(args.end(), {"--params", params});
    return run_ok(args).out;
  }
};

// ---------------------------------------------------------------------------
// init

TEST_F(GraphCli, InitPrintsConfirmationAndCreatesMissingDirectories) {
  std::string nested = (cwd_ / "a" / "b" / "g.og").string();
  Result r = run({"init", "--schema", "test.pg", nested});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "initialized " + nested + "\n");
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(fs::is_directory(nested));

  r = run({"init", "--schema", "test.pg", nested});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
}

TEST_F(GraphCli, InitShowsCompileErrorsWithLineAndColumn) {
  write_file(cwd_ / "bad.pg", "node Person {\n    name String\n}\n");
  Result r = run({"init", "--schema", "bad.pg", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(std::regex_match(r.err, std::regex("error: bad\\.pg:2:[0-9]+: parse error: .*\n")))
      << r.err;
  EXPECT_FALSE(fs::exists(graph_)) << "a bad schema must leave nothing behind";
}

TEST_F(GraphCli, InitFailsForMissingSchemaFile) {
  Result r = run({"init", "--schema", "missing.pg", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("error: cannot read schema file 'missing.pg': ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("No such file"), std::string::npos) << r.err;
}

// ---------------------------------------------------------------------------
// load

TEST_F(GraphCli, LoadPrintsCountsPerType) {
  run_ok({"init", "--schema", "test.pg", graph_});
  Result r = run_ok({"load", "--data", "test.jsonl", graph_});
  EXPECT_EQ(r.out, "loaded " + graph_ +
                       " on branch main with overwrite: 6 nodes across 2 node types, 5 edges "
                       "across 2 edge types\n"
                       "  node Company: 2\n  node Person: 4\n"
                       "  edge Knows: 3\n  edge WorksAt: 2\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(GraphCli, LoadJsonSummary) {
  run_ok({"init", "--schema", "test.pg", graph_});
  Result r = run_ok({"load", "--data", "test.jsonl", "--mode", "append", "--json", graph_});
  auto doc = parse_json(r.out);
  EXPECT_STREQ(doc["uri"].GetString(), graph_.c_str());
  EXPECT_STREQ(doc["branch"].GetString(), "main");
  EXPECT_STREQ(doc["mode"].GetString(), "append");
  EXPECT_EQ(doc["nodes_loaded"].GetUint64(), 6u);
  EXPECT_EQ(doc["edges_loaded"].GetUint64(), 5u);
  EXPECT_EQ(doc["node_types_loaded"].GetUint64(), 2u);
  EXPECT_EQ(doc["edge_types_loaded"].GetUint64(), 2u);
  EXPECT_EQ(doc["nodes_by_type"]["Person"].GetUint64(), 4u);
  EXPECT_EQ(doc["edges_by_type"]["WorksAt"].GetUint64(), 2u);
}

TEST_F(GraphCli, LoadMergeUpdatesRows) {
  init_and_load();
  write_file(cwd_ / "update.jsonl", R"({"type":"Person","data":{"name":"Alice","age":31}})");
  Result r = run_ok({"load", "--data", "update.jsonl", "--mode", "merge", graph_});
  EXPECT_NE(r.out.find("with merge: 1 nodes across 1 node types"), std::string::npos) << r.out;
  auto doc = parse_json(read_json("get_person", R"({"name":"Alice"})"));
  EXPECT_EQ(doc["rows"][0]["p.age"].GetInt(), 31);
}

TEST_F(GraphCli, LoadRejectsBadInput) {
  run_ok({"init", "--schema", "test.pg", graph_});
  Result r = run({"load", "--data", "missing.jsonl", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("No such file"), std::string::npos) << r.err;

  r = run({"load", "--data", "test.jsonl", "--mode", "upsert", graph_});
  EXPECT_EQ(r.status, 2) << "an unknown mode is a usage error";

  write_file(cwd_ / "bad.jsonl", "{\"type\": \"Robot\", \"data\": {}}\n");
  r = run({"load", "--data", "bad.jsonl", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("Robot"), std::string::npos) << r.err;
}

// ---------------------------------------------------------------------------
// read

TEST_F(GraphCli, ReadJsonIsTheDefaultFormat) {
  init_and_load();
  const std::string expected = R"({
  "query_name": "get_person",
  "target": {
    "branch": "main",
    "snapshot": null
  },
  "row_count": 1,
  "columns": [
    "p.name",
    "p.age"
  ],
  "rows": [
    {
      "p.name": "Alice",
      "p.age": 30
    }
  ]
}
)";
  EXPECT_EQ(read_json("get_person", R"({"name":"Alice"})"), expected);
  Result r = run_ok({"read", "--uri", graph_, "--query", "test.gq", "--name", "get_person",
                     "--params", R"({"name":"Alice"})", "--json"});
  EXPECT_EQ(r.out, expected);
  r = run_ok({"read", graph_, "--query", "test.gq", "--name", "get_person", "--params",
              R"({"name":"Alice"})", "--format", "json"});
  EXPECT_EQ(r.out, expected);
  EXPECT_EQ(r.err, "");
}

TEST_F(GraphCli, ReadJsonWithNoRowsKeepsColumns) {
  init_and_load();
  auto doc = parse_json(read_json("get_person", R"({"name":"Nobody"})"));
  EXPECT_EQ(doc["row_count"].GetUint64(), 0u);
  EXPECT_TRUE(doc["rows"].IsArray());
  EXPECT_EQ(doc["rows"].Size(), 0u);
  EXPECT_EQ(doc["columns"].Size(), 2u);
}

TEST_F(GraphCli, ReadJsonlPutsMetadataFirst) {
  init_and_load();
  Result r =
      run_ok({"read", graph_, "--query", "test.gq", "--name", "by_age", "--format", "jsonl"});
  EXPECT_EQ(r.out,
            "{\"kind\":\"metadata\",\"query_name\":\"by_age\",\"target\":{\"branch\":\"main\","
            "\"snapshot\":null},\"row_count\":4}\n"
            "{\"p.name\":\"Charlie\",\"p.age\":35}\n"
            "{\"p.name\":\"Alice\",\"p.age\":30}\n"
            "{\"p.name\":\"Diana\",\"p.age\":28}\n"
            "{\"p.name\":\"Bob\",\"p.age\":25}\n");
}

TEST_F(GraphCli, ReadCsvQuotesWhereNeeded) {
  init_and_load();
  Result r = run_ok({"read", graph_, "--query", "test.gq", "--name", "adults", "--format", "csv"});
  EXPECT_EQ(r.out, "p.name,p.age\nCharlie,35\n");

  run_ok({"change", graph_, "--query", "mutations.gq", "--name", "insert_person", "--params",
          R"({"name":"Smith, \"J\"","age":40})"});
  r = run_ok({"read", graph_, "--query", "test.gq", "--name", "adults", "--format", "csv"});
  EXPECT_EQ(r.out, "p.name,p.age\n\"Smith, \"\"J\"\"\",40\nCharlie,35\n");
}

TEST_F(GraphCli, ReadTablePadsAndTruncatesAt80) {
  init_and_load();
  Result r =
      run_ok({"read", graph_, "--query", "test.gq", "--name", "adults", "--format", "table"});
  EXPECT_EQ(r.out,
            "1 rows from branch main via adults\n"
            "p.name  | p.age\n"
            "--------+------\n"
            "Charlie | 35   \n");

  const std::string long_name(100, 'x');
  run_ok({"change", graph_, "--query", "mutations.gq", "--name", "insert_person", "--params",
          R"({"name":")" + long_name + R"(","age":50})"});
  r = run_ok({"read", graph_, "--query", "test.gq", "--name", "get_person", "--params",
              R"({"name":")" + long_name + R"("})", "--format", "table"});
  auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_EQ(lines[1], "p.name" + std::string(74, ' ') + " | p.age");
  EXPECT_EQ(lines[2], std::string(80, '-') + "-+-" + std::string(5, '-'));
  EXPECT_EQ(lines[3], std::string(79, 'x') + "\u2026 | 50   ");

  r = run_ok({"read", graph_, "--query", "test.gq", "--name", "get_person", "--params",
              R"({"name":"Nobody"})", "--format", "table"});
  EXPECT_EQ(r.out,
            "0 rows from branch main via get_person\n"
            "p.name | p.age\n"
            "-------+------\n");
}

TEST_F(GraphCli, ReadKvListsEachRow) {
  init_and_load();
  Result r = run_ok({"read", graph_, "--query", "test.gq", "--name", "by_age", "--format", "kv"});
  EXPECT_EQ(r.out,
            "4 rows from branch main via by_age\n"
            "row 1\np.name: Charlie\np.age: 35\n\n"
            "row 2\np.name: Alice\np.age: 30\n\n"
            "row 3\np.name: Diana\np.age: 28\n\n"
            "row 4\np.name: Bob\np.age: 25\n");
  r = run_ok({"read", graph_, "--query", "test.gq", "--name", "get_person", "--params",
              R"({"name":"Nobody"})", "--format", "kv"});
  EXPECT_EQ(r.out, "0 rows from branch main via get_person\n(no rows)\n");
}

TEST_F(GraphCli, ReadInlineQueryAndParamsFile) {
  init_and_load();
  write_file(cwd_ / "params.json", R"({"name": "Bob"})");
  Result r = run_ok({"read", graph_, "-e",
                     "query friends($name: String) { match { $p: Person { name: $name } "
                     "$p knows $f } return { $f.name } }",
                     "--params-file", "params.json", "--format", "csv"});
  EXPECT_EQ(r.out, "f.name\nDiana\n");
}

TEST_F(GraphCli, ReadNullsInEveryFormat) {
  init_and_load();
  run_ok({"change", graph_, "-e", "query ins($name: String) { insert Person { name: $name } }",
          "--params", R"({"name":"Zed"})"});
  const std::string q =
      "query q() { match { $a: Person { name: \"Alice\" } $a knows $b } "
      "return { $b.name, $b.age } order { $b.name asc } }";
  Result r = run_ok({"read", graph_, "-e", q, "--format", "csv"});
  EXPECT_EQ(r.out, "b.name,b.age\nBob,25\nCharlie,35\n");
  r = run_ok({"read", graph_, "-e",
              "query z() { match { $p: Person { name: \"Zed\" } } return { $p.name, $p.age } }",
              "--format", "kv"});
  EXPECT_EQ(r.out, "1 rows from branch main via z\nrow 1\np.name: Zed\np.age: null\n");
  r = run_ok({"read", graph_, "-e",
              "query z() { match { $p: Person { name: \"Zed\" } } return { $p.name, $p.age } }",
              "--format", "jsonl"});
  EXPECT_EQ(lines_of(r.out).at(1), R"({"p.name":"Zed","p.age":null})");
}

TEST_F(GraphCli, ReadRejectsBadInput) {
  init_and_load();
  Result r = run({"read", graph_, "--query", "test.gq", "--name", "nope"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "error: query 'nope' not found\n");

  r = run({"read", graph_, "--query", "test.gq"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: query file contains multiple queries; pass --name\n");

  r = run({"read", graph_, "--query", "test.gq", "--name", "get_person", "--params", "{\"name\":"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.rfind("error: invalid params JSON: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("line 1 column 9"), std::string::npos) << r.err;

  r = run({"read", graph_, "--query", "test.gq", "--name", "get_person", "--params", "[1]"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: params JSON must be an object\n");

  r = run({"read", graph_, "--query", "missing.gq"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: query file 'missing.gq' not found\n");

  r = run({"read", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: exactly one of --query or -e must be provided\n");

  r = run({"read", "--query", "test.gq", "--name", "adults"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: URI must be provided via <URI>, --target, or config\n");

  r = run({"read", graph_, "--query", "test.gq", "--name", "adults", "--branch", "main",
           "--snapshot", "x"});
  EXPECT_EQ(r.status, 2) << "--branch and --snapshot conflict";
  r = run({"read", graph_, "--query", "test.gq", "--name", "adults", "--json", "--format", "csv"});
  EXPECT_EQ(r.status, 2) << "--json and --format conflict";
  r = run({"read", graph_, "--query", "test.gq", "--name", "adults", "--format", "xml"});
  EXPECT_EQ(r.status, 2);

  r = run({"read", graph_, "--query", "test.gq", "--name", "adults", "--snapshot",
           "01ARZ3NDEKTSV4RRFFQ69G5FAV"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("not found"), std::string::npos) << r.err;

  r = run({"read", (cwd_ / "nowhere").string(), "--query", "test.gq", "--name", "adults"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
}

// ---------------------------------------------------------------------------
// change

TEST_F(GraphCli, ChangeThenReadSeesTheChange) {
  init_and_load();
  Result r = run_ok({"change", graph_, "--query", "mutations.gq", "--name", "insert_person",
                     "--params", R"({"name":"Eve","age":29})", "--json"});
  EXPECT_EQ(r.out, R"({
  "branch": "main",
  "query_name": "insert_person",
  "affected_nodes": 1,
  "affected_edges": 0,
  "actor_id": null
}
)");
  auto doc = parse_json(read_json("get_person", R"({"name":"Eve"})"));
  EXPECT_EQ(doc["row_count"].GetUint64(), 1u);
  EXPECT_EQ(doc["rows"][0]["p.age"].GetInt(), 29);

  r = run_ok({"--as", "act-andrew", "change", "--uri", graph_, "--query", "mutations.gq", "--name",
              "set_age", "--params", R"({"name":"Eve","age":30})"});
  EXPECT_EQ(r.out, "changed main via set_age: 1 nodes, 0 edges\nactor_id: act-andrew\n");
  doc = parse_json(read_json("get_person", R"({"name":"Eve"})"));
  EXPECT_EQ(doc["rows"][0]["p.age"].GetInt(), 30);
}

TEST_F(GraphCli, ChangeRejectsAReadQuery) {
  init_and_load();
  Result r = run({"change", graph_, "--query", "test.gq", "--name", "adults"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("mutation execution called on a read query"), std::string::npos) << r.err;
}

// ---------------------------------------------------------------------------
// snapshot

TEST_F(GraphCli, SnapshotJsonAndHuman) {
  init_and_load();
  Result r = run_ok({"snapshot", graph_, "--json"});
  auto doc = parse_json(r.out);
  EXPECT_STREQ(doc["branch"].GetString(), "main");
  EXPECT_GE(doc["manifest_version"].GetUint64(), 2u);
  const auto& tables = doc["tables"];
  ASSERT_EQ(tables.Size(), 4u);
  const char* keys[] = {"edge:Knows", "edge:WorksAt", "node:Company", "node:Person"};
  const uint64_t rows[] = {3, 2, 2, 4};
  for (rapidjson::SizeType i = 0; i < 4; ++i) {
    EXPECT_STREQ(tables[i]["table_key"].GetString(), keys[i]);
    EXPECT_TRUE(std::regex_match(tables[i]["table_path"].GetString(),
                                 std::regex("(nodes|edges)/[0-9a-f]{16}")));
    EXPECT_GE(tables[i]["table_version"].GetUint64(), 1u);
    EXPECT_TRUE(tables[i]["table_branch"].IsNull());
    EXPECT_EQ(tables[i]["row_count"].GetUint64(), rows[i]);
  }
  // Keys in the reference's order.
  EXPECT_LT(r.out.find("\"branch\""), r.out.find("\"manifest_version\""));
  EXPECT_LT(r.out.find("\"table_key\""), r.out.find("\"table_path\""));
  EXPECT_LT(r.out.find("\"table_branch\""), r.out.find("\"row_count\""));

  r = run_ok({"snapshot", graph_});
  auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 6u) << r.out;
  EXPECT_EQ(lines[0], "branch: main");
  EXPECT_EQ(lines[1], "manifest_version: " + std::to_string(doc["manifest_version"].GetUint64()));
  EXPECT_TRUE(std::regex_match(lines[5], std::regex("node:Person v[0-9]+ branch=main rows=4")))
      << lines[5];

  r = run({"snapshot", graph_, "--branch", "nope"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: branch 'nope' not found\n");
}

// ---------------------------------------------------------------------------
// export

TEST_F(GraphCli, ExportRoundTripsThroughLoad) {
  init_and_load();
  Result first = run_ok({"export", graph_});
  EXPECT_EQ(first.err, "");
  EXPECT_EQ(lines_of(first.out).size(), 11u);
  write_file(cwd_ / "export.jsonl", first.out);

  const std::string copy = (cwd_ / "copy.og").string();
  run_ok({"init", "--schema", "test.pg", copy});
  run_ok({"load", "--data", "export.jsonl", copy});
  Result second = run_ok({"export", copy});
  EXPECT_EQ(second.out, first.out);
}

TEST_F(GraphCli, ExportFilters) {
  init_and_load();
  Result r = run_ok({"export", graph_, "--type", "Person"});
  auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 4u);
  for (const auto& line : lines) EXPECT_STREQ(parse_json(line)["type"].GetString(), "Person");

  r = run_ok({"export", "--table", "edge:Knows", "--type", "Company", graph_});
  EXPECT_EQ(lines_of(r.out).size(), 5u) << r.out;

  Result plain = run_ok({"export", graph_});
  r = run_ok({"export", graph_, "--jsonl"});
  EXPECT_EQ(r.out, plain.out);
  EXPECT_EQ(r.err, "warning: --jsonl is deprecated; `omnigraph export` always emits JSONL\n");

  r = run({"export", graph_, "--type", "Robot"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("unknown export type 'Robot'"), std::string::npos) << r.err;
}

// ---------------------------------------------------------------------------
// Progress bars

TEST_F(GraphCli, NoProgressBarWhenPiped) {
  run_ok({"init", "--schema", "test.pg", graph_});
  // Big enough for the loader to report progress more than once.
  std::string data;
  for (int i = 0; i < 20000; ++i) {
    data += R"({"type": "Person", "data": {"name": "p)" + std::to_string(i) +
            R"(", "age": 1}})"
            "\n";
  }
  write_file(cwd_ / "big.jsonl", data);
  Result r = run_piped({"load", "--data", "big.jsonl", graph_});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out.rfind("loaded ", 0), 0u) << r.out;

  r = run_piped({"export", graph_});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(lines_of(r.out).size(), 20000u);

  r = run_piped({"ingest", "--data", "big.jsonl", graph_, "--branch", "again"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out.rfind("ingested ", 0), 0u) << r.out;
}

TEST_F(GraphCli, ProgressBarOnATerminal) {
  if (std::system("command -v script >/dev/null 2>&1") != 0) GTEST_SKIP() << "no script(1)";
  init_and_load();
  // script(1) runs the command on a pseudo-terminal: stderr is a tty there.
  // stdout goes to a file so only stderr reaches the terminal transcript.
  const std::string transcript = (root_ / "tty").string();
  auto on_tty = [&](const std::vector<std::string>& args) {
    std::string inner = command_line(args) + " >" + quote((root_ / "stdout").string());
    std::string command =
        "script -qec " + quote(inner) + " /dev/null >" + quote(transcript) + " 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0);
    return read_all(transcript);
  };
  std::string shown = on_tty({"load", "--data", "test.jsonl", graph_});
  EXPECT_NE(shown.find("loading ["), std::string::npos) << shown;
  EXPECT_NE(shown.find("100%"), std::string::npos) << shown;
  EXPECT_NE(shown.find("\r\x1b[K"), std::string::npos) << "the bar is erased at the end";
  EXPECT_EQ(read_all(root_ / "stdout").rfind("loaded ", 0), 0u);

  shown = on_tty({"export", graph_});
  EXPECT_NE(shown.find("exporting ["), std::string::npos) << shown;
  EXPECT_NE(shown.find("11/11 rows"), std::string::npos) << shown;
  EXPECT_EQ(lines_of(read_all(root_ / "stdout")).size(), 11u);

  shown = on_tty({"ingest", "--data", "test.jsonl", graph_, "--branch", "review"});
  EXPECT_NE(shown.find("ingesting ["), std::string::npos) << shown;
  EXPECT_NE(shown.find("100%"), std::string::npos) << shown;
  EXPECT_EQ(read_all(root_ / "stdout").rfind("ingested ", 0), 0u);

  // --quiet: nothing on the terminal, the output unchanged.
  shown = on_tty({"--quiet", "load", "--data", "test.jsonl", graph_});
  EXPECT_EQ(shown, "");
  EXPECT_EQ(read_all(root_ / "stdout").rfind("loaded ", 0), 0u);
  shown = on_tty({"-q", "export", graph_});
  EXPECT_EQ(shown, "");
  EXPECT_EQ(lines_of(read_all(root_ / "stdout")).size(), 11u);
}

// ---------------------------------------------------------------------------
// omnigraph.yaml: --as, policy, defaults

class GraphCliPolicy : public GraphCli {
 protected:
  void SetUp() override {
    GraphCli::SetUp();
    init_and_load();
    write_file(cwd_ / "policy.yaml", kPolicy);
  }

  Result insert(const std::string& name, std::vector<std::string> extra = {}) {
    // Absolute: with --config, relative query paths resolve against the config's directory.
    std::vector<std::string> args{
        "change", graph_,          "--query",  (cwd_ / "mutations.gq").string(),
        "--name", "insert_person", "--params", R"({"name":")" + name + R"(","age":20})"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }

  uint64_t count(const std::string& name) {
    return parse_json(read_json("get_person", R"({"name":")" + name + R"("})"))["row_count"]
        .GetUint64();
  }

  uint64_t manifest_version() {
    return parse_json(run_ok({"snapshot", graph_, "--json"}).out)["manifest_version"].GetUint64();
  }
};

TEST_F(GraphCliPolicy, AllowedActorWritesDeniedActorFails) {
  write_file(cwd_ / "omnigraph.yaml", "policy:\n  file: ./policy.yaml\n");
  const uint64_t before = manifest_version();

  Result r = insert("Denied", {"--as", "act-bruno"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("error: policy denied", 0), 0u) << r.err;
  EXPECT_EQ(count("Denied"), 0u);
  EXPECT_EQ(manifest_version(), before) << "a denied write changes nothing";

  r = insert("NoActor");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no actor"), std::string::npos) << r.err;
  EXPECT_EQ(count("NoActor"), 0u);

  r = insert("Allowed", {"--as", "act-andrew", "--json"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_STREQ(parse_json(r.out)["actor_id"].GetString(), "act-andrew");
  EXPECT_EQ(count("Allowed"), 1u);

  // The global form, before the subcommand.
  r = run({"--as", "act-andrew", "load", "--data", "test.jsonl", "--mode", "merge", graph_});
  EXPECT_EQ(r.status, 0) << r.err;
  r = run({"--as", "act-bruno", "load", "--data", "test.jsonl", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.rfind("error: policy denied", 0), 0u) << r.err;
}

TEST_F(GraphCliPolicy, CliActorIsTheDefaultAndAsOverridesIt) {
  write_file(cwd_ / "omnigraph.yaml", "cli:\n  actor: act-andrew\npolicy:\n  file: policy.yaml\n");
  Result r = insert("ByConfig", {"--json"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_STREQ(parse_json(r.out)["actor_id"].GetString(), "act-andrew");

  r = insert("Overridden", {"--as", "act-bruno"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(count("Overridden"), 0u);
}

TEST_F(GraphCliPolicy, ExplicitConfigResolvesPolicyRelativeToIt) {
  write_file(root_ / "conf" / "omnigraph.yaml", "policy:\n  file: rules/policy.yaml\n");
  write_file(root_ / "conf" / "rules" / "policy.yaml", kPolicy);
  const std::string config = (root_ / "conf" / "omnigraph.yaml").string();
  Result r = insert("Denied", {"--config", config, "--as", "act-bruno"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.rfind("error: policy denied", 0), 0u) << r.err;
  r = insert("Allowed", {"--config", config, "--as", "act-andrew"});
  EXPECT_EQ(r.status, 0) << r.err;

  // Without the config nothing is enforced.
  r = insert("Open");
  EXPECT_EQ(r.status, 0) << r.err;

  // A relative --query resolves against the config's directory, like the reference.
  r = run({"change", graph_, "--config", config, "--as", "act-andrew", "--query", "mutations.gq",
           "--name", "insert_person", "--params", R"({"name":"Rel","age":1})"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: query file 'mutations.gq' not found\n");
  write_file(root_ / "conf" / "mutations.gq", kMutations);
  r = run({"change", graph_, "--config", config, "--as", "act-andrew", "--query", "mutations.gq",
           "--name", "insert_person", "--params", R"({"name":"Rel","age":1})"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(count("Rel"), 1u);

  write_file(root_ / "conf" / "omnigraph.yaml", "policy:\n  file: missing.yaml\n");
  r = insert("Broken", {"--config", config, "--as", "act-andrew"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(count("Broken"), 0u);
}

TEST_F(GraphCli, ConfigSuppliesBranchAndOutputFormat) {
  init_and_load();
  write_file(cwd_ / "omnigraph.yaml", "cli:\n  output_format: csv\n");
  Result r = run_ok({"read", graph_, "--query", "test.gq", "--name", "adults"});
  EXPECT_EQ(r.out, "p.name,p.age\nCharlie,35\n");
  r = run_ok({"read", graph_, "--query", "test.gq", "--name", "adults", "--format", "kv"});
  EXPECT_EQ(r.out.rfind("1 rows from branch main via adults\n", 0), 0u) << r.out;

  write_file(cwd_ / "omnigraph.yaml", "cli:\n  branch: feature\n");
  r = run({"read", graph_, "--query", "test.gq", "--name", "adults"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: branch 'feature' not found\n");
  r = run({"snapshot", graph_});
  EXPECT_EQ(r.err, "error: branch 'feature' not found\n");
  r = run_ok({"snapshot", graph_, "--branch", "main"});

  write_file(cwd_ / "omnigraph.yaml", "cli:\n  output_format: xml\n");
  r = run({"read", graph_, "--query", "test.gq", "--name", "adults"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("cli.output_format"), std::string::npos) << r.err;
}

}  // namespace
