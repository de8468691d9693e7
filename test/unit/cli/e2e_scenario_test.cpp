// The end-to-end CLI scenario (e2e_scenario.h) on a local graph directory:
// every step's status, and the outputs that pin the scenario's meaning.
// The lead's server test runs the same scenario against omnigraph-server and
// compares step by step with this local run.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "e2e_scenario.h"

namespace {

using namespace omnigraph::cli_test;

TEST(E2eScenario, LocalTarget) {
  std::string pattern = (fs::temp_directory_path() / "og-e2e-cli-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const fs::path root = pattern;
  const fs::path work = root / "work";
  write_scenario_files(work);
  const std::string graph = (root / "graph.og").string();
  Result init = run_omnigraph(work, root, {"init", "--schema", "e2e.pg", graph});
  ASSERT_EQ(init.status, 0) << init.err;

  const std::vector<ScenarioStep> steps = run_e2e_scenario(graph, work, root);
  ASSERT_EQ(steps.size(), 37u);
  for (std::size_t i = 0; i + 6 < steps.size(); ++i) {
    EXPECT_EQ(steps[i].status, 0) << "step " << i << ": " << steps[i].args[0] << "\n"
                                  << steps[i].err;
  }
  for (std::size_t i = steps.size() - 6; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].status, 1) << "step " << i;
    EXPECT_EQ(steps[i].out, "") << "step " << i;
    EXPECT_EQ(steps[i].err.rfind("error: ", 0), 0u) << "step " << i << ": " << steps[i].err;
  }

  auto ingest = parse_json(steps[0].out);
  EXPECT_EQ(std::string(ingest["uri"].GetString()), "<uri>");
  EXPECT_FALSE(ingest["branch_created"].GetBool());
  EXPECT_EQ(ingest["tables"].Size(), 4u);
  EXPECT_EQ(steps[5].out, "p.name,p.age\nCharlie,35\nAlice,30\nDiana,28\nBob,25\n");
  EXPECT_EQ(steps[7].out,
            "2 rows from branch main via friends\nrow 1\nf.name: Bob\nf.age: 25\n\n"
            "row 2\nf.name: Charlie\nf.age: 35\n");
  EXPECT_EQ(steps[11].out, "feature\nmain\n");
  EXPECT_EQ(steps[12].out, "p.name,p.age\nBob,26\n");
  EXPECT_EQ(steps[13].out, "p.name,p.age\nBob,25\n");
  EXPECT_EQ(std::string(parse_json(steps[14].out)["outcome"].GetString()), "fast_forward");
  EXPECT_NE(steps[16].out.find(R"({"type":"Person","data":{"id":"Mina")"), std::string::npos)
      << steps[16].out;
  EXPECT_EQ(steps[19].out,
            "ingested <uri> into branch review from feature with merge (branch created)\n"
            "edge:Knows rows_loaded=3\nedge:WorksAt rows_loaded=2\nnode:Company rows_loaded=2\n"
            "node:Person rows_loaded=4\n");
  EXPECT_EQ(steps[21].out, "{\n  \"branches\": [\n    \"main\",\n    \"review\"\n  ]\n}\n");
  EXPECT_EQ(steps[22].out, std::string(kE2eSchema) + "\n");
  EXPECT_TRUE(steps[23].local_only);
  EXPECT_EQ(steps[23].out, "schema plan for " + graph +
                               "\nsupported: yes\n"
                               "- add property 'Person.email' (String?) on node 'Person'\n"
                               "- add node type 'Team'\n");
  auto apply = parse_json(steps[24].out);
  EXPECT_STREQ(apply["uri"].GetString(), "<uri>");
  EXPECT_STREQ(apply["branch"].GetString(), "main");
  EXPECT_TRUE(apply["applied"].GetBool());
  EXPECT_EQ(apply["step_count"].GetUint64(), 2u);
  EXPECT_STREQ(apply["graph_commit_id"].GetString(), "<id>");
  EXPECT_EQ(steps[25].out,
            "schema apply for <uri>\nsupported: yes\napplied: no\nmanifest_version: " +
                std::to_string(apply["manifest_version"].GetUint64()) + "\nno schema changes\n");
  EXPECT_STREQ(parse_json(steps[26].out)["schema_source"].GetString(), kE2eNextSchema);
  EXPECT_EQ(steps[27].out,
            "p.name,p.email\nAlice,null\nBob,null\nCharlie,null\nDiana,null\nMina,null\n");
  EXPECT_NE(steps[28].out.find("node:Team "), std::string::npos) << steps[28].out;
  EXPECT_EQ(steps[30].out.rfind("OK    query `emails` (read)\n", 0), 0u) << steps[30].out;
  const std::size_t e = steps.size() - 6;
  EXPECT_EQ(steps[e].err, "error: query 'nope' not found\n");
  EXPECT_EQ(steps[e + 1].err, "error: query file contains multiple queries; pass --name\n");
  EXPECT_EQ(steps[e + 2].err, "error: cannot delete branch 'main'\n");
  EXPECT_EQ(steps[e + 3].err, "error: branch 'ghost' not found\n");
  EXPECT_EQ(steps[e + 4].err, "error: commit '01ARZ3NDEKTSV4RRFFQ69G5FAV' not found\n");
  EXPECT_EQ(steps[e + 5].err, "error: commit '01ARZ3NDEKTSV4RRFFQ69G5FAV' not found\n");
  fs::remove_all(root);
}

}  // namespace
