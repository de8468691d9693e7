// /openapi.json is generated from the router's own table: the path set is
// the contract's, every documented operation is routable, multi mode lists
// exactly the paths it serves, and security appears only when auth is on.
#include <set>

#include "http_test_util.h"

namespace omnigraph::http_test {
namespace {

using Ops = std::set<std::pair<std::string, std::string>>;  // (path, method)

Ops operations(const rapidjson::Document& doc) {
  Ops ops;
  for (const auto& path : doc["paths"].GetObject()) {
    for (const auto& op : path.value.GetObject())
      ops.emplace(path.name.GetString(), op.name.GetString());
  }
  return ops;
}

// Fills path placeholders so the request reaches the route.
std::string concrete(std::string path) {
  auto replace = [&](const std::string& from, const std::string& to) {
    auto at = path.find(from);
    if (at != std::string::npos) path.replace(at, from.size(), to);
  };
  replace("{graph_id}", "alpha");
  replace("{branch}", "no-such-branch");
  replace("{commit_id}", "01ARZ3NDEKTSV4RRFFQ69G5FAV");
  return path;
}

void expect_routable(int port, const Ops& ops) {
  for (const auto& [path, method] : ops) {
    std::string upper = method;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto r = http_call(port, upper, concrete(path), upper == "POST" ? "{}" : "");
    // Handlers may answer 404 (unknown branch) or 405 (/graphs in single
    // mode), but the router itself must never say "no route" / "not allowed".
    EXPECT_EQ(r.body.find("no route"), std::string::npos) << upper << " " << path << ": " << r.body;
    EXPECT_EQ(r.body.find("is not allowed on"), std::string::npos)
        << upper << " " << path << ": " << r.body;
  }
}

void expect_refs_resolve(const rapidjson::Value& value, const rapidjson::Value& schemas) {
  if (value.IsObject()) {
    for (const auto& member : value.GetObject()) {
      if (std::string(member.name.GetString()) == "$ref") {
        std::string ref = member.value.GetString();
        std::string name = ref.substr(ref.rfind('/') + 1);
        EXPECT_TRUE(schemas.HasMember(name.c_str())) << ref;
      } else {
        expect_refs_resolve(member.value, schemas);
      }
    }
  } else if (value.IsArray()) {
    for (const auto& item : value.GetArray()) expect_refs_resolve(item, schemas);
  }
}

TEST(OpenApi, SingleModeDocumentsTheContractPathsWithoutSecurityInOpenMode) {
  TempDir dir;
  fs::path graph = make_fixture_graph(dir.path());
  ServerProcess server({graph.string(), "--unauthenticated"}, {}, dir.path());
  ASSERT_TRUE(server.wait_ready()) << server.log();
  auto r = http_call(server.port(), "GET", "/openapi.json");
  ASSERT_EQ(r.status, 200u);
  auto doc = r.json();
  EXPECT_STREQ(doc["openapi"].GetString(), "3.1.0");
  EXPECT_STREQ(doc["info"]["title"].GetString(), "Omnigraph API");
  EXPECT_STREQ(doc["info"]["version"].GetString(), "0.7.0");
  Ops expected = {{"/healthz", "get"},
                  {"/graphs", "get"},
                  {"/graphs", "post"},
                  {"/snapshot", "get"},
                  {"/read", "post"},
                  {"/export", "post"},
                  {"/change", "post"},
                  {"/schema", "get"},
                  {"/schema/apply", "post"},
                  {"/ingest", "post"},
                  {"/branches", "get"},
                  {"/branches", "post"},
                  {"/branches/{branch}", "delete"},
                  {"/branches/merge", "post"},
                  {"/commits", "get"},
                  {"/commits/{commit_id}", "get"}};
  EXPECT_EQ(operations(doc), expected);
  EXPECT_STREQ(doc["paths"]["/read"]["post"]["operationId"].GetString(), "read");
  EXPECT_STREQ(doc["paths"]["/branches/merge"]["post"]["operationId"].GetString(), "mergeBranches");
  EXPECT_EQ(doc["components"]["securitySchemes"].MemberCount(), 0u);
  for (const auto& path : doc["paths"].GetObject()) {
    for (const auto& op : path.value.GetObject()) {
      EXPECT_FALSE(op.value.HasMember("security")) << path.name.GetString();
      EXPECT_GE(op.value["tags"].Size(), 1u);
    }
  }
  const auto& schemas = doc["components"]["schemas"];
  EXPECT_EQ(schemas["ReadRequest"]["required"][0], "query_source");
  EXPECT_EQ(schemas["BranchMergeOutcome"]["enum"].Size(), 3u);
  EXPECT_EQ(schemas["MergeConflictKindOutput"]["enum"].Size(), 7u);
  EXPECT_EQ(schemas["LoadMode"]["enum"].Size(), 3u);
  expect_refs_resolve(doc["paths"], schemas);
  expect_routable(server.port(), operations(doc));
}

TEST(OpenApi, MultiModeListsTheRoutesItServes) {
  TempDir dir;
  fs::path alpha = make_fixture_graph(dir.path(), "alpha.og");
  write_file(dir / "omnigraph.yaml", "graphs:\n  alpha:\n    uri: " + alpha.string() + "\n");
  ServerProcess server({"--config", (dir / "omnigraph.yaml").string(), "--unauthenticated"}, {},
                       dir.path());
  ASSERT_TRUE(server.wait_ready()) << server.log();
  auto doc = http_call(server.port(), "GET", "/openapi.json").json();
  Ops ops = operations(doc);
  EXPECT_EQ(ops.size(), 16u);
  EXPECT_TRUE(ops.count({"/healthz", "get"}));
  EXPECT_TRUE(ops.count({"/graphs", "post"}));
  EXPECT_TRUE(ops.count({"/graphs/{graph_id}/snapshot", "get"}));
  EXPECT_TRUE(ops.count({"/graphs/{graph_id}/branches/{branch}", "delete"}));
  EXPECT_FALSE(ops.count({"/snapshot", "get"}));
  EXPECT_FALSE(ops.count({"/graphs/{graph_id}/graphs", "get"}));
  const auto& read = doc["paths"]["/graphs/{graph_id}/read"]["post"];
  EXPECT_STREQ(read["operationId"].GetString(), "cluster_read");
  EXPECT_STREQ(read["parameters"][0]["name"].GetString(), "graph_id");
  EXPECT_STREQ(doc["paths"]["/graphs"]["get"]["operationId"].GetString(), "listGraphs");
  std::set<std::string> ids;
  for (const auto& path : doc["paths"].GetObject()) {
    for (const auto& op : path.value.GetObject())
      EXPECT_TRUE(ids.insert(op.value["operationId"].GetString()).second);
  }
  Ops routable = ops;
  routable.erase({"/graphs", "post"});  // would create a graph
  expect_routable(server.port(), routable);
}

TEST(OpenApi, AuthModeAdvertisesBearerSecurityAndStaysPublic) {
  TempDir dir;
  fs::path graph = make_fixture_graph(dir.path());
  ServerProcess server({graph.string()}, {{"OMNIGRAPH_SERVER_BEARER_TOKEN", "sekrit"}}, dir.path());
  ASSERT_TRUE(server.wait_ready()) << server.log();
  auto r = http_call(server.port(), "GET", "/openapi.json");  // no token needed
  ASSERT_EQ(r.status, 200u);
  auto doc = r.json();
  EXPECT_STREQ(doc["components"]["securitySchemes"]["bearer_token"]["type"].GetString(), "http");
  EXPECT_STREQ(doc["components"]["securitySchemes"]["bearer_token"]["scheme"].GetString(),
               "bearer");
  EXPECT_FALSE(doc["paths"]["/healthz"]["get"].HasMember("security"));
  EXPECT_TRUE(doc["paths"]["/read"]["post"]["security"][0].HasMember("bearer_token"));
  EXPECT_EQ(http_call(server.port(), "GET", "/snapshot").status, 401u);
}

}  // namespace
}  // namespace omnigraph::http_test
