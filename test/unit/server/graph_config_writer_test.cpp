// POST /graphs config rewrite (http-contract §6.5 step 8).
#include "server/config/graph_config_writer.h"

#include <gtest/gtest.h>

#include <latch>
#include <thread>

#include "server/config/omnigraph_config.h"
#include "server_test_support.h"

namespace omnigraph::server::config {
namespace {

using testing::ScratchDir;
using testing::thrown;

const char* kStart = R"(# operator comment
graphs:
  alpha:
    uri: /data/alpha
server:
  bind: 127.0.0.1:8080
  policy: { file: server-policy.yaml }
cli: { branch: main }
)";

TEST(GraphConfigWriter, HashIsDeterministicAndDetectsChanges) {
  ScratchDir dir;
  auto a = dir.write("a.yaml", "graphs: {}\n");
  auto b = dir.write("b.yaml", "graphs: {}\n");
  auto c = dir.write("c.yaml", "graphs: {}\n# x\n");
  EXPECT_EQ(hash_config_file(a), hash_config_file(b));
  EXPECT_NE(hash_config_file(a), hash_config_file(c));
  EXPECT_EQ(hash_config_file(a), Hash::of("graphs: {}\n"));
  auto error = thrown([&] { hash_config_file(dir.path() / "missing.yaml"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kInternal);
  EXPECT_EQ(error->message.rfind("hash omnigraph.yaml: ", 0), 0u);
}

TEST(GraphConfigWriter, AddsTheGraphAndKeepsOtherSections) {
  ScratchDir dir;
  auto cfg = dir.write("omnigraph.yaml", kStart);
  GraphConfigWriter writer(cfg, hash_config_file(cfg));
  writer.add_graph("beta", "/cfg/beta.omni", std::nullopt);
  writer.add_graph("gamma", "rel/gamma.omni", "policies/gamma.yaml");

  std::string text = ScratchDir::read(cfg);
  EXPECT_NE(text.find("beta:"), std::string::npos);
  EXPECT_NE(text.find("/cfg/beta.omni"), std::string::npos);
  EXPECT_EQ(writer.baseline(), Hash::of(text));  // baseline advanced
  OmnigraphConfig reloaded = parse_omnigraph_config(text, "/base");
  ASSERT_EQ(reloaded.graphs.size(), 3u);
  EXPECT_EQ(reloaded.graphs.at("alpha").uri, "/data/alpha");
  EXPECT_EQ(reloaded.graphs.at("beta").uri, "/cfg/beta.omni");
  EXPECT_EQ(reloaded.graphs.at("beta").policy_file, std::nullopt);
  EXPECT_EQ(reloaded.graphs.at("gamma").uri, "rel/gamma.omni");  // verbatim
  EXPECT_EQ(reloaded.graphs.at("gamma").policy_file, "policies/gamma.yaml");
  EXPECT_EQ(reloaded.server_bind, "127.0.0.1:8080");
  EXPECT_EQ(reloaded.server_policy_file, "server-policy.yaml");
  // No temp file is left behind.
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "omnigraph.yaml.tmp"));
}

TEST(GraphConfigWriter, CreatesTheGraphsMapWhenAbsent) {
  ScratchDir dir;
  auto cfg = dir.write("omnigraph.yaml", "server: { bind: 127.0.0.1:1 }\n");
  GraphConfigWriter writer(cfg, hash_config_file(cfg));
  writer.add_graph("a", "/a", std::nullopt);
  EXPECT_EQ(parse_omnigraph_config(ScratchDir::read(cfg), "/").graphs.at("a").uri, "/a");
}

TEST(GraphConfigWriter, DriftIsRefusedAndNothingIsWritten) {
  ScratchDir dir;
  auto cfg = dir.write("omnigraph.yaml", kStart);
  GraphConfigWriter writer(cfg, hash_config_file(cfg));
  std::string edited = std::string(kStart) + "# edited by hand\n";
  dir.write("omnigraph.yaml", edited);
  try {
    writer.add_graph("beta", "/b", std::nullopt);
    FAIL() << "expected drift";
  } catch (const ConfigDriftError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
    EXPECT_EQ(std::string(e.what()),
              "omnigraph.yaml drift detected: on-disk file does not match the server's startup "
              "baseline. Stop the server, reconcile the edits, then restart.");
  }
  EXPECT_EQ(ScratchDir::read(cfg), edited);
}

TEST(GraphConfigWriter, WrongBaselineIsDrift) {
  ScratchDir dir;
  auto cfg = dir.write("omnigraph.yaml", kStart);
  GraphConfigWriter writer(cfg, Hash::of("something else"));
  EXPECT_THROW(writer.add_graph("beta", "/b", std::nullopt), ConfigDriftError);
}

TEST(GraphConfigWriter, AnotherWriterOfTheSameFileIsDrift) {
  // A second server process rewriting the file moves it away from this
  // process's baseline.
  ScratchDir dir;
  auto cfg = dir.write("omnigraph.yaml", kStart);
  GraphConfigWriter mine(cfg, hash_config_file(cfg));
  GraphConfigWriter other(cfg, hash_config_file(cfg));
  other.add_graph("beta", "/b", std::nullopt);
  EXPECT_THROW(mine.add_graph("gamma", "/c", std::nullopt), ConfigDriftError);
}

TEST(GraphConfigWriter, DuplicateIdOrUriIsConflict) {
  ScratchDir dir;
  auto cfg = dir.write("omnigraph.yaml", kStart);
  GraphConfigWriter writer(cfg, hash_config_file(cfg));
  auto id = thrown([&] { writer.add_graph("alpha", "/elsewhere", std::nullopt); });
  ASSERT_TRUE(id);
  EXPECT_EQ(id->code, ErrorCode::kConflict);
  EXPECT_EQ(id->message, "graph 'alpha' is already registered");
  auto uri = thrown([&] { writer.add_graph("beta", "/data/alpha", std::nullopt); });
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->code, ErrorCode::kConflict);
  EXPECT_EQ(uri->message, "uri '/data/alpha' is already in use by another graph");
  EXPECT_EQ(ScratchDir::read(cfg), kStart);
  EXPECT_EQ(writer.baseline(), Hash::of(kStart));
}

