// The CLI against a server: every graph command pointed at an http:// URI
// sends the contract's request (http-contract.md §1) and prints the
// response like the local path does. A loopback responder stands in for
// the server, recording what the CLI sent; the assertions cover method,
// path, headers (Authorization), JSON bodies, output and error handling.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "http_responder.h"

namespace {

namespace fs = std::filesystem;
using namespace omnigraph::cli_test;

const char* kQueries = R"(query get_person($name: String) {
    match { $p: Person { name: $name } }
    return { $p.name, $p.age }
}
)";

const char* kReadOutput =
    R"({"query_name":"get_person","target":{"branch":"main","snapshot":null},"row_count":1,)"
    R"("columns":["p.name","p.age"],"rows":[{"p.name":"Alice","p.age":30}]})";

const char* kSnapshotOutput =
    R"({"branch":"main","manifest_version":7,"tables":[)"
    R"({"table_key":"edge:Knows","table_path":"edges/602a25a3bd0b455b","table_version":2,"table_branch":null,"row_count":3},)"
    R"({"table_key":"node:Person","table_path":"nodes/40d76f1f51639ec0","table_version":2,"table_branch":"feature","row_count":4}]})";

const char* kCommit =
    R"({"graph_commit_id":"01J0000000000000000000000B","manifest_branch":null,"manifest_version":8,)"
    R"("parent_commit_id":"01J0000000000000000000000A","merged_parent_commit_id":null,)"
    R"("actor_id":"act-andrew","created_at":1714000000000000})";

class RemoteCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "og-remote-cli-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    cwd_ = root_ / "work";
    write_file(cwd_ / "test.gq", kQueries);
    server_ = std::make_unique<HttpResponder>([this](const RecordedRequest& r) {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = responses_.find(r.method + " " + r.target);
      if (it != responses_.end()) return it->second;
      return CannedResponse{404, ""};
    });
    url_ = server_->base_url();
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(root_);
  }

  void respond(const std::string& route, CannedResponse response) {
    std::lock_guard<std::mutex> lock(mutex_);
    responses_[route] = std::move(response);
  }

  Result run(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    return run_omnigraph_env(cwd_, root_, env, args);
  }
  Result run_ok(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    Result r = run(args, env);
    EXPECT_EQ(r.status, 0) << r.err;
    return r;
  }

  fs::path root_;
  fs::path cwd_;
  std::unique_ptr<HttpResponder> server_;
  std::string url_;
  std::mutex mutex_;
  std::map<std::string, CannedResponse> responses_;
};

TEST_F(RemoteCli, SnapshotSendsGetWithBranchAndPrintsBothForms) {
  respond("GET /snapshot?branch=main", {200, kSnapshotOutput});
  Result r = run_ok({"snapshot", url_});
  EXPECT_EQ(r.out,
            "branch: main\nmanifest_version: 7\nedge:Knows v2 branch=main rows=3\n"
            "node:Person v2 branch=feature rows=4\n");
  RecordedRequest req = server_->last();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.target, "/snapshot?branch=main");
  EXPECT_EQ(req.header("authorization"), "") << "no token configured";

  respond("GET /snapshot?branch=feature%2Fx", {200, kSnapshotOutput});
  r = run_ok({"snapshot", "--uri", url_ + "/", "--branch", "feature/x", "--json"});
  EXPECT_EQ(server_->last().target, "/snapshot?branch=feature%2Fx");
  auto doc = parse_json(r.out);
  EXPECT_EQ(doc["manifest_version"].GetUint64(), 7u);
  EXPECT_TRUE(doc["tables"][0]["table_branch"].IsNull());
  EXPECT_EQ(r.out.substr(0, 20), "{\n  \"branch\": \"main\"");
}

