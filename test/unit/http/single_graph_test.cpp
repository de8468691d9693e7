// Every route of a single-graph server in open mode: success shapes (field
// order included, since clients may depend on it) and the contract's error
// statuses, all as ErrorOutput bodies.
#include <future>
#include <set>

#include "http_test_util.h"

namespace omnigraph::http_test {
namespace {

class SingleGraph : public ::testing::Test {
 protected:
  void SetUp() override {
    graph_ = make_fixture_graph(dir_.path());
    server_ = std::make_unique<ServerProcess>(
        std::vector<std::string>{graph_.string(), "--unauthenticated"},
        std::map<std::string, std::string>{}, dir_.path());
    ASSERT_TRUE(server_->wait_ready()) << server_->log();
  }
  int port() const { return server_->port(); }
  HttpResult get(const std::string& target) { return http_call(port(), "GET", target); }
  HttpResult post(const std::string& target, const std::string& body,
                  std::map<std::string, std::string> headers = {}) {
    return http_call(port(), "POST", target, body, std::move(headers));
  }
  void expect_error(const HttpResult& r, unsigned status, const std::string& code,
                    const std::string& contains = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json");
    auto doc = r.json();
    ASSERT_TRUE(doc.IsObject()) << r.body;
    ASSERT_TRUE(doc.HasMember("error") && doc["error"].IsString()) << r.body;
    ASSERT_TRUE(doc.HasMember("code")) << r.body;
    EXPECT_EQ(std::string(doc["code"].GetString()), code) << r.body;
    if (!contains.empty()) {
      EXPECT_NE(std::string(doc["error"].GetString()).find(contains), std::string::npos) << r.body;
    }
  }
  uint64_t person_count(const std::string& branch = "main") {
    auto r = post("/read", read_body(kAllPeople, "", "", ",\"branch\":" + jstr(branch)));
    EXPECT_EQ(r.status, 200u) << r.body;
    return r.json()["row_count"].GetUint64();
  }

