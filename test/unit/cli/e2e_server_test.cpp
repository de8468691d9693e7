// The end-to-end scenario (e2e_scenario.h) against a running
// omnigraph-server and against a local directory initialized the same way:
// every step must exit with the same status and print the same stdout and
// stderr. Run once unauthenticated (the URL given directly) and once with a
// bearer token (the server started with OMNIGRAPH_SERVER_BEARER_TOKEN, the
// CLI naming a `graphs:` entry whose bearer_token_env holds the token).
#include <gtest/gtest.h>

#include "../http/http_test_util.h"
#include "e2e_scenario.h"

namespace {

using namespace omnigraph::cli_test;
using omnigraph::http_test::ServerProcess;
using omnigraph::http_test::TempDir;

class E2eServer : public ::testing::Test {
 protected:
  // A graph initialized with the scenario's schema at `root_/<name>`.
  std::string init_graph(const std::string& name) {
    const std::string graph = (root_.path() / name).string();
    Result init = run_omnigraph(work_, root_.path(), {"init", "--schema", "e2e.pg", graph});
    EXPECT_EQ(init.status, 0) << init.err;
    return graph;
  }

  // The remote run must match the local run step for step, except for the
  // local-only steps, which the remote run leaves out.
  static void expect_same(const std::vector<ScenarioStep>& local,
                          const std::vector<ScenarioStep>& remote) {
    std::vector<const ScenarioStep*> compared;
    for (const ScenarioStep& step : local) {
      if (!step.local_only) compared.push_back(&step);
    }
    ASSERT_EQ(compared.size(), remote.size());
    for (std::size_t i = 0; i < remote.size(); ++i) {
      const ScenarioStep& l = *compared[i];
      const ScenarioStep& r = remote[i];
      std::string what;
      for (const auto& arg : l.args) what += " " + arg;
      EXPECT_EQ(l.status, r.status) << "step " << i << ":" << what << "\n" << r.err;
      EXPECT_EQ(l.out, r.out) << "step " << i << ":" << what;
      EXPECT_EQ(l.err, r.err) << "step " << i << ":" << what;
    }
  }

  void SetUp() override { write_scenario_files(work_); }

  TempDir root_;
  fs::path work_ = root_.path() / "work";
};

TEST_F(E2eServer, UnauthenticatedServerMatchesLocalGraph) {
  const std::string local = init_graph("local.og");
  const std::string served = init_graph("served.og");
  ServerProcess server({served, "--unauthenticated"}, {}, root_.path());
  ASSERT_TRUE(server.wait_ready()) << server.log();

  const auto local_steps = run_e2e_scenario(local, work_, root_.path());
  const auto remote_steps =
      run_e2e_scenario(server.base_url(), work_, root_.path(), {.remote = true});
  expect_same(local_steps, remote_steps);
  // The scenario really succeeded (statuses are pinned by e2e_scenario_test).
  EXPECT_EQ(remote_steps.front().status, 0) << remote_steps.front().err;

  // Local-only commands name the restriction.
  Result plan = run_omnigraph_env(work_, root_.path(), {},
                                  {"schema", "plan", server.base_url(), "--schema", "e2e.pg"});
  EXPECT_EQ(plan.status, 1);
  EXPECT_EQ(plan.err, "error: schema plan is only supported against local graph URIs\n");
  Result diff =
      run_omnigraph_env(work_, root_.path(), {}, {"diff", "main", "review", server.base_url()});
  EXPECT_EQ(diff.status, 1);
  EXPECT_EQ(diff.err, "error: diff is only supported against local graph URIs\n");
  Result branch_schema = run_omnigraph_env(
      work_, root_.path(), {}, {"schema", "show", server.base_url(), "--branch", "review"});
  EXPECT_EQ(branch_schema.status, 1);
  EXPECT_EQ(branch_schema.err,
            "error: schema show on branch 'review' is only supported against local graph URIs "
            "(a server's schema routes act on main)\n");
  Result branch_apply = run_omnigraph_env(
      work_, root_.path(), {},
      {"schema", "apply", server.base_url(), "--schema", "e2e.pg", "--branch", "review"});
  EXPECT_EQ(branch_apply.status, 1);
  EXPECT_EQ(branch_apply.err,
            "error: schema apply on branch 'review' is only supported against local graph URIs "
            "(a server's schema routes act on main)\n");
  EXPECT_EQ(server.stop(), 0) << server.log();
}

// `schema apply` prints the steps a server sent like the engine's own.
TEST_F(E2eServer, SchemaApplyPrintsServerStepsLikeLocalOnes) {
  const std::string local = init_graph("local.og");
  const std::string served = init_graph("served.og");
  ServerProcess server({served, "--unauthenticated"}, {}, root_.path());
  ASSERT_TRUE(server.wait_ready()) << server.log();
  write_file(work_ / "renames.pg", R"(node Person {
    name: String @key
    age: I32? @index
    tags: [String]?
    level: Vector(3)?
}

node Firm @rename_from("Company") {
    title: String @key @rename_from("name")
}

edge Knows: Person -> Person

edge WorksAt: Person -> Firm
)");
  const std::vector<std::string> apply = {"schema", "apply", "--schema", "renames.pg"};
  auto run_apply = [&](const std::string& target) {
    std::vector<std::string> args = apply;
    args.push_back(target);
    Result r = run_omnigraph_env(work_, root_.path(), {}, args);
    EXPECT_EQ(r.status, 0) << r.err;
    return scenario_detail::scrub(r.out, scenario_detail::kApplyText);
  };
  const std::string local_out = run_apply(local);
  EXPECT_EQ(local_out,
            "schema apply for <uri>\nsupported: yes\napplied: yes\nmanifest_version: 2\n"
            "- rename node type 'Company' -> 'Firm'\n"
            "- rename property 'Firm.name' -> 'Firm.title' on node 'Firm'\n"
            "- add property 'Person.level' (Vector(3)?) on node 'Person'\n"
            "- add property 'Person.tags' ([String]?) on node 'Person'\n"
            "- add constraint @index(age) on node 'Person'\n"
            "- drop property 'Knows.since' of edge 'Knows' (soft mode)\n");
  EXPECT_EQ(run_apply(server.base_url()), local_out);
  EXPECT_EQ(server.stop(), 0) << server.log();
}

