// omnigraph.yaml for the server (http-contract §6.2, §6.7) and mode
// inference (§6.3).
#include "server/config/server_settings.h"

#include <gtest/gtest.h>

#include "server_test_support.h"

namespace omnigraph::server::config {
namespace {

using testing::ScratchDir;
using testing::thrown;

const char* kTwoGraphs = R"(
project: { name: demo }
graphs:
  beta:
    uri: ./beta.omni
  alpha:
    uri: /data/alpha
    bearer_token_env: ALPHA_TOKEN
    policy: { file: ./policies/alpha.yaml }
server:
  bind: 0.0.0.0:9090
  policy: { file: server-policy.yaml }
policy: { file: policy.yaml }
auth: { env_file: .env }
cli: { branch: main, output_format: json }
aliases:
  q: { command: read, query: q.gq }
)";

ServerSettings settings_for(const ScratchDir& dir, ServerCliArgs args,
                            std::map<std::string, std::string, std::less<>> env = {}) {
  return load_server_settings(args, map_env(std::move(env)), dir.path());
}

TEST(OmnigraphConfig, ParsesTheServerSections) {
  OmnigraphConfig config = parse_omnigraph_config(kTwoGraphs, "/cfg");
  EXPECT_EQ(config.project_name, "demo");
  ASSERT_EQ(config.graphs.size(), 2u);
  EXPECT_EQ(config.graphs.begin()->first, "alpha");  // alphabetical
  EXPECT_EQ(config.graphs.at("alpha").uri, "/data/alpha");
  EXPECT_EQ(config.graphs.at("alpha").bearer_token_env, "ALPHA_TOKEN");
  EXPECT_EQ(config.graphs.at("alpha").policy_file, "./policies/alpha.yaml");
  EXPECT_EQ(config.graphs.at("beta").policy_file, std::nullopt);
  EXPECT_EQ(config.server_bind, "0.0.0.0:9090");
  EXPECT_EQ(config.server_graph, std::nullopt);
  EXPECT_EQ(config.server_policy_file, "server-policy.yaml");
  EXPECT_EQ(config.policy_file, "policy.yaml");
  EXPECT_EQ(config.auth_env_file, ".env");
}

TEST(OmnigraphConfig, EmptyAndUnknownKeysAreFine) {
  EXPECT_TRUE(parse_omnigraph_config("", "/cfg").graphs.empty());
  OmnigraphConfig config =
      parse_omnigraph_config("future: { x: 1 }\nserver: { graph: g, other: 2 }\n", "/cfg");
  EXPECT_EQ(config.server_graph, "g");
}

TEST(OmnigraphConfig, ShapeErrorsNameTheField) {
  auto missing_uri =
      thrown([] { parse_omnigraph_config("graphs:\n  alpha: { policy: null }\n", "/"); });
  ASSERT_TRUE(missing_uri);
  EXPECT_EQ(missing_uri->code, ErrorCode::kBadRequest);
  EXPECT_NE(missing_uri->message.find("graphs.alpha: missing field `uri`"), std::string::npos);
  auto bad_graphs = thrown([] { parse_omnigraph_config("graphs: [a, b]\n", "/"); });
  ASSERT_TRUE(bad_graphs);
  EXPECT_NE(bad_graphs->message.find("graphs"), std::string::npos);
  auto bad_yaml = thrown([] { parse_omnigraph_config("graphs: {\n", "/"); });
  ASSERT_TRUE(bad_yaml);
  EXPECT_EQ(bad_yaml->code, ErrorCode::kBadRequest);
}

TEST(OmnigraphConfig, ResolveKeepsUrisAndAbsolutePaths) {
  OmnigraphConfig config;
  config.base_dir = "/cfg";
  EXPECT_EQ(config.resolve("s3://bucket/g"), "s3://bucket/g");
  EXPECT_EQ(config.resolve("http://host/graphs/a"), "http://host/graphs/a");
  EXPECT_EQ(config.resolve("/abs/g"), "/abs/g");
  EXPECT_EQ(config.resolve("./policies/alpha.yaml"), "/cfg/policies/alpha.yaml");
  EXPECT_EQ(config.resolve("rel/g.omni"), "/cfg/rel/g.omni");
}

TEST(OmnigraphConfig, DiscoveryUsesCwdFileWithoutParentWalk) {
  ScratchDir dir;
  dir.write("omnigraph.yaml", "server: { graph: alpha }\ngraphs: { alpha: { uri: a } }\n");
  std::filesystem::create_directories(dir.path() / "sub");
  OmnigraphConfig found = load_omnigraph_config(std::nullopt, dir.path());
  EXPECT_EQ(found.path, dir.path() / "omnigraph.yaml");
  EXPECT_FALSE(found.explicit_path);
  EXPECT_EQ(found.base_dir, dir.path());
  EXPECT_FALSE(found.file_hash.is_zero());
  OmnigraphConfig none = load_omnigraph_config(std::nullopt, dir.path() / "sub");
  EXPECT_TRUE(none.path.empty());
  EXPECT_TRUE(none.graphs.empty());
  EXPECT_EQ(none.base_dir, dir.path() / "sub");
}

TEST(OmnigraphConfig, ExplicitConfigMustBeReadable) {
  ScratchDir dir;
  auto error = thrown([&] { load_omnigraph_config(dir.path() / "nope.yaml", dir.path()); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kBadRequest);
  EXPECT_NE(error->message.find("nope.yaml"), std::string::npos);
}

TEST(ServerSettings, CliUriIsSingleAndWinsOverEverything) {
  ScratchDir dir;
  auto cfg = dir.write("omnigraph.yaml", kTwoGraphs);
  ServerSettings s = settings_for(dir, {.uri = "rel/graph", .target = "beta", .config = cfg});
  EXPECT_EQ(s.mode, ServeMode::kSingle);
  EXPECT_EQ(s.uri, "rel/graph");  // verbatim
  EXPECT_TRUE(s.graphs.empty());
}

TEST(ServerSettings, TargetResolvesAgainstBaseDir) {
  ScratchDir dir;
  auto cfg = dir.write("conf/omnigraph.yaml", kTwoGraphs);
  ServerSettings s = settings_for(dir, {.target = "beta", .config = cfg});
  EXPECT_EQ(s.mode, ServeMode::kSingle);
  EXPECT_EQ(s.uri, (dir.path() / "conf/beta.omni").string());
  // Single mode uses the top-level policy.file, not the graph's.
  EXPECT_EQ(s.policy_file, dir.path() / "conf/policy.yaml");
  EXPECT_TRUE(s.has_policy());
  ServerSettings alpha = settings_for(dir, {.target = "alpha", .config = cfg});
  EXPECT_EQ(alpha.uri, "/data/alpha");
  EXPECT_EQ(alpha.policy_file, dir.path() / "conf/policy.yaml");
}

TEST(ServerSettings, UnknownTargetIsAnError) {
  ScratchDir dir;
  auto cfg = dir.write("omnigraph.yaml", kTwoGraphs);
  auto error = thrown([&] { settings_for(dir, {.target = "gamma", .config = cfg}); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kBadRequest);
  EXPECT_EQ(error->message, "graph 'gamma' not found in omnigraph.yaml");
}

TEST(ServerSettings, ServerGraphIsSingleEvenFromImplicitConfig) {
  ScratchDir dir;
  dir.write("omnigraph.yaml", std::string(kTwoGraphs) + "\n");
  std::string text = ScratchDir::read(dir.path() / "omnigraph.yaml");
  text.replace(text.find("server:\n"), 8, "server:\n  graph: beta\n");
  dir.write("omnigraph.yaml", text);
  ServerSettings s = settings_for(dir, {});
  EXPECT_EQ(s.mode, ServeMode::kSingle);
  EXPECT_EQ(s.uri, (dir.path() / "beta.omni").string());
  EXPECT_EQ(s.bind, "0.0.0.0:9090");
  auto bad = thrown([&] {
    dir.write("omnigraph.yaml", "server: { graph: nope }\n");
    settings_for(dir, {});
  });
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->message, "graph 'nope' not found in omnigraph.yaml");
}

TEST(ServerSettings, ExplicitConfigWithGraphsIsMulti) {
  ScratchDir dir;
  auto cfg = dir.write("omnigraph.yaml", kTwoGraphs);
  ServerSettings s = settings_for(dir, {.config = cfg});
  EXPECT_EQ(s.mode, ServeMode::kMulti);
  ASSERT_EQ(s.graphs.size(), 2u);
  EXPECT_EQ(s.graphs[0].graph_id, "alpha");
  EXPECT_EQ(s.graphs[0].uri, "/data/alpha");
  EXPECT_EQ(s.graphs[0].policy_file, dir.path() / "policies/alpha.yaml");
  EXPECT_EQ(s.graphs[1].graph_id, "beta");
  EXPECT_EQ(s.graphs[1].uri, (dir.path() / "beta.omni").string());
  EXPECT_EQ(s.graphs[1].policy_file, std::nullopt);
  EXPECT_EQ(s.server_policy_file, dir.path() / "server-policy.yaml");
  EXPECT_EQ(s.config.path, cfg);
  EXPECT_EQ(s.config.file_hash, Hash::of(ScratchDir::read(cfg)));
  EXPECT_TRUE(s.has_policy());
}

TEST(ServerSettings, MultiModeHasPolicyFromAnyGraphOrServer) {
  ScratchDir dir;
  auto none =
      dir.write("a.yaml", "graphs: { a: { uri: a }, b: { uri: b } }\npolicy: { file: p.yaml }\n");
  EXPECT_FALSE(settings_for(dir, {.config = none}).has_policy());  // top-level ignored in multi
  auto graph = dir.write("b.yaml", "graphs: { a: { uri: a, policy: { file: p.yaml } } }\n");
  EXPECT_TRUE(settings_for(dir, {.config = graph}).has_policy());
  auto server =
      dir.write("c.yaml", "graphs: { a: { uri: a } }\nserver: { policy: { file: s.yaml } }\n");
  EXPECT_TRUE(settings_for(dir, {.config = server}).has_policy());
}

TEST(ServerSettings, ImplicitConfigWithGraphsButNoSelectorIsNoGraph) {
  ScratchDir dir;
  dir.write("omnigraph.yaml", kTwoGraphs);
  auto error = thrown([&] { settings_for(dir, {}); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message.rfind("no graph to serve", 0), 0u);
}

TEST(ServerSettings, NoInputsIsNoGraphWithHint) {
  ScratchDir dir;
  auto error = thrown([&] { settings_for(dir, {}); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kBadRequest);
  EXPECT_EQ(error->message.rfind("no graph to serve", 0), 0u);
  EXPECT_NE(error->message.find("--target"), std::string::npos);
  EXPECT_NE(error->message.find("server.graph"), std::string::npos);
  EXPECT_NE(error->message.find("graphs:"), std::string::npos);
}

TEST(ServerSettings, ExplicitConfigWithoutGraphsIsNoGraph) {
  ScratchDir dir;
  auto cfg = dir.write("omnigraph.yaml", "server: { bind: 127.0.0.1:1 }\ngraphs: {}\n");
  auto error = thrown([&] { settings_for(dir, {.config = cfg}); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message.rfind("no graph to serve", 0), 0u);
}

TEST(ServerSettings, MultiModeValidatesGraphIds) {
  ScratchDir dir;
  auto cfg = dir.write("omnigraph.yaml", "graphs:\n  policies: { uri: p }\n  ok: { uri: o }\n");
  auto error = thrown([&] { settings_for(dir, {.config = cfg}); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kBadRequest);
  EXPECT_EQ(error->message,
            "invalid graph id 'policies' in omnigraph.yaml: graph_id 'policies' is reserved (would "
            "collide with engine-managed names or future cluster routes)");
  // Single mode does not validate ids.
  EXPECT_EQ(settings_for(dir, {.target = "policies", .config = cfg}).uri,
            (dir.path() / "p").string());
}

TEST(ServerSettings, BindPrecedence) {
  ScratchDir dir;
  EXPECT_EQ(settings_for(dir, {.uri = "g"}).bind, "127.0.0.1:8080");
  auto cfg = dir.write("omnigraph.yaml", "server: { bind: 0.0.0.0:1234 }\n");
  EXPECT_EQ(settings_for(dir, {.uri = "g", .config = cfg}).bind, "0.0.0.0:1234");
  EXPECT_EQ(settings_for(dir, {.uri = "g", .config = cfg, .bind = "[::1]:7"}).bind, "[::1]:7");
}

TEST(ServerSettings, UnauthenticatedFlagOrEnv) {
  ScratchDir dir;
  EXPECT_FALSE(settings_for(dir, {.uri = "g"}).allow_unauthenticated);
  EXPECT_TRUE(settings_for(dir, {.uri = "g", .unauthenticated = true}).allow_unauthenticated);
  for (std::string truthy : {"1", "true", "yes", "TRUE", "anything", " 1 "}) {
    EXPECT_TRUE(settings_for(dir, {.uri = "g"}, {{"OMNIGRAPH_UNAUTHENTICATED", truthy}})
                    .allow_unauthenticated)
        << truthy;
  }
  for (std::string falsy : {"0", "false", "FALSE", "", "  "}) {
    EXPECT_FALSE(settings_for(dir, {.uri = "g"}, {{"OMNIGRAPH_UNAUTHENTICATED", falsy}})
                     .allow_unauthenticated)
        << falsy;
  }
}

}  // namespace
}  // namespace omnigraph::server::config