  TempDir dir_;
  fs::path graph_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(SingleGraph, HealthzReportsVersionAndRequestIds) {
  auto r = get("/healthz");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, R"({"status":"ok","version":"0.7.0"})");
  EXPECT_FALSE(r.header("x-request-id").empty());
  auto echoed = http_call(port(), "GET", "/healthz", "", {{"X-Request-Id", "trace-42"}});
  EXPECT_EQ(echoed.header("x-request-id"), "trace-42");
}

TEST_F(SingleGraph, SnapshotListsTablesSortedByKey) {
  auto r = get("/snapshot?branch=main");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto doc = r.json();
  EXPECT_STREQ(doc["branch"].GetString(), "main");
  EXPECT_TRUE(doc["manifest_version"].IsUint64());
  const auto& tables = doc["tables"];
  ASSERT_EQ(tables.Size(), 4u);
  std::vector<std::string> keys;
  for (const auto& t : tables.GetArray()) keys.emplace_back(t["table_key"].GetString());
  EXPECT_EQ(keys, (std::vector<std::string>{"edge:Knows", "edge:WorksAt", "node:Company",
                                            "node:Person"}));
  EXPECT_EQ(tables[3]["row_count"].GetUint64(), 4u);
  EXPECT_STREQ(tables[3]["table_path"].GetString(), "nodes/40d76f1f51639ec0");
  EXPECT_TRUE(tables[3]["table_branch"].IsNull());
  // Field order is part of the wire shape.
  EXPECT_EQ(r.body.find("{\"branch\":\"main\",\"manifest_version\":"), 0u);
  EXPECT_NE(r.body.find("{\"table_key\":\"edge:Knows\",\"table_path\":\"edges/"
                        "602a25a3bd0b455b\",\"table_version\":"),
            std::string::npos);
  // Default branch is main; unknown query parameters are ignored.
  EXPECT_EQ(get("/snapshot?foo=bar").status, 200u);
  expect_error(get("/snapshot?branch="), 400, "bad_request", "branch name cannot be empty");
  expect_error(get("/snapshot?branch=nope"), 404, "not_found", "nope");
  expect_error(get("/snapshot?branch=%ZZ"), 400, "bad_request");
}

TEST_F(SingleGraph, ReadReturnsRowsInColumnOrder) {
  auto r = post("/read", read_body(kGetPerson, "get_person", R"({"name":"Alice"})",
                                   ",\"branch\":\"main\",\"snapshot\":null"));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(
      r.body,
      R"({"query_name":"get_person","target":{"branch":"main","snapshot":null},"row_count":1,"columns":["p.name","p.age"],"rows":[{"p.name":"Alice","p.age":30}]})");
}

TEST_F(SingleGraph, ReadBySnapshotTargetsTheCommit) {
  auto commits = get("/commits").json();
  std::string head =
      commits["commits"][commits["commits"].Size() - 1]["graph_commit_id"].GetString();
  ASSERT_EQ(
      post("/change", read_body(kMutations, "insert_person", R"({"name":"Mina","age":28})")).status,
      200u);
  auto r =
      post("/read", read_body(kGetPerson, "", R"({"name":"Mina"})", ",\"snapshot\":" + jstr(head)));
  ASSERT_EQ(r.status, 200u) << r.body;
  auto doc = r.json();
  EXPECT_TRUE(doc["target"]["branch"].IsNull());
  EXPECT_EQ(std::string(doc["target"]["snapshot"].GetString()), head);
  EXPECT_EQ(doc["row_count"].GetUint64(), 0u);  // Mina came after that commit
  expect_error(post("/read", read_body(kGetPerson, "", R"({"name":"Mina"})",
                                       ",\"snapshot\":\"01ARZ3NDEKTSV4RRFFQ69G5FAV\"")),
               404, "not_found");
}

TEST_F(SingleGraph, ReadErrorsAreBadRequests) {
  expect_error(post("/read", read_body(kGetPerson, "", R"({"name":"A"})",
                                       ",\"branch\":\"main\",\"snapshot\":\"x\"")),
               400, "bad_request", "read request may specify branch or snapshot, not both");
  expect_error(post("/read", read_body(kGetPerson, "missing", "")), 400, "bad_request",
               "query 'missing' not found");
  expect_error(post("/read", read_body(std::string(kGetPerson) + kAllPeople, "", "")), 400,
               "bad_request", "query file contains multiple queries; pass --name");
  expect_error(post("/read", read_body(kGetPerson, "", "[1,2]")), 400, "bad_request",
               "params must be a JSON object");
  expect_error(post("/read", read_body("query broken( {", "", "")), 400, "bad_request");
  expect_error(post("/read", read_body(kGetPerson, "", R"({"name":"A"})", ",\"branch\":\"nope\"")),
               404, "not_found");
  // A declared parameter left out is an error naming it, not a dropped filter.
  expect_error(post("/read", read_body(kGetPerson, "", "")), 400, "bad_request", "name");
}

TEST_F(SingleGraph, ChangeCommitsAndIsVisibleToTheNextRead) {
  auto r = post("/change", read_body(kMutations, "insert_person", R"({"name":"Mina","age":28})",
                                     ",\"branch\":\"main\""));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(
      r.body,
      R"({"branch":"main","query_name":"insert_person","affected_nodes":1,"affected_edges":0,"actor_id":null})");
  auto read = post("/read", read_body(kGetPerson, "", R"({"name":"Mina"})")).json();
  EXPECT_EQ(read["row_count"].GetUint64(), 1u);
  EXPECT_STREQ(read["rows"][0]["p.name"].GetString(), "Mina");
  expect_error(post("/change", read_body(kMutations, "", "")), 400, "bad_request",
               "query file contains multiple queries; pass --name");
}

TEST_F(SingleGraph, ConcurrentInsertsAllLand) {
  std::vector<std::future<unsigned>> results;
  for (int i = 0; i < 12; ++i) {
    results.push_back(std::async(std::launch::async, [this, i] {
      return post("/change", read_body(kMutations, "insert_person",
                                       "{\"name\":\"P" + std::to_string(i) +
                                           "\",\"age\":" + std::to_string(20 + i) + "}"))
          .status;
    }));
  }
  for (auto& result : results) EXPECT_EQ(result.get(), 200u);
  EXPECT_EQ(person_count(), 16u);
}

TEST_F(SingleGraph, IngestCreatesBranchAndReportsTables) {
  std::string data = R"({"type":"Person","data":{"name":"Zoe","age":33}}
{"type":"Person","data":{"name":"Bob","age":26}})";
  auto r = post("/ingest",
                "{\"branch\":\"feature-ingest\",\"from\":\"main\",\"mode\":\"merge\",\"data\":" +
                    jstr(data) + "}");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto doc = r.json();
  EXPECT_EQ(std::string(doc["uri"].GetString()), graph_.string());
  EXPECT_STREQ(doc["branch"].GetString(), "feature-ingest");
  EXPECT_STREQ(doc["base_branch"].GetString(), "main");
  EXPECT_TRUE(doc["branch_created"].GetBool());
  EXPECT_STREQ(doc["mode"].GetString(), "merge");
  ASSERT_EQ(doc["tables"].Size(), 1u);
  EXPECT_STREQ(doc["tables"][0]["table_key"].GetString(), "node:Person");
  EXPECT_EQ(doc["tables"][0]["rows_loaded"].GetUint64(), 2u);
  EXPECT_TRUE(doc["actor_id"].IsNull());
  EXPECT_EQ(person_count("feature-ingest"), 5u);  // Bob merged, Zoe added
  EXPECT_EQ(person_count("main"), 4u);

