// Engine benchmarks on a loaded graph (scripts/bench_engine.sh generates the
// 1M-node / 5M-edge Person/Knows/Company/WorksAt graph with
// og_gen_social_graph, loads it with `omnigraph load` and runs this binary
// with OG_ENGINE_BENCH_GRAPH=<graph dir>). Every figure goes through the
// public Graph API, query text included, so it is what a caller gets.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <random>
#include <string>

#include "omnigraph/graph.h"

namespace {

omnigraph::Graph* graph() {
  static std::unique_ptr<omnigraph::Graph> handle = [] {
    const char* dir = std::getenv("OG_ENGINE_BENCH_GRAPH");
    return dir ? omnigraph::Graph::open(dir) : nullptr;
  }();
  return handle.get();
}

// Generated persons are p0..p<N-1>; N comes from the script (the table may
// also hold rows added by BM_SingleRowMutation in earlier runs).
uint64_t persons() {
  static uint64_t count = [] {
    if (const char* n = std::getenv("OG_ENGINE_BENCH_PERSONS")) return uint64_t{std::stoull(n)};
    for (const auto& table : graph()->snapshot().tables) {
      if (table.table_key == "node:Person") return table.row_count;
    }
    return uint64_t{0};
  }();
  return count;
}

std::string random_person(std::mt19937_64& rng) {
  return "p" + std::to_string(rng() % persons());
}

int64_t run_count(const std::string& source, const std::string& params) {
  omnigraph::ReadRequest request;
  request.query_source = source;
  request.params_json = params;
  auto result = graph()->read(request);
  return result.rows.empty() ? 0 : result.rows[0][0].as_int();
}

void BM_PointLookupByKey(benchmark::State& state) {
  std::mt19937_64 rng(1);
  const std::string query =
      "query q($s: String) { match { $p: Person { slug: $s } } return { $p.name, $p.age } }";
  for (auto _ : state) {
    omnigraph::ReadRequest request;
    request.query_source = query;
    request.params_json = R"({"s":")" + random_person(rng) + "\"}";
    auto result = graph()->read(request);
    if (result.rows.size() != 1) state.SkipWithError("lookup found no row");
    benchmark::DoNotOptimize(result);
  }
}

void hop_count(benchmark::State& state, int hops) {
  std::mt19937_64 rng(2);
  const std::string query = "query q($s: String) { match { $p: Person { slug: $s } $p knows{1," +
                            std::to_string(hops) + "} $f } return { count($f) as n } }";
  int64_t total = 0;
  for (auto _ : state) {
    total += run_count(query, R"({"s":")" + random_person(rng) + "\"}");
  }
  state.counters["avg_neighbours"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kAvgIterations);
}

void BM_OneHopCount(benchmark::State& state) {
  hop_count(state, 1);
}
void BM_TwoHopCount(benchmark::State& state) {
  hop_count(state, 2);
}

// `name` is @index; `city` is not: the same shape of filter, with and
// without an index tree.
void BM_FilteredScanIndexed(benchmark::State& state) {
  const std::string query =
      "query q($v: String) { match { $p: Person { name: $v } } return { count($p) as n } }";
  int64_t rows = 0;
  for (auto _ : state) rows = run_count(query, R"({"v":"Dave Edwards"})");
  state.counters["rows"] = static_cast<double>(rows);
}

void BM_FilteredScanNonIndexed(benchmark::State& state) {
  const std::string query =
      "query q($v: String) { match { $p: Person { city: $v } } return { count($p) as n } }";
  int64_t rows = 0;
  for (auto _ : state) rows = run_count(query, R"({"v":"Prague"})");
  state.counters["rows"] = static_cast<double>(rows);
}

// One insert, published as a durable commit (synced ref CAS).
void BM_SingleRowMutation(benchmark::State& state) {
  static uint64_t next = 0;
  const std::string query =
      "query add($s: String) { insert Person { slug: $s, name: \"Bench\", age: 30, city: \"X\" } "
      "}";
  for (auto _ : state) {
    omnigraph::ChangeRequest request;
    request.query_source = query;
    request.params_json = R"({"s":"bench-)" + std::to_string(next++) + "\"}";
    request.actor = "bench";
    auto result = graph()->change(request);
    if (result.affected_nodes != 1) state.SkipWithError("insert affected no row");
  }
}

BENCHMARK(BM_PointLookupByKey)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_OneHopCount)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TwoHopCount)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FilteredScanIndexed)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FilteredScanNonIndexed)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SingleRowMutation)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  if (std::getenv("OG_ENGINE_BENCH_GRAPH") == nullptr) {
    std::cout << "engine_bench: set OG_ENGINE_BENCH_GRAPH to a loaded graph "
                 "(scripts/bench_engine.sh does); skipped\n";
    return 0;
  }
  std::cout << "graph: " << std::getenv("OG_ENGINE_BENCH_GRAPH") << ", " << persons()
            << " Person rows\n";
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
