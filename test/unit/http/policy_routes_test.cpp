// Policy at every gated route (the request pipeline's authorize step, with
// the branch/target each route sends): reads vs export, protected main,
// merges, branch deletes, ingest's branch_create + change pair, snapshot
// reads, actor stamping, and the server policy of GET/POST /graphs.
#include "http_test_util.h"

namespace omnigraph::http_test {
namespace {

const char* kGraphPolicy = R"(version: 1
groups:
  team: [act-andrew, act-bruno]
  admins: [act-ragnor]
protected_branches: [main]
rules:
  - id: team-read
    allow: { actors: { group: team }, actions: [read], branch_scope: any }
  - id: team-change-unprotected
    allow: { actors: { group: team }, actions: [change], branch_scope: unprotected }
  - id: team-branch-create
    allow: { actors: { group: team }, actions: [branch_create], target_branch_scope: unprotected }
  - id: admins-branch
    allow: { actors: { group: admins }, actions: [read, change, export], branch_scope: any }
  - id: admins-target
    allow: { actors: { group: admins }, actions: [branch_create, branch_delete, branch_merge, schema_apply], target_branch_scope: any }
)";

const char* kTokens =
    R"({"act-andrew":"tok-andrew","act-bruno":"tok-bruno","act-ragnor":"tok-ragnor"})";

std::map<std::string, std::string> as(const std::string& actor) {
  return {{"Authorization", "Bearer tok-" + actor}};
}

std::string error_of(const HttpResult& r) {
  auto doc = r.json();
  return doc.IsObject() && doc.HasMember("error") ? doc["error"].GetString() : "";
}

class PolicyRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    graph_ = make_fixture_graph(dir_.path());
    write_file(dir_ / "policy.yaml", kGraphPolicy);
    write_file(dir_ / "omnigraph.yaml", "policy:\n  file: policy.yaml\n");
    server_ = std::make_unique<ServerProcess>(
        std::vector<std::string>{graph_.string(), "--config", (dir_ / "omnigraph.yaml").string()},
        std::map<std::string, std::string>{{"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", kTokens}},
        dir_.path());
    ASSERT_TRUE(server_->wait_ready()) << server_->log();
  }
  HttpResult call(const std::string& actor, const std::string& method, const std::string& target,
                  const std::string& body = "") {
    return http_call(server_->port(), method, target, body, as(actor));
  }
  TempDir dir_;
  fs::path graph_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(PolicyRoutes, ReadsAreOpenToTheTeamButExportIsNot) {
  EXPECT_EQ(http_call(server_->port(), "GET", "/snapshot").status, 401u);
  EXPECT_EQ(call("andrew", "GET", "/snapshot").status, 200u);
  EXPECT_EQ(call("andrew", "GET", "/schema").status, 200u);
  EXPECT_EQ(call("andrew", "GET", "/branches").status, 200u);
  EXPECT_EQ(call("andrew", "GET", "/commits").status, 200u);
  auto denied = call("andrew", "POST", "/export", "{}");
  EXPECT_EQ(denied.status, 403u);
  EXPECT_NE(error_of(denied).find("policy denied action 'export'"), std::string::npos)
      << denied.body;
  EXPECT_EQ(call("ragnor", "POST", "/export", "{}").status, 200u);
}

TEST_F(PolicyRoutes, SnapshotReadsAreCheckedAgainstTheCommitsBranch) {
  auto commits = call("andrew", "GET", "/commits").json();
  std::string head =
      commits["commits"][commits["commits"].Size() - 1]["graph_commit_id"].GetString();
  auto r = call("andrew", "POST", "/read",
                read_body(kGetPerson, "", R"({"name":"Alice"})", ",\"snapshot\":" + jstr(head)));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(r.json()["target"]["branch"].IsNull());
  EXPECT_EQ(r.json()["row_count"].GetUint64(), 1u);
}