  // Existing branch: no create, `from` still echoed.
  auto again =
      post("/ingest", "{\"branch\":\"feature-ingest\",\"from\":\"other-base\",\"data\":" +
                          jstr(R"({"type":"Person","data":{"name":"Yan","age":40}})") + "}");
  ASSERT_EQ(again.status, 200u) << again.body;
  EXPECT_FALSE(again.json()["branch_created"].GetBool());
  EXPECT_STREQ(again.json()["base_branch"].GetString(), "other-base");
  expect_error(post("/ingest", R"({"data":"","mode":"replace"})"), 400, "bad_request", "replace");
  expect_error(post("/ingest", R"({"data":"{not json"})"), 400, "bad_request");
}

TEST_F(SingleGraph, BranchListCreateMergeDeleteFlow) {
  EXPECT_EQ(get("/branches").body, R"({"branches":["main"]})");
  auto created = post("/branches", R"({"from":"main","name":"feature"})");
  ASSERT_EQ(created.status, 200u) << created.body;
  EXPECT_EQ(created.body, "{\"uri\":" + jstr(graph_.string()) +
                              R"(,"from":"main","name":"feature","actor_id":null})");
  EXPECT_EQ(get("/branches").body, R"({"branches":["feature","main"]})");
  expect_error(post("/branches", R"({"name":"feature"})"), 409, "conflict");
  expect_error(post("/branches", R"({"name":"main"})"), 400, "bad_request");

  ASSERT_EQ(post("/change", read_body(kMutations, "insert_person", R"({"name":"Zoe","age":41})",
                                      ",\"branch\":\"feature\""))
                .status,
            200u);
  EXPECT_EQ(
      post("/read", read_body(kGetPerson, "", R"({"name":"Zoe"})")).json()["row_count"].GetUint64(),
      0u);
  auto merged = post("/branches/merge", R"({"source":"feature","target":"main"})");
  ASSERT_EQ(merged.status, 200u) << merged.body;
  EXPECT_EQ(merged.body,
            R"({"source":"feature","target":"main","outcome":"fast_forward","actor_id":null})");
  EXPECT_EQ(
      post("/read", read_body(kGetPerson, "", R"({"name":"Zoe"})")).json()["row_count"].GetUint64(),
      1u);
  EXPECT_EQ(post("/branches/merge", R"({"source":"feature"})").json()["outcome"],
            "already_up_to_date");

  auto deleted = http_call(port(), "DELETE", "/branches/feature");
  ASSERT_EQ(deleted.status, 200u) << deleted.body;
  EXPECT_EQ(deleted.body,
            "{\"uri\":" + jstr(graph_.string()) + R"(,"name":"feature","actor_id":null})");
  EXPECT_EQ(get("/branches").body, R"({"branches":["main"]})");
  expect_error(http_call(port(), "DELETE", "/branches/feature"), 404, "not_found", "feature");
  expect_error(http_call(port(), "DELETE", "/branches/main"), 400, "bad_request",
               "cannot delete branch 'main'");
}

TEST_F(SingleGraph, BranchNamesArePercentDecodedInPaths) {
  ASSERT_EQ(post("/branches", R"({"name":"team/feature"})").status, 200u);
  ASSERT_EQ(post("/branches", R"({"name":"merge"})").status, 200u);
  auto deleted = http_call(port(), "DELETE", "/branches/team%2Ffeature");
  ASSERT_EQ(deleted.status, 200u) << deleted.body;
  EXPECT_STREQ(deleted.json()["name"].GetString(), "team/feature");
  // Unlike the reference, a branch named `merge` can be deleted over HTTP.
  EXPECT_EQ(http_call(port(), "DELETE", "/branches/merge").status, 200u);
  EXPECT_EQ(get("/branches").body, R"({"branches":["main"]})");
}

TEST_F(SingleGraph, MergeConflictCarriesStructuredConflicts) {
  ASSERT_EQ(post("/branches", R"({"name":"feature"})").status, 200u);
  ASSERT_EQ(post("/change", read_body(kMutations, "set_age", R"({"name":"Alice","age":31})",
                                      ",\"branch\":\"feature\""))
                .status,
            200u);
  ASSERT_EQ(
      post("/change", read_body(kMutations, "set_age", R"({"name":"Alice","age":32})")).status,
      200u);
  auto r = post("/branches/merge", R"({"source":"feature","target":"main"})");
  expect_error(r, 409, "conflict", "merge conflict");
  auto doc = r.json();
  ASSERT_TRUE(doc.HasMember("merge_conflicts")) << r.body;
  ASSERT_GE(doc["merge_conflicts"].Size(), 1u);
  const auto& c = doc["merge_conflicts"][0];
  EXPECT_STREQ(c["table_key"].GetString(), "node:Person");
  EXPECT_STREQ(c["row_id"].GetString(), "Alice");
  EXPECT_STREQ(c["kind"].GetString(), "divergent_update");
  EXPECT_TRUE(c["message"].IsString());
  EXPECT_FALSE(doc.HasMember("manifest_conflict"));
}

TEST_F(SingleGraph, CommitsListOldestFirstAndShowOne) {
  ASSERT_EQ(
      post("/change", read_body(kMutations, "insert_person", R"({"name":"Mina","age":28})")).status,
      200u);
  auto list = get("/commits?branch=main");
  ASSERT_EQ(list.status, 200u);
  auto doc = list.json();
  const auto& commits = doc["commits"];
  ASSERT_GE(commits.Size(), 2u);
  for (rapidjson::SizeType i = 1; i < commits.Size(); ++i) {
    EXPECT_LT(commits[i - 1]["manifest_version"].GetUint64(),
              commits[i]["manifest_version"].GetUint64());
  }
  const auto& head = commits[commits.Size() - 1];
  EXPECT_EQ(list.body.find("{\"commits\":[{\"graph_commit_id\":"), 0u);
  std::string id = head["graph_commit_id"].GetString();
  auto show = get("/commits/" + id);
  ASSERT_EQ(show.status, 200u) << show.body;
  auto shown = show.json();
  EXPECT_EQ(std::string(shown["graph_commit_id"].GetString()), id);
  EXPECT_TRUE(shown["manifest_branch"].IsNull());
  EXPECT_TRUE(shown["actor_id"].IsNull());
  EXPECT_TRUE(shown["created_at"].IsInt64());
  EXPECT_EQ(get("/commits").body, list.body);  // default branch is main
  expect_error(get("/commits/01ARZ3NDEKTSV4RRFFQ69G5FAV"), 404, "not_found", "not found");
}

TEST_F(SingleGraph, SchemaRouteReturnsSourceAndApplyErrorsAreErrorOutputs) {
  auto r = get("/schema");
  ASSERT_EQ(r.status, 200u);
  EXPECT_NE(std::string(r.json()["schema_source"].GetString()).find("node Person"),
            std::string::npos);
  expect_error(post("/schema/apply", R"({"allow_data_loss":true})"), 400, "bad_request",
               "schema_source");
  expect_error(post("/schema/apply", R"({"schema_source":"node {"})"), 400, "bad_request");
}

TEST_F(SingleGraph, ExportStreamsNdjsonLikeTheCli) {
  auto r = post("/export", R"({"branch":"main","type_names":["Person"],"table_keys":[]})");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("content-type"), "application/x-ndjson; charset=utf-8");
  EXPECT_EQ(r.header("transfer-encoding"), "chunked");
  // The server holds the graph's store lock: export an identical copy with the CLI.
  fs::path twin = make_fixture_graph(dir_.path(), "twin.og");
  fs::path out = dir_ / "export.jsonl";
  ASSERT_EQ(run_cli({"export", twin.string(), "--type", "Person"}, out), 0) << read_file(out);
  EXPECT_EQ(r.body, read_file(out));
  EXPECT_EQ(std::count(r.body.begin(), r.body.end(), '\n'), 4);

  auto all = post("/export", "{}");
  ASSERT_EQ(all.status, 200u);
  EXPECT_EQ(std::count(all.body.begin(), all.body.end(), '\n'), 11);
  // Errors found before the first byte are still proper ErrorOutputs.
  expect_error(post("/export", R"({"type_names":["Nope"]})"), 400, "bad_request",
               "unknown export type 'Nope'");
  expect_error(post("/export", R"({"table_keys":["node:Nope"]})"), 400, "bad_request",
               "unknown export table");
  expect_error(post("/export", R"({"branch":"nope"})"), 404, "not_found");
}

TEST_F(SingleGraph, MalformedRequestsGetErrorOutputBodies) {
  expect_error(post("/read", "{not json"), 400, "bad_request", "malformed JSON body");
  expect_error(post("/read", "", {{"Content-Type", "application/json"}}), 400, "bad_request",
               "malformed JSON body");
  expect_error(post("/read", "[1]"), 400, "bad_request", "expected a JSON object");
  expect_error(post("/read", R"({"query_name":"x"})"), 400, "bad_request",
               "field 'query_source' is required");
  expect_error(post("/read", R"({"query_source":42})"), 400, "bad_request",
               "field 'query_source' must be a string");
  expect_error(post("/export", R"({"type_names":"Person"})"), 400, "bad_request", "type_names");
  expect_error(post("/read", read_body(kGetPerson, "", ""), {{"Content-Type", "text/plain"}}), 415,
               "bad_request", "Content-Type");
  expect_error(http_call(port(), "POST", "/read", "x=1",
                         {{"Content-Type", "application/x-www-form-urlencoded"}}),
               415, "bad_request");
  // Parameters and vendor JSON types are accepted.
  EXPECT_EQ(post("/read", read_body(kGetPerson, "", R"({"name":"A"})"),
                 {{"Content-Type", "application/json; charset=utf-8"}})
                .status,
            200u);
  EXPECT_EQ(post("/read", read_body(kGetPerson, "", R"({"name":"A"})"),
                 {{"Content-Type", "application/vnd.api+json"}})
                .status,
            200u);
}

TEST_F(SingleGraph, UnknownRoutesAndMethodsAreJson404And405) {
  expect_error(get("/nope"), 404, "not_found");
  expect_error(get("/graphs/x/snapshot"), 404, "not_found");
  auto r = http_call(port(), "DELETE", "/read");
  expect_error(r, 405, "bad_request");
  EXPECT_EQ(r.header("allow"), "POST");
  auto branches = http_call(port(), "PUT", "/branches");
  expect_error(branches, 405, "bad_request");
  EXPECT_EQ(branches.header("allow"), "GET, POST");
  expect_error(get("/graphs"), 405, "bad_request",
               "GET /graphs is only available in multi-graph mode");
  expect_error(
      post("/graphs",
           R"({"graph_id":"x","uri":"x","schema":{"source":"node A { n: String @key }"}})"),
      405, "bad_request", "POST /graphs is only available in multi-graph mode");
}

TEST_F(SingleGraph, BodyLimitsAre1MiBAnd32MiBForIngest) {
  std::string big(1'100'000, ' ');
  auto r = post("/read", "{\"query_source\":\"" + big + "\"}");
  expect_error(r, 413, "bad_request", "limit");
  // Between 1 MiB and 32 MiB is fine for /ingest.
  std::string lines;
  for (int i = 0; lines.size() < 2'000'000; ++i) {
    lines +=
        "{\"type\":\"Person\",\"data\":{\"name\":\"bulk-" + std::to_string(i) + "\",\"age\":1}}\n";
  }
  auto ok = post("/ingest", "{\"branch\":\"bulk\",\"data\":" + jstr(lines) + "}");
  ASSERT_EQ(ok.status, 200u) << ok.body.substr(0, 300);
  std::string huge(33 * 1024 * 1024, 'x');
  expect_error(post("/ingest", "{\"data\":\"" + huge + "\"}"), 413, "bad_request");
  // The server is still healthy afterwards.
  EXPECT_EQ(get("/healthz").status, 200u);
}

TEST_F(SingleGraph, KeepAliveServesManyRequestsOnOneConnection) {
  HttpClient client(port());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(client.request("GET", "/healthz").status, 200u);
    EXPECT_EQ(
        client.request("POST", "/read", read_body(kGetPerson, "", R"({"name":"Bob"})")).status,
        200u);
  }
  // An error response keeps the connection usable too.
  EXPECT_EQ(client.request("POST", "/read", "{bad").status, 400u);
  EXPECT_EQ(client.request("GET", "/branches").status, 200u);
}

TEST_F(SingleGraph, ExpectContinueIsAnswered) {
  HttpClient client(port());
  auto r = client.request("POST", "/read", read_body(kGetPerson, "", R"({"name":"Bob"})"),
                          {{"Expect", "100-continue"}});
  EXPECT_EQ(r.status, 200u) << r.body;
}

}  // namespace
}  // namespace omnigraph::http_test