TEST_F(RemoteCli, ReadPostsTheContractBodyAndRendersEveryFormat) {
  respond("POST /read", {200, kReadOutput});
  Result r = run_ok({"read", "--uri", url_, "--query", "test.gq", "--params", R"({"name":"Alice"})",
                     "--format", "table"});
  EXPECT_EQ(r.out,
            "1 rows from branch main via get_person\n"
            "p.name | p.age\n"
            "-------+------\n"
            "Alice  | 30   \n");
  RecordedRequest req = server_->last();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/read");
  EXPECT_EQ(req.header("content-type"), "application/json");
  auto body = parse_json(req.body);
  EXPECT_EQ(std::string(body["query_source"].GetString()), kQueries);
  EXPECT_TRUE(body["query_name"].IsNull());
  EXPECT_EQ(std::string(body["params"]["name"].GetString()), "Alice");
  EXPECT_EQ(std::string(body["branch"].GetString()), "main");
  EXPECT_TRUE(body["snapshot"].IsNull());

  r = run_ok({"read", url_, "--query", "test.gq", "--name", "get_person", "--snapshot", "01JX",
              "--format", "csv"});
  body = parse_json(server_->last().body);
  EXPECT_EQ(std::string(body["query_name"].GetString()), "get_person");
  EXPECT_TRUE(body["branch"].IsNull());
  EXPECT_EQ(std::string(body["snapshot"].GetString()), "01JX");
  EXPECT_TRUE(body["params"].IsNull());
  EXPECT_EQ(r.out, "p.name,p.age\nAlice,30\n");

  r = run_ok({"read", url_, "--query", "test.gq", "--format", "jsonl"});
  EXPECT_EQ(
      r.out,
      R"({"kind":"metadata","query_name":"get_person","target":{"branch":"main","snapshot":null},"row_count":1})"
      "\n"
      R"({"p.name":"Alice","p.age":30})"
      "\n");
  r = run_ok({"read", url_, "--query", "test.gq", "--format", "kv"});
  EXPECT_EQ(r.out, "1 rows from branch main via get_person\nrow 1\np.name: Alice\np.age: 30\n");
  r = run_ok({"read", url_, "--query", "test.gq", "--json"});
  EXPECT_EQ(parse_json(r.out)["rows"][0]["p.age"].GetInt(), 30);
}

TEST_F(RemoteCli, ChangeAndBranchAndCommitRoutes) {
  respond("POST /change", {200, R"({"branch":"feature","query_name":"q","affected_nodes":1,)"
                                R"("affected_edges":0,"actor_id":"act-andrew"})"});
  Result r = run_ok({"change", url_, "-e", "query q() { insert Person { name: \"Zoe\" } }",
                     "--branch", "feature"});
  EXPECT_EQ(r.out, "changed feature via q: 1 nodes, 0 edges\nactor_id: act-andrew\n");
  auto body = parse_json(server_->last().body);
  EXPECT_EQ(std::string(body["branch"].GetString()), "feature");
  EXPECT_FALSE(body.HasMember("snapshot"));

  respond("GET /branches", {200, R"({"branches":["feature","main"]})"});
  r = run_ok({"branch", "list", "--uri", url_});
  EXPECT_EQ(r.out, "feature\nmain\n");

  respond("POST /branches",
          {200, R"({"uri":"/srv/g","from":"main","name":"feature","actor_id":null})"});
  r = run_ok({"branch", "create", "--uri", url_, "feature"});
  EXPECT_EQ(r.out, "created branch feature from main\n");
  EXPECT_EQ(server_->last().body, R"({"from":"main","name":"feature"})");

  respond("DELETE /branches/team%2Fx",
          {200, R"({"uri":"/srv/g","name":"team/x","actor_id":null})"});
  r = run_ok({"branch", "delete", "--uri", url_, "team/x"});
  EXPECT_EQ(r.out, "deleted branch team/x\n");
  EXPECT_EQ(server_->last().method, "DELETE");

  respond(
      "POST /branches/merge",
      {200, R"({"source":"feature","target":"main","outcome":"fast_forward","actor_id":null})"});
  r = run_ok({"branch", "merge", "--uri", url_, "feature", "--into", "main", "--json"});
  EXPECT_EQ(server_->last().body, R"({"source":"feature","target":"main"})");
  EXPECT_EQ(std::string(parse_json(r.out)["outcome"].GetString()), "fast_forward");

  respond("GET /commits", {200, std::string(R"({"commits":[)") + kCommit + "]}"});
  r = run_ok({"commit", "list", url_});
  EXPECT_EQ(r.out, "01J0000000000000000000000B branch=main version=8 actor=act-andrew\n");
  respond("GET /commits?branch=feature", {200, R"({"commits":[]})"});
  r = run_ok({"commit", "list", url_, "--branch", "feature"});
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(server_->last().target, "/commits?branch=feature");

  respond("GET /commits/01J0000000000000000000000B", {200, kCommit});
  r = run_ok({"commit", "show", "--uri", url_, "01J0000000000000000000000B"});
  EXPECT_EQ(r.out,
            "graph_commit_id: 01J0000000000000000000000B\nmanifest_branch: main\n"
            "manifest_version: 8\nparent_commit_id: 01J0000000000000000000000A\n"
            "actor_id: act-andrew\ncreated_at: 1714000000000000\n");
}

