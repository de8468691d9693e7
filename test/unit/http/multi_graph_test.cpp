// Multi-graph mode: /graphs/{graph_id}/... routing, GET/POST /graphs,
// concurrent creates, omnigraph.yaml drift (503, nothing left behind),
// fail-fast startup and restart persistence.
#include <future>

#include "http_test_util.h"

namespace omnigraph::http_test {
namespace {

const char* kTinySchema = "node Doc {\n    slug: String @key\n    title: String?\n}\n";

class MultiGraph : public ::testing::Test {
 protected:
  void SetUp() override {
    alpha_ = make_fixture_graph(dir_.path(), "alpha.og");
    beta_ = make_fixture_graph(dir_.path(), "beta.og", "");
    config_ = dir_ / "omnigraph.yaml";
    write_file(config_, "graphs:\n  beta:\n    uri: " + beta_.string() +
                            "\n  alpha:\n    uri: " + alpha_.string() + "\n");
    start();
  }
  void start() {
    server_ = std::make_unique<ServerProcess>(
        std::vector<std::string>{"--config", config_.string(), "--unauthenticated"},
        std::map<std::string, std::string>{}, dir_.path());
    ASSERT_TRUE(server_->wait_ready()) << server_->log();
  }
  int port() const { return server_->port(); }
  HttpResult get(const std::string& target) { return http_call(port(), "GET", target); }
  HttpResult post(const std::string& target, const std::string& body) {
    return http_call(port(), "POST", target, body);
  }
  std::string create_body(const std::string& id, const std::string& uri) {
    return "{\"graph_id\":" + jstr(id) + ",\"uri\":" + jstr(uri) +
           ",\"schema\":{\"source\":" + jstr(kTinySchema) + "},\"policy\":null}";
  }
  static std::string code_of(const HttpResult& r) {
    auto doc = r.json();
    return doc.IsObject() && doc.HasMember("code") ? doc["code"].GetString() : "";
  }
  static std::string error_of(const HttpResult& r) {
    auto doc = r.json();
    return doc.IsObject() && doc.HasMember("error") ? doc["error"].GetString() : "";
  }