namespace omnigraph::http_test {
namespace {

TEST_F(SingleGraph, ConcurrentUpdatesOfOneRowConflictWithManifestDetails) {
  constexpr int kWriters = 8;
  const std::string age_of_alice = read_body(kGetPerson, "", R"({"name":"Alice"})");
  auto commits_before = get("/commits").json();
  const rapidjson::SizeType baseline = commits_before["commits"].Size();
  std::vector<std::future<HttpResult>> results;
  for (int i = 0; i < kWriters; ++i) {
    results.push_back(std::async(std::launch::async, [this, i] {
      return post("/change",
                  read_body(kMutations, "set_age",
                            "{\"name\":\"Alice\",\"age\":" + std::to_string(60 + i) + "}"));
    }));
  }
  std::multiset<int64_t> acknowledged;  // the ages of the writes answered 200
  for (int i = 0; i < kWriters; ++i) {
    HttpResult r = results[i].get();
    if (r.status == 200u) {
      acknowledged.insert(60 + i);
      continue;
    }
    // The only other outcome is the row-level rebase conflict (§1.7, §3.3).
    ASSERT_EQ(r.status, 409u) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json");
    auto doc = r.json();
    EXPECT_STREQ(doc["code"].GetString(), "conflict");
    EXPECT_FALSE(doc.HasMember("merge_conflicts")) << r.body;
    ASSERT_TRUE(doc.HasMember("manifest_conflict")) << r.body;
    const auto& conflict = doc["manifest_conflict"];
    ASSERT_EQ(conflict.MemberCount(), 3u) << r.body;
    EXPECT_STREQ(conflict["table_key"].GetString(), "node:Person");
    uint64_t expected = conflict["expected"].GetUint64();
    uint64_t actual = conflict["actual"].GetUint64();
    EXPECT_GT(actual, expected);
    EXPECT_EQ(std::string(doc["error"].GetString()),
              "stale view of 'node:Person': expected manifest table version " +
                  std::to_string(expected) + " but current is " + std::to_string(actual) +
                  " — refresh and retry");
  }
  ASSERT_GE(acknowledged.size(), 1u);

  // Every acknowledged write, and nothing else, became one commit on main,
  // and each such commit holds exactly that write's value.
  auto commits = get("/commits").json();
  ASSERT_EQ(commits["commits"].Size(), baseline + acknowledged.size());
  std::multiset<int64_t> committed;
  std::string newest;
  uint64_t newest_version = 0;
  for (rapidjson::SizeType i = 0; i < commits["commits"].Size(); ++i) {
    const auto& commit = commits["commits"][i];
    std::string id = commit["graph_commit_id"].GetString();
    bool old = false;
    for (const auto& before : commits_before["commits"].GetArray()) {
      if (id == before["graph_commit_id"].GetString()) old = true;
    }
    if (old) continue;
    auto at = post("/read",
                   read_body(kGetPerson, "", R"({"name":"Alice"})", ",\"snapshot\":" + jstr(id)));
    ASSERT_EQ(at.status, 200u) << at.body;
    auto row = at.json();
    ASSERT_EQ(row["row_count"].GetUint64(), 1u) << at.body;
    committed.insert(row["rows"][0]["p.age"].GetInt64());
    if (commit["manifest_version"].GetUint64() >= newest_version) {
      newest_version = commit["manifest_version"].GetUint64();
      newest = id;
    }
  }
  EXPECT_EQ(committed, acknowledged);
  // The head holds the value of the last acknowledged write.
  auto head = post("/read", age_of_alice);
  ASSERT_EQ(head.status, 200u) << head.body;
  auto at_newest = post(
      "/read", read_body(kGetPerson, "", R"({"name":"Alice"})", ",\"snapshot\":" + jstr(newest)));
  EXPECT_EQ(head.json()["rows"][0]["p.age"].GetInt64(),
            at_newest.json()["rows"][0]["p.age"].GetInt64());
  EXPECT_EQ(acknowledged.count(head.json()["rows"][0]["p.age"].GetInt64()), 1u);
}

}  // namespace
}  // namespace omnigraph::http_test