TEST_F(RemoteCli, IngestSendsTheFileAndExportStreamsTheBody) {
  const std::string data = "{\"type\":\"Person\",\"data\":{\"name\":\"Zoe\",\"age\":33}}\n";
  write_file(cwd_ / "batch.jsonl", data);
  respond(
      "POST /ingest",
      {200,
       R"({"uri":"/srv/g","branch":"review","base_branch":"main","branch_created":true,)"
       R"("mode":"merge","tables":[{"table_key":"node:Person","rows_loaded":1}],"actor_id":null})"});
  Result r = run_ok({"ingest", url_, "--data", "batch.jsonl", "--branch", "review"});
  EXPECT_EQ(r.out,
            "ingested /srv/g into branch review from main with merge (branch created)\n"
            "node:Person rows_loaded=1\n");
  auto body = parse_json(server_->last().body);
  EXPECT_EQ(std::string(body["branch"].GetString()), "review");
  EXPECT_EQ(std::string(body["from"].GetString()), "main");
  EXPECT_EQ(std::string(body["mode"].GetString()), "merge");
  EXPECT_EQ(std::string(body["data"].GetString()), data);

  const std::string lines =
      "{\"type\":\"Person\",\"data\":{\"id\":\"Alice\",\"name\":\"Alice\",\"age\":30}}\n"
      "{\"type\":\"Person\",\"data\":{\"id\":\"Bob\",\"name\":\"Bob\",\"age\":25}}\n";
  respond("POST /export", {200, lines, "application/x-ndjson; charset=utf-8"});
  r = run_ok({"export", url_, "--type", "Person", "--table", "node:Person"});
  EXPECT_EQ(r.out, lines);
  EXPECT_EQ(server_->last().body,
            R"({"branch":"main","type_names":["Person"],"table_keys":["node:Person"]})");
}

