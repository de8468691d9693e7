// `omnigraph optimize DIR [--json]` run as a user would: it pre-builds the
// vector indexes of every branch head (tables above the exact-scan
// threshold) and reports them; a missing graph is a user error.
#include <gtest/gtest.h>

#include <rapidjson/document.h>
#include <stdlib.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "cli_test_util.h"

namespace {

namespace fs = std::filesystem;
using namespace omnigraph::cli_test;

class OptimizeCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    graph_ = (cwd_ / "docs.og").string();
    write_file(cwd_ / "test.pg", "node Doc {\n  slug: String @key\n  emb: Vector(3)\n}\n");
    std::ostringstream data;
    for (int i = 0; i < 40; ++i) {
      data << R"({"type":"Doc","data":{"slug":"d)" << i << R"(","emb":[)" << i << ",1,2]}}\n";
    }
    write_file(cwd_ / "test.jsonl", data.str());
    EXPECT_EQ(run({"init", "--schema", "test.pg", graph_}).status, 0);
    EXPECT_EQ(run({"load", "--data", "test.jsonl", graph_}).status, 0);
  }
  void TearDown() override {
    unsetenv("OMNIGRAPH_VECTOR_EXACT_THRESHOLD");
    CliTest::TearDown();
  }
};

TEST_F(OptimizeCli, BuildsTheVectorIndexesOfBranchHeads) {
  setenv("OMNIGRAPH_VECTOR_EXACT_THRESHOLD", "10", 1);
  Result r = run({"optimize", graph_, "--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto doc = parse_json(r.out);
  ASSERT_TRUE(doc.HasMember("branches")) << r.out;
  ASSERT_EQ(doc["branches"].Size(), 1u);
  const auto& main = doc["branches"][0];
  EXPECT_STREQ(main["branch"].GetString(), "main");
  EXPECT_EQ(main["indexes"]["vector"].GetUint64(), 1u);

  r = run({"optimize", graph_});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("branch main ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("vector indexes 1"), std::string::npos) << r.out;
}

TEST_F(OptimizeCli, SmallTablesNeedNoIndex) {
  Result r = run({"optimize", graph_, "--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto doc = parse_json(r.out);
  EXPECT_EQ(doc["branches"][0]["indexes"]["vector"].GetUint64(), 0u);
}

TEST_F(OptimizeCli, CleanupAfterOptimizeKeepsTheHeadsIndexes) {
  setenv("OMNIGRAPH_VECTOR_EXACT_THRESHOLD", "10", 1);
  ASSERT_EQ(run({"optimize", graph_}).status, 0);
  std::ostringstream more;
  for (int i = 40; i < 80; ++i) {
    more << R"({"type":"Doc","data":{"slug":"d)" << i << R"(","emb":[)" << i << ",2,1]}}\n";
  }
  write_file(cwd_ / "more.jsonl", more.str());
  ASSERT_EQ(run({"load", "--mode", "append", "--data", "more.jsonl", graph_}).status, 0);
  ASSERT_EQ(run({"optimize", graph_}).status, 0);

  // Derived-index refs are known to cleanup: it runs, and drops the index
  // of the root no retained commit reads.
  Result r = run({"cleanup", graph_, "--keep", "0", "--confirm", "--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto doc = parse_json(r.out);
  EXPECT_GT(doc["chunks_removed"].GetUint64(), 0u) << r.out;
  EXPECT_EQ(doc["refs_removed"].GetUint64(), 1u) << r.out;

  // The head's index is still there: optimize finds it ready.
  r = run({"optimize", graph_, "--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(parse_json(r.out)["branches"][0]["indexes"]["vector"].GetUint64(), 1u);
  r = run({"cleanup", graph_, "--keep", "0", "--confirm", "--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(parse_json(r.out)["refs_removed"].GetUint64(), 0u) << r.out;
}

TEST_F(OptimizeCli, MissingGraphIsAnError) {
  Result r = run({"optimize", (root_ / "nothing-here").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no graph at"), std::string::npos) << r.err;
}

}  // namespace