TEST(GraphConfigWriter, MissingFileIsInternal) {
  ScratchDir dir;
  GraphConfigWriter writer(dir.path() / "gone.yaml", Hash::of(""));
  auto error = thrown([&] { writer.add_graph("a", "/a", std::nullopt); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kInternal);
}

TEST(GraphConfigWriter, WriteFailureLeavesTheConfigAndBaseline) {
  ScratchDir dir;
  auto cfg = dir.write("omnigraph.yaml", kStart);
  GraphConfigWriter writer(cfg, hash_config_file(cfg));
  // A directory where the temp file should go makes the write fail.
  std::filesystem::create_directories(dir.path() / "omnigraph.yaml.tmp");
  auto error = thrown([&] { writer.add_graph("beta", "/b", std::nullopt); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kInternal);
  EXPECT_NE(error->message.find("omnigraph.yaml.tmp"), std::string::npos);
  EXPECT_EQ(ScratchDir::read(cfg), kStart);
  EXPECT_EQ(writer.baseline(), Hash::of(kStart));
  // Once the obstacle is gone the same writer succeeds (no false drift).
  std::filesystem::remove(dir.path() / "omnigraph.yaml.tmp");
  writer.add_graph("beta", "/b", std::nullopt);
  EXPECT_EQ(parse_omnigraph_config(ScratchDir::read(cfg), "/").graphs.size(), 2u);
}

TEST(GraphConfigWriter, ConcurrentDistinctAddsAllLand) {
  ScratchDir dir;
  auto cfg = dir.write("omnigraph.yaml", kStart);
  GraphConfigWriter writer(cfg, hash_config_file(cfg));
  constexpr int kWriters = 4;
  std::latch start(kWriters);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        writer.add_graph("graph-" + std::to_string(i), "/data/graph-" + std::to_string(i),
                         std::nullopt);
      } catch (const Error&) {
        failures.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::string text = ScratchDir::read(cfg);
  OmnigraphConfig reloaded = parse_omnigraph_config(text, "/");
  EXPECT_EQ(reloaded.graphs.size(), 5u);
  for (int i = 0; i < kWriters; ++i) {
    EXPECT_EQ(reloaded.graphs.at("graph-" + std::to_string(i)).uri,
              "/data/graph-" + std::to_string(i));
  }
  EXPECT_EQ(writer.baseline(), Hash::of(text));
}

}  // namespace
}  // namespace omnigraph::server::config