TEST_F(RemoteCli, ErrorsBecomeMessagesAndExitCodeOne) {
  respond(
      "POST /change",
      {403,
       R"({"error":"policy denied action 'change' on branch 'main' for actor 'act-bruno'","code":"forbidden"})"});
  Result r = run({"change", url_, "-e", "query q() { insert Person { name: \"Zoe\" } }"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "error: policy denied action 'change' on branch 'main' for actor 'act-bruno'\n");

  respond(
      "POST /branches/merge",
      {409,
       R"j({"error":"merge conflicts: node:Person:Alice (divergent_update)","code":"conflict",)j"
       R"j("merge_conflicts":[{"table_key":"node:Person","row_id":"Alice","kind":"divergent_update","message":"x"}]})j"});
  r = run({"branch", "merge", "--uri", url_, "feature"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: merge conflicts: node:Person:Alice (divergent_update)\n");

  respond("POST /ingest", {413, "Failed to buffer the request body: length limit exceeded",
                           "text/plain; charset=utf-8"});
  write_file(cwd_ / "batch.jsonl", "{}\n");
  r = run({"ingest", url_, "--data", "batch.jsonl"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err,
            "error: server returned 413: Failed to buffer the request body: length limit "
            "exceeded\n");

  respond("POST /export", {400, R"({"error":"unknown export type 'Nope'","code":"bad_request"})"});
  r = run({"export", url_, "--type", "Nope"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "") << "an error body is never written as export output";
  EXPECT_EQ(r.err, "error: unknown export type 'Nope'\n");

  // A stream the server aborts after the 200: the lines so far are written,
  // then the cut is an error.
  const std::string line = "{\"type\":\"Person\",\"data\":{\"id\":\"Alice\"}}\n";
  respond("POST /export", {200, line, "application/x-ndjson; charset=utf-8", line.size() + 100});
  r = run({"export", url_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, line);
  EXPECT_EQ(r.err.rfind("error: response from " + url_ + "/export was cut off: ", 0), 0u) << r.err;

  // Nothing listens on the port any more.
  const std::string dead = url_;
  server_.reset();
  r = run({"snapshot", dead});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.rfind("error: cannot reach " + dead + "/snapshot?branch=main: ", 0), 0u) << r.err;
}

TEST_F(RemoteCli, QueryLintFetchesTheServersSchema) {
  respond("GET /schema",
          {200, R"({"schema_source":"node Person {\n    name: String @key\n    age: I32?\n}\n"})"});
  Result r = run_ok({"query", "lint", "--query", "test.gq", url_});
  EXPECT_EQ(r.out.rfind("OK    query `get_person` (read)\n", 0), 0u) << r.out;
  EXPECT_EQ(server_->last().target, "/schema");
}

TEST_F(RemoteCli, MultiGraphBaseUrlPrefixesEveryRoute) {
  respond("GET /graphs/beta/snapshot?branch=main", {200, kSnapshotOutput});
  run_ok({"snapshot", url_ + "/graphs/beta"});
  EXPECT_EQ(server_->last().target, "/graphs/beta/snapshot?branch=main");
  respond("POST /graphs/beta/read", {200, kReadOutput});
  run_ok({"read", "--uri", url_ + "/graphs/beta", "--query", "test.gq"});
  EXPECT_EQ(server_->last().target, "/graphs/beta/read");
}

TEST_F(RemoteCli, GraphsListAndCreate) {
  respond(
      "GET /graphs",
      {200,
       R"({"graphs":[{"graph_id":"alpha","uri":"/data/alpha"},{"graph_id":"beta","uri":"/data/beta"}]})"});
  Result r = run_ok({"graphs", "list", "--uri", url_});
  EXPECT_EQ(r.out, "alpha\t/data/alpha\nbeta\t/data/beta\n");
  r = run_ok({"graphs", "list", "--target", url_, "--json"});
  EXPECT_EQ(parse_json(r.out)["graphs"].Size(), 2u);

  write_file(cwd_ / "schema.pg", "node Person {\n    name: String @key\n}\n");
  respond("POST /graphs", {201, R"({"graph_id":"gamma","uri":"/data/gamma"})"});
  r = run_ok({"graphs", "create", "--uri", url_, "--graph-id", "gamma", "--graph-uri",
              "/data/gamma", "--schema", "schema.pg", "--policy-file", "./policies/gamma.yaml"});
  EXPECT_EQ(r.out, "created graph gamma at /data/gamma\n");
  EXPECT_EQ(
      server_->last().body,
      R"({"graph_id":"gamma","uri":"/data/gamma","schema":{"source":"node Person {\n    name: String @key\n}\n"},"policy":{"file":"./policies/gamma.yaml"}})");
  r = run_ok({"graphs", "create", "--uri", url_, "--graph-id", "gamma", "--graph-uri",
              "/data/gamma", "--schema", "schema.pg"});
  EXPECT_NE(server_->last().body.find(R"("policy":null)"), std::string::npos);

  respond(
      "GET /graphs",
      {405,
       R"({"error":"GET /graphs is only available in multi-graph mode","code":"bad_request"})"});
  r = run({"graphs", "list", "--uri", url_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: GET /graphs is only available in multi-graph mode\n");

  r = run({"graphs", "list", "--uri", (cwd_ / "local.og").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(
      r.err.rfind("error: `omnigraph graphs list` requires a remote multi-graph server URL", 0), 0u)
      << r.err;
}

// ---------------------------------------------------------------------------
// Bearer tokens: graphs.<target>.bearer_token_env, then OMNIGRAPH_BEARER_TOKEN,
// each from the environment and then from auth.env_file.

class RemoteCliTokens : public RemoteCli {
 protected:
  void SetUp() override {
    RemoteCli::SetUp();
    respond("GET /branches", {200, R"({"branches":["main"]})"});
    write_file(cwd_ / "omnigraph.yaml", "graphs:\n  dev:\n    uri: " + url_ +
                                            "\n    bearer_token_env: DEV_TOKEN\n"
                                            "  other:\n    uri: " +
                                            url_ + "\nauth:\n  env_file: secrets/.env.omni\n");
  }
  std::string auth_for(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    server_->clear();
    run_ok(args, env);
    return server_->last().header("authorization");
  }
};

TEST_F(RemoteCliTokens, TargetTokenComesFromItsEnvVariable) {
  EXPECT_EQ(auth_for({"branch", "list", "--target", "dev"}, {"DEV_TOKEN=  tok-dev  "}),
            "Bearer tok-dev");
  EXPECT_EQ(auth_for({"branch", "list", "--target", "dev"},
                     {"DEV_TOKEN=tok-dev", "OMNIGRAPH_BEARER_TOKEN=tok-global"}),
            "Bearer tok-dev")
      << "the target's variable wins over the global one";
  EXPECT_EQ(auth_for({"branch", "list", "--target", "dev"}, {"OMNIGRAPH_BEARER_TOKEN=tok-global"}),
            "Bearer tok-global");
  EXPECT_EQ(auth_for({"branch", "list", "--target", "dev"}, {"DEV_TOKEN=   "}), "")
      << "a blank token is no token";
}

TEST_F(RemoteCliTokens, EnvFileSuppliesTokensTheEnvironmentLacks) {
  write_file(
      cwd_ / "secrets" / ".env.omni",
      "# tokens\nexport DEV_TOKEN=\"tok-file-dev\"\nOMNIGRAPH_BEARER_TOKEN='tok-file-global'\n"
      "not an assignment\n");
  EXPECT_EQ(auth_for({"branch", "list", "--target", "dev"}, {}), "Bearer tok-file-dev");
  EXPECT_EQ(auth_for({"branch", "list", "--target", "other"}, {}), "Bearer tok-file-global");
  EXPECT_EQ(auth_for({"branch", "list", "--target", "dev"}, {"DEV_TOKEN=tok-env"}),
            "Bearer tok-env")
      << "the environment wins over the file";
  // The scoped variable from the file beats the global one from the env.
  EXPECT_EQ(auth_for({"branch", "list", "--target", "dev"}, {"OMNIGRAPH_BEARER_TOKEN=tok-env"}),
            "Bearer tok-file-dev");
}

TEST_F(RemoteCliTokens, DefaultGraphAppliesOnlyWithoutAnExplicitUri) {
  write_file(cwd_ / "omnigraph.yaml",
             "graphs:\n  dev:\n    uri: " + url_ +
                 "\n    bearer_token_env: DEV_TOKEN\ncli:\n  graph: dev\n");
  EXPECT_EQ(auth_for({"branch", "list"}, {"DEV_TOKEN=tok-dev"}), "Bearer tok-dev")
      << "cli.graph picks the target and its token";
  EXPECT_EQ(auth_for({"branch", "list", "--uri", url_},
                     {"DEV_TOKEN=tok-dev", "OMNIGRAPH_BEARER_TOKEN=tok-global"}),
            "Bearer tok-global")
      << "an explicit URI does not use cli.graph's token variable";
}

TEST_F(RemoteCliTokens, UnknownTargetIsAnError) {
  Result r = run({"branch", "list", "--target", "nope"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: graph 'nope' not found in omnigraph.yaml\n");
}

}  // namespace