// `graphs list|create` against a real multi-graph server, then the scenario
// against the created graph's `/graphs/<id>` URL.
TEST_F(E2eServer, MultiGraphServerCreatesAndServesAGraph) {
  const std::string local = init_graph("local.og");
  init_graph("alpha.og");
  write_file(root_.path() / "server.yaml", "graphs:\n  alpha:\n    uri: alpha.og\n");
  ServerProcess server({"--config", (root_.path() / "server.yaml").string(), "--unauthenticated"},
                       {}, root_.path());
  ASSERT_TRUE(server.wait_ready()) << server.log();
  auto cli = [&](std::vector<std::string> args) {
    return run_omnigraph_env(work_, root_.path(), {}, args);
  };
  Result list = cli({"graphs", "list", "--uri", server.base_url()});
  EXPECT_EQ(list.status, 0) << list.err;
  EXPECT_NE(list.out.find("alpha"), std::string::npos) << list.out;
  const std::string beta = (root_.path() / "beta.og").string();
  Result create = cli({"graphs", "create", "--uri", server.base_url(), "--graph-id", "beta",
                       "--graph-uri", beta, "--schema", "e2e.pg"});
  EXPECT_EQ(create.status, 0) << create.err;
  list = cli({"graphs", "list", "--uri", server.base_url(), "--json"});
  EXPECT_NE(list.out.find("\"beta\""), std::string::npos) << list.out;
  Result local_list = cli({"graphs", "list", "--uri", local});
  EXPECT_EQ(local_list.status, 1);
  EXPECT_EQ(local_list.err.rfind("error: ", 0), 0u) << local_list.err;

  expect_same(
      run_e2e_scenario(local, work_, root_.path()),
      run_e2e_scenario(server.base_url() + "/graphs/beta", work_, root_.path(), {.remote = true}));
  EXPECT_EQ(server.stop(), 0) << server.log();
}

TEST_F(E2eServer, BearerTokenServerMatchesLocalGraph) {
  const std::string local = init_graph("local.og");
  const std::string served = init_graph("served.og");
  // With a token the server needs a policy for anything beyond reads; this
  // one lets the token's actor (`default`) do everything the scenario does.
  write_file(root_.path() / "policy.yaml", R"(version: 1
groups:
  e2e: [default]
rules:
  - id: e2e-all
    allow:
      actors: { group: e2e }
      actions: [read, export, change]
      branch_scope: any
  - id: e2e-targets
    allow:
      actors: { group: e2e }
      actions: [schema_apply, branch_create, branch_delete, branch_merge]
)");
  // Single-graph mode takes the top-level policy.file.
  write_file(root_.path() / "server.yaml", "policy: { file: policy.yaml }\n");
  ServerProcess server({served, "--config", (root_.path() / "server.yaml").string()},
                       {{"OMNIGRAPH_SERVER_BEARER_TOKEN", "e2e-secret"}}, root_.path());
  ASSERT_TRUE(server.wait_ready()) << server.log();
  // The token's actor is `default`; local writes record the same actor.
  write_file(work_ / "omnigraph.yaml", "graphs:\n  srv:\n    uri: " + server.base_url() +
                                           "\n    bearer_token_env: E2E_TOKEN\n"
                                           "cli:\n  actor: default\n");

  const auto local_steps = run_e2e_scenario(local, work_, root_.path());
  const auto remote_steps =
      run_e2e_scenario(server.base_url(), work_, root_.path(),
                       {.remote = true, .env = {"E2E_TOKEN=e2e-secret"}, .target_name = "srv"});
  expect_same(local_steps, remote_steps);
  EXPECT_EQ(remote_steps.front().status, 0) << remote_steps.front().err;

  // Without the token the server refuses.
  Result denied = run_omnigraph_env(work_, root_.path(), {}, {"snapshot", "--target", "srv"});
  EXPECT_EQ(denied.status, 1);
  EXPECT_EQ(denied.err, "error: missing bearer token\n");
  EXPECT_EQ(server.stop(), 0) << server.log();
}

}  // namespace