TEST_F(PolicyRoutes, ProtectedMainTakesChangesFromAdminsOnlyAndMergesStampTheActor) {
  std::string insert = read_body(kMutations, "insert_person", R"({"name":"Mina","age":28})");
  EXPECT_EQ(call("andrew", "POST", "/change", insert).status, 403u);
  ASSERT_EQ(call("andrew", "POST", "/branches", R"({"name":"feature"})").status, 200u);
  auto change = call("andrew", "POST", "/change",
                     read_body(kMutations, "insert_person", R"({"name":"Mina","age":28})",
                               ",\"branch\":\"feature\""));
  ASSERT_EQ(change.status, 200u) << change.body;
  EXPECT_STREQ(change.json()["branch"].GetString(), "feature");
  EXPECT_STREQ(change.json()["actor_id"].GetString(), "act-andrew");

  EXPECT_EQ(
      call("andrew", "POST", "/branches/merge", R"({"source":"feature","target":"main"})").status,
      403u);
  auto merge = call("ragnor", "POST", "/branches/merge", R"({"source":"feature","target":"main"})");
  ASSERT_EQ(merge.status, 200u) << merge.body;
  EXPECT_STREQ(merge.json()["actor_id"].GetString(), "act-ragnor");
  auto commits = call("ragnor", "GET", "/commits?branch=main").json();
  EXPECT_STREQ(commits["commits"][commits["commits"].Size() - 1]["actor_id"].GetString(),
               "act-ragnor");

  auto remove = call("bruno", "DELETE", "/branches/feature");
  EXPECT_EQ(remove.status, 403u);
  EXPECT_NE(error_of(remove).find("policy denied action 'branch_delete'"), std::string::npos)
      << remove.body;
  EXPECT_EQ(call("ragnor", "DELETE", "/branches/feature").status, 200u);
  EXPECT_EQ(
      call("andrew", "POST", "/schema/apply", R"({"schema_source":"node A { n: String @key }"})")
          .status,
      403u);
}

TEST_F(PolicyRoutes, IngestChecksBranchCreateOnlyForNewBranchesThenChange) {
  std::string data = jstr(R"({"type":"Person","data":{"name":"Ing","age":5}})");
  auto created =
      call("andrew", "POST", "/ingest", "{\"branch\":\"team-load\",\"data\":" + data + "}");
  ASSERT_EQ(created.status, 200u) << created.body;
  EXPECT_TRUE(created.json()["branch_created"].GetBool());
  EXPECT_STREQ(created.json()["actor_id"].GetString(), "act-andrew");
  // main exists, so no branch_create check, but change on protected main is denied.
  EXPECT_EQ(call("andrew", "POST", "/ingest", "{\"data\":" + data + "}").status, 403u);
  auto admin = call("ragnor", "POST", "/ingest", "{\"data\":" + data + "}");
  EXPECT_EQ(admin.status, 200u) << admin.body;
  auto head = call("ragnor", "GET", "/commits").json();
  EXPECT_STREQ(head["commits"][head["commits"].Size() - 1]["actor_id"].GetString(), "act-ragnor");
}

TEST(PolicyManagement, ServerPolicyGatesGraphsAndCreatedGraphsEnforceTheirPolicy) {
  TempDir dir;
  fs::path alpha = make_fixture_graph(dir.path(), "alpha.og");
  write_file(dir / "graph-policy.yaml", kGraphPolicy);
  write_file(dir / "server-policy.yaml", R"(version: 1
groups:
  admins: [act-ragnor]
rules:
  - id: admins-manage
    allow: { actors: { group: admins }, actions: [graph_create, graph_list] }
)");
  write_file(dir / "omnigraph.yaml", "graphs:\n  alpha:\n    uri: " + alpha.string() +
                                         "\n    policy: { file: graph-policy.yaml }\nserver:\n  "
                                         "policy: { file: server-policy.yaml }\n");
  ServerProcess server({"--config", (dir / "omnigraph.yaml").string()},
                       {{"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", kTokens}}, dir.path());
  ASSERT_TRUE(server.wait_ready()) << server.log();
  int port = server.port();
  EXPECT_EQ(http_call(port, "GET", "/graphs").status, 401u);
  EXPECT_EQ(http_call(port, "GET", "/graphs", "", as("andrew")).status, 403u);
  EXPECT_EQ(http_call(port, "GET", "/graphs", "", as("ragnor")).status, 200u);

  std::string create = "{\"graph_id\":\"beta\",\"uri\":" + jstr((dir / "beta.og").string()) +
                       ",\"schema\":{\"source\":" + jstr(kSchema) +
                       "},\"policy\":{\"file\":\"graph-policy.yaml\"}}";
  EXPECT_EQ(http_call(port, "POST", "/graphs", create, as("andrew")).status, 403u);
  auto created = http_call(port, "POST", "/graphs", create, as("ragnor"));
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(http_call(port, "GET", "/graphs/beta/snapshot", "", as("andrew")).status, 200u);
  auto change = http_call(port, "POST", "/graphs/beta/change",
                          read_body(kMutations, "insert_person", R"({"name":"Mina","age":28})"),
                          as("andrew"));
  EXPECT_EQ(change.status, 403u) << change.body;
}

}  // namespace
}  // namespace omnigraph::http_test
