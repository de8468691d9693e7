// Schema evolution benchmarks (docs/performance.md, "Schema evolution").
// Setup: a RocksDB graph in a temporary directory with one node type
// Person {slug @key, name, age, city @index} holding N rows (N = 1,000 and
// 1,000,000), loaded once per N before timing.
//  - BM_SchemaPlan: plan "add a nullable property + rename one + add a
//    type" against main (reads no rows).
//  - BM_SchemaApplyAddNullable: apply a schema adding one more nullable
//    property (each iteration adds a new one, so every apply is a real
//    change and commit).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "omnigraph/graph.h"

namespace {

namespace fs = std::filesystem;
using namespace omnigraph;

constexpr const char* kSchema = R"(node Person {
    slug: String @key
    name: String
    age: I32?
    city: String? @index
}
)";

struct Fixture {
  fs::path dir;
  std::unique_ptr<Graph> graph;
  std::string schema = kSchema;  // the schema in force (grows in the apply benchmark)
  int added = 0;

  explicit Fixture(int64_t rows) {
    std::string pattern = (fs::temp_directory_path() / "og-schema-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir = fs::path(pattern) / "g";
    graph = Graph::init(dir, kSchema);
    std::string data;
    data.reserve(static_cast<size_t>(rows) * 90);
    for (int64_t i = 0; i < rows; ++i) {
      data += R"({"type":"Person","data":{"slug":"p)" + std::to_string(i) + R"(","name":"n)" +
              std::to_string(i) + R"(","age":)" + std::to_string(i % 90) + R"(,"city":"c)" +
              std::to_string(i % 1000) + "\"}}\n";
    }
    std::istringstream in(std::move(data));
    graph->load(in, {});
    std::cerr << "schema_bench: loaded " << rows << " Person rows into " << dir << "\n";
  }
  ~Fixture() {
    graph.reset();
    std::error_code ec;
    fs::remove_all(dir.parent_path(), ec);
  }
};

// Closed by main() before exit: a graph must not outlive the store's statics.
std::map<int64_t, std::unique_ptr<Fixture>> fixtures;

Fixture& fixture(int64_t rows) {
  auto& slot = fixtures[rows];
  if (!slot) {
    fixtures.clear();  // one loaded graph at a time (memory, disk)
    fixtures[rows] = std::make_unique<Fixture>(rows);
    return *fixtures[rows];
  }
  return *slot;
}

std::string edit(std::string source, const std::string& from, const std::string& to) {
  source.replace(source.find(from), from.size(), to);
  return source;
}

void BM_SchemaPlan(benchmark::State& state) {
  Fixture& f = fixture(state.range(0));
  std::string desired = edit(f.schema, "    age: I32?\n",
                             "    years: I32? @rename_from(\"age\")\n    nick: String?\n") +
                        "node Team {\n    label: String @key\n}\n";
  for (auto _ : state) {
    SchemaPlan plan = f.graph->schema_plan(desired);
    if (plan.steps.size() != 3) state.SkipWithError("unexpected plan");
    benchmark::DoNotOptimize(plan);
  }
  state.counters["rows"] = static_cast<double>(state.range(0));
}

void BM_SchemaApplyAddNullable(benchmark::State& state) {
  Fixture& f = fixture(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    std::string desired =
        edit(f.schema, "    age: I32?\n",
             "    age: I32?\n    extra" + std::to_string(f.added++) + ": String?\n");
    SchemaApplyRequest request;
    request.schema_source = desired;
    state.ResumeTiming();
    SchemaApplyResult result = f.graph->schema_apply(request);
    if (!result.applied) state.SkipWithError("nothing applied");
    f.schema = std::move(desired);
  }
  state.counters["rows"] = static_cast<double>(state.range(0));
}

// Grouped by row count so each graph is loaded once.
BENCHMARK(BM_SchemaPlan)->Arg(1'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SchemaApplyAddNullable)->Arg(1'000)->Unit(benchmark::kMillisecond)->Iterations(50);
BENCHMARK(BM_SchemaPlan)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SchemaApplyAddNullable)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(50);

}  // namespace

int main(int argc, char** argv) {
  std::cout << "setup: RocksDB graph in a temp dir, node Person {slug @key, name, age, city "
               "@index} with N rows (1,000 and 1,000,000, loaded before timing); plan = add "
               "nullable + rename + add type; apply = add one nullable property per iteration\n";
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  fixtures.clear();
  benchmark::Shutdown();
  return 0;
}
