// Runs every curl example of docs/server.md against a real server, so the
// documentation cannot drift from the behaviour. Fenced blocks tagged `sh`
// run against a single-graph server of examples/demo, `sh multi` against a
// multi-graph server, `sh auth` against a server with a bearer token ($TOKEN);
// `console` blocks are illustrations and are not run.
#include "http_test_util.h"

namespace omnigraph::http_test {
namespace {

struct Example {
  std::string tag;
  std::string command;
};

std::vector<Example> doc_examples() {
  std::istringstream doc(read_file(fs::path(OG_SOURCE_DIR) / "docs/server.md"));
  std::vector<Example> out;
  std::string tag;
  bool in_block = false;
  std::string pending;
  for (std::string line; std::getline(doc, line);) {
    if (line.rfind("```", 0) == 0) {
      if (in_block) {
        in_block = false;
      } else {
        std::string info = line.substr(3);
        in_block = info == "sh" || info.rfind("sh ", 0) == 0;
        tag = info.size() > 3 ? info.substr(3) : "";
      }
      continue;
    }
    if (!in_block) continue;
    pending += line;
    if (!pending.empty() && pending.back() == '\\') {
      pending.pop_back();
      continue;
    }
    if (pending.rfind("curl ", 0) == 0) out.push_back({tag, pending});
    pending.clear();
  }
  return out;
}

// Runs one example with the status code captured; returns (status, body).
std::pair<int, std::string> run_example(const Example& example, const std::string& base,
                                        const fs::path& scratch) {
  fs::path body = scratch / "body";
  std::string command = "OG='" + base + "'; TOKEN=doc-token; " + example.command + " -o '" +
                        body.string() + "' -w '%{http_code}' > '" + (scratch / "status").string() +
                        "'";
  int raw = std::system(command.c_str());
  EXPECT_EQ(WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, 0) << command;
  return {std::atoi(read_file(scratch / "status").c_str()), read_file(body)};
}

fs::path demo_graph(const fs::path& dir) {
  fs::path examples = fs::path(OG_SOURCE_DIR) / "examples/demo";
  fs::path graph = dir / "demo.og";
  fs::path log = dir / "cli.log";
  EXPECT_EQ(run_cli({"init", "--schema", (examples / "schema.pg").string(), graph.string()}, log),
            0)
      << read_file(log);
  EXPECT_EQ(run_cli({"load", "--data", (examples / "data.jsonl").string(), graph.string()}, log), 0)
      << read_file(log);
  return graph;
}

TEST(DocsExamples, EveryCurlExampleInServerMdSucceeds) {
  std::vector<Example> examples = doc_examples();
  ASSERT_GE(examples.size(), 15u);
  std::map<std::string, int> per_tag;
  for (const auto& e : examples) ++per_tag[e.tag];
  EXPECT_GE(per_tag[""], 12);
  EXPECT_GE(per_tag["multi"], 3);
  EXPECT_GE(per_tag["auth"], 1);

  TempDir dir;
  fs::path graph = demo_graph(dir.path());
  fs::path scratch = dir / "scratch";
  fs::create_directories(scratch);
  auto run_all = [&](const std::string& tag, ServerProcess& server) {
    ASSERT_TRUE(server.wait_ready()) << server.log();
    for (const auto& example : examples) {
      if (example.tag != tag) continue;
      auto [status, body] = run_example(example, server.base_url(), scratch);
      EXPECT_GE(status, 200) << example.command << "\n" << body;
      EXPECT_LT(status, 300) << example.command << "\n" << body;
    }
    EXPECT_EQ(server.stop(SIGTERM), 0);
  };
  {
    ServerProcess single({graph.string(), "--unauthenticated"}, {}, dir.path());
    run_all("", single);
  }
  {
    ServerProcess auth({graph.string()}, {{"OMNIGRAPH_SERVER_BEARER_TOKEN", "doc-token"}},
                       dir.path());
    run_all("auth", auth);
  }
  {
    write_file(dir / "omnigraph.yaml", "graphs:\n  demo:\n    uri: demo.og\n");
    ServerProcess multi({"--config", (dir / "omnigraph.yaml").string(), "--unauthenticated"}, {},
                        dir.path());
    run_all("multi", multi);
  }
}

}  // namespace
}  // namespace omnigraph::http_test