  TempDir dir_;
  fs::path alpha_, beta_, config_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(MultiGraph, RoutesDispatchPerGraph) {
  auto alpha = get("/graphs/alpha/snapshot?branch=main");
  auto beta = get("/graphs/beta/snapshot?branch=main");
  ASSERT_EQ(alpha.status, 200u) << alpha.body;
  ASSERT_EQ(beta.status, 200u) << beta.body;
  EXPECT_EQ(alpha.json()["tables"][3]["row_count"].GetUint64(), 4u);
  EXPECT_EQ(beta.json()["tables"][3]["row_count"].GetUint64(), 0u);
  auto read = post("/graphs/alpha/read", read_body(kGetPerson, "", R"({"name":"Alice"})"));
  EXPECT_EQ(read.json()["row_count"].GetUint64(), 1u);
  EXPECT_EQ(post("/graphs/beta/read", read_body(kGetPerson, "", R"({"name":"Alice"})"))
                .json()["row_count"]
                .GetUint64(),
            0u);
  EXPECT_EQ(http_call(port(), "POST", "/graphs/beta/export", "{}").status, 200u);
  EXPECT_EQ(get("/graphs/alpha/branches").body, R"({"branches":["main"]})");
  EXPECT_EQ(get("/healthz").status, 200u);
}

TEST_F(MultiGraph, UnknownInvalidAndFlatPaths) {
  auto unknown = get("/graphs/nonexistent/snapshot");
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(error_of(unknown), "graph 'nonexistent' not found");
  auto reserved = get("/graphs/policies/snapshot");
  EXPECT_EQ(reserved.status, 400u);
  EXPECT_NE(error_of(reserved).find("reserved"), std::string::npos);
  EXPECT_EQ(get("/graphs/a_b/snapshot").status, 400u);
  EXPECT_EQ(get("/snapshot").status, 404u);
  EXPECT_EQ(code_of(get("/snapshot")), "not_found");
  EXPECT_EQ(post("/read", read_body(kGetPerson, "", "")).status, 404u);
}

TEST_F(MultiGraph, ListGraphsSortedById) {
  auto r = get("/graphs");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.body, "{\"graphs\":[{\"graph_id\":\"alpha\",\"uri\":" + jstr(alpha_.string()) +
                        "},{\"graph_id\":\"beta\",\"uri\":" + jstr(beta_.string()) + "}]}");
}

TEST_F(MultiGraph, CreateGraphServesItAndRecordsItInTheConfig) {
  fs::path gamma = dir_ / "gamma.og";
  auto r = post("/graphs", create_body("gamma", gamma.string()));
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.body, "{\"graph_id\":\"gamma\",\"uri\":" + jstr(gamma.string()) + "}");
  EXPECT_EQ(get("/graphs/gamma/snapshot?branch=main").status, 200u);
  auto change = post(
      "/graphs/gamma/change",
      read_body("query add($slug: String) { insert Doc { slug: $slug } }", "", R"({"slug":"a"})"));
  EXPECT_EQ(change.status, 200u) << change.body;
  std::string yaml = read_file(config_);
  EXPECT_NE(yaml.find("gamma:"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find(gamma.string()), std::string::npos) << yaml;
  // A second create works too (the drift baseline advanced).
  EXPECT_EQ(post("/graphs", create_body("delta", (dir_ / "delta.og").string())).status, 201u);
  EXPECT_NE(read_file(config_).find("delta:"), std::string::npos);
}

TEST_F(MultiGraph, CreateGraphValidation) {
  auto dup_id = post("/graphs", create_body("alpha", (dir_ / "other.og").string()));
  EXPECT_EQ(dup_id.status, 409u);
  EXPECT_EQ(code_of(dup_id), "conflict");
  EXPECT_EQ(post("/graphs", create_body("other", alpha_.string())).status, 409u);
  auto bad_id = post("/graphs", create_body("policies", (dir_ / "p.og").string()));
  EXPECT_EQ(bad_id.status, 400u);
  EXPECT_NE(error_of(bad_id).find("reserved"), std::string::npos);
  auto empty = post("/graphs", R"({"graph_id":"e","uri":"e.og","schema":{"source":"   "}})");
  EXPECT_EQ(empty.status, 400u);
  EXPECT_NE(error_of(empty).find("schema.source"), std::string::npos);
  auto no_schema = post("/graphs", R"({"graph_id":"e","uri":"e.og"})");
  EXPECT_EQ(no_schema.status, 400u);
  EXPECT_NE(error_of(no_schema).find("schema"), std::string::npos);
  auto bad_source =
      post("/graphs", R"({"graph_id":"e","uri":"e.og","schema":{"source":"node {"}})");
  EXPECT_EQ(bad_source.status, 400u) << bad_source.body;
  EXPECT_FALSE(fs::exists(dir_ / "e.og"));  // a failed create leaves no storage
  auto bad_policy = post(
      "/graphs",
      R"({"graph_id":"e","uri":"e.og","schema":{"source":"node A { n: String @key }"},"policy":{"file":"missing.yaml"}})");
  EXPECT_EQ(bad_policy.status, 400u);
  EXPECT_NE(error_of(bad_policy).find("policy.file"), std::string::npos);
  EXPECT_EQ(get("/graphs").json()["graphs"].Size(), 2u);
}

TEST_F(MultiGraph, ConcurrentDistinctCreatesAllSucceed) {
  std::vector<std::future<HttpResult>> results;
  for (int i = 0; i < 4; ++i) {
    results.push_back(std::async(std::launch::async, [this, i] {
      return post("/graphs", create_body("graph-" + std::to_string(i),
                                         (dir_ / ("graph-" + std::to_string(i) + ".og")).string()));
    }));
  }
  for (auto& result : results) {
    auto r = result.get();
    EXPECT_EQ(r.status, 201u) << r.body;
  }
  std::string yaml = read_file(config_);
  for (int i = 0; i < 4; ++i)
    EXPECT_NE(yaml.find("graph-" + std::to_string(i) + ":"), std::string::npos) << yaml;
  EXPECT_EQ(get("/graphs").json()["graphs"].Size(), 6u);
}

TEST_F(MultiGraph, ConfigDriftIs503AndLeavesNothingBehind) {
  { std::ofstream(config_, std::ios::app) << "# edited by hand\n"; }
  fs::path uri = dir_ / "drifted.og";
  auto r = post("/graphs", create_body("drifted", uri.string()));
  EXPECT_EQ(r.status, 503u) << r.body;
  EXPECT_EQ(code_of(r), "conflict");
  EXPECT_NE(error_of(r).find("drift"), std::string::npos);
  EXPECT_FALSE(fs::exists(uri));
  EXPECT_EQ(get("/graphs/drifted/snapshot").status, 404u);
  EXPECT_EQ(read_file(config_).find("drifted:"), std::string::npos);
}

TEST_F(MultiGraph, CreatedGraphsAndDataSurviveARestart) {
  ASSERT_EQ(post("/graphs", create_body("gamma", (dir_ / "gamma.og").string())).status, 201u);
  ASSERT_EQ(post("/graphs/gamma/change",
                 read_body("query add($slug: String) { insert Doc { slug: $slug } }", "",
                           R"({"slug":"kept"})"))
                .status,
            200u);
  ASSERT_EQ(post("/graphs/alpha/change",
                 read_body(kMutations, "insert_person", R"({"name":"Mina","age":28})"))
                .status,
            200u);
  EXPECT_EQ(server_->stop(SIGTERM), 0) << server_->log();
  start();
  auto graphs = get("/graphs").json();
  ASSERT_EQ(graphs["graphs"].Size(), 3u);
  EXPECT_STREQ(graphs["graphs"][2]["graph_id"].GetString(), "gamma");
  auto docs = post("/graphs/gamma/read",
                   read_body("query all() { match { $d: Doc } return { $d.slug } }", "", ""));
  ASSERT_EQ(docs.status, 200u) << docs.body;
  EXPECT_EQ(docs.json()["row_count"].GetUint64(), 1u);
  EXPECT_EQ(post("/graphs/alpha/read", read_body(kGetPerson, "", R"({"name":"Mina"})"))
                .json()["row_count"]
                .GetUint64(),
            1u);
}

TEST(MultiGraphStartup, FirstOpenFailureAbortsStartup) {
  TempDir dir;
  fs::path alpha = make_fixture_graph(dir.path(), "alpha.og");
  write_file(dir / "omnigraph.yaml", "graphs:\n  alpha:\n    uri: " + alpha.string() +
                                         "\n  broken:\n    uri: " + (dir / "missing.og").string() +
                                         "\n");
  ServerProcess server({"--config", (dir / "omnigraph.yaml").string(), "--unauthenticated"}, {},
                       dir.path());
  EXPECT_EQ(server.wait_exit(), 1);
  EXPECT_NE(server.log().find("open graph 'broken' at"), std::string::npos) << server.log();
}

}  // namespace
}  // namespace omnigraph::http_test
