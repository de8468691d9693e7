// The HTTP calls the reference TypeScript SDK (omnigraph-ts, packages/sdk:
// client.ts, resources/branches.ts, commits.ts, schema.ts, transport.ts)
// makes against a flat-route server, with the SDK's headers: `Accept:
// application/json, application/x-ndjson`, `Content-Type: application/json`
// on bodies, `Authorization: Bearer <token>`, branch names through
// encodeURIComponent, and `X-Request-Id` read back on errors.
#include "http_test_util.h"

namespace omnigraph::http_test {
namespace {

const char* kSdkPolicy = R"(version: 1
groups:
  sdk: [act-sdk]
rules:
  - id: sdk-branch-actions
    allow: { actors: { group: sdk }, actions: [read, export, change], branch_scope: any }
  - id: sdk-target-actions
    allow: { actors: { group: sdk }, actions: [schema_apply, branch_create, branch_delete, branch_merge], target_branch_scope: any }
)";

class SdkFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    graph_ = make_fixture_graph(dir_.path());
    write_file(dir_ / "policy.yaml", kSdkPolicy);
    write_file(dir_ / "omnigraph.yaml", "policy:\n  file: policy.yaml\n");
    server_ = std::make_unique<ServerProcess>(
        std::vector<std::string>{graph_.string(), "--config", (dir_ / "omnigraph.yaml").string()},
        std::map<std::string, std::string>{
            {"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", R"({"act-sdk":"sdk-token"})"}},
        dir_.path());
    ASSERT_TRUE(server_->wait_ready()) << server_->log();
  }

  // Transport.send(): the SDK's headers on every call.
  HttpResult sdk(const std::string& method, const std::string& path, const std::string& body = "") {
    std::map<std::string, std::string> headers = {
        {"Authorization", "Bearer sdk-token"},
        {"Accept", "application/json, application/x-ndjson"}};
    if (!body.empty()) headers["Content-Type"] = "application/json";
    return http_call(server_->port(), method, path, body, headers);
  }

  TempDir dir_;
  fs::path graph_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(SdkFlow, EveryClientCallSucceedsWithTheSdkHeaders) {
  // health()
  auto health = sdk("GET", "/healthz");
  ASSERT_EQ(health.status, 200u);
  EXPECT_STREQ(health.json()["status"].GetString(), "ok");

  // snapshot({}): no query string when branch is undefined.
  auto snapshot = sdk("GET", "/snapshot");
  ASSERT_EQ(snapshot.status, 200u) << snapshot.body;
  EXPECT_STREQ(snapshot.json()["branch"].GetString(), "main");
  EXPECT_EQ(sdk("GET", "/snapshot?branch=main").status, 200u);

  // read({querySource, queryName, params}) after camelToSnake.
  auto read = sdk("POST", "/read", read_body(kGetPerson, "get_person", R"({"name":"Alice"})"));
  ASSERT_EQ(read.status, 200u) << read.body;
  EXPECT_EQ(read.json()["rows"][0]["p.age"].GetInt(), 30);

  // change(): the actor comes from the token.
  auto change =
      sdk("POST", "/change", read_body(kMutations, "insert_person", R"({"name":"Sdk","age":7})"));
  ASSERT_EQ(change.status, 200u) << change.body;
  EXPECT_STREQ(change.json()["actor_id"].GetString(), "act-sdk");

  // ingest({branch, from, mode, data})
  auto ingest = sdk("POST", "/ingest",
                    "{\"branch\":\"sdk/ingest\",\"from\":\"main\",\"mode\":\"merge\",\"data\":" +
                        jstr(R"({"type":"Person","data":{"name":"Ing","age":9}})") + "}");
  ASSERT_EQ(ingest.status, 200u) << ingest.body;
  EXPECT_TRUE(ingest.json()["branch_created"].GetBool());
  EXPECT_STREQ(ingest.json()["actor_id"].GetString(), "act-sdk");

  // branches.list / create / merge / delete (encodeURIComponent on the name).
  auto list = sdk("GET", "/branches");
  EXPECT_EQ(list.body, R"({"branches":["main","sdk/ingest"]})");
  auto create = sdk("POST", "/branches", R"({"name":"feature","from":"main"})");
  ASSERT_EQ(create.status, 200u) << create.body;
  ASSERT_EQ(sdk("POST", "/change",
                read_body(kMutations, "insert_person", R"({"name":"Feat","age":3})",
                          ",\"branch\":\"feature\""))
                .status,
            200u);
  auto merge = sdk("POST", "/branches/merge", R"({"source":"feature","target":"main"})");
  ASSERT_EQ(merge.status, 200u) << merge.body;
  EXPECT_STREQ(merge.json()["outcome"].GetString(), "fast_forward");
  // A create of an existing name is a ConflictError for the SDK (409).
  EXPECT_EQ(sdk("POST", "/branches", R"({"name":"feature"})").status, 409u);
  auto remove = sdk("DELETE", "/branches/sdk%2Fingest");
  ASSERT_EQ(remove.status, 200u) << remove.body;
  EXPECT_STREQ(remove.json()["name"].GetString(), "sdk/ingest");

  // commits.list({branch}) / commits.get(id)
  auto commits = sdk("GET", "/commits?branch=main");
  ASSERT_EQ(commits.status, 200u);
  auto commit_doc = commits.json();
  const auto& head = commit_doc["commits"][commit_doc["commits"].Size() - 1];
  EXPECT_STREQ(head["actor_id"].GetString(), "act-sdk");
  auto one = sdk("GET", "/commits/" + std::string(head["graph_commit_id"].GetString()));
  EXPECT_EQ(one.status, 200u);

  // export(): an NDJSON stream, one object per line.
  auto exported = sdk("POST", "/export", R"({"type_names":["Person"]})");
  ASSERT_EQ(exported.status, 200u);
  EXPECT_EQ(exported.header("content-type"), "application/x-ndjson; charset=utf-8");
  std::istringstream lines(exported.body);
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count)
    EXPECT_TRUE(parse_json(line).IsObject());
  EXPECT_EQ(count, 6);  // 4 fixture people + Sdk + Feat

  // schema.get()
  auto schema = sdk("GET", "/schema");
  ASSERT_EQ(schema.status, 200u);
  EXPECT_NE(std::string(schema.json()["schema_source"].GetString()).find("node Person"),
            std::string::npos);

  // Errors: the SDK parses ErrorOutput and reads X-Request-Id.
  auto error = sdk("GET", "/commits/01ARZ3NDEKTSV4RRFFQ69G5FAV");
  EXPECT_EQ(error.status, 404u);
  EXPECT_FALSE(error.header("x-request-id").empty());
  EXPECT_STREQ(error.json()["code"].GetString(), "not_found");
}

}  // namespace
}  // namespace omnigraph::http_test
