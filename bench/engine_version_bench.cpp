// Versioning through the public Graph API, on RocksDB graphs in a temp
// directory (every commit synced):
//  - branch create on graphs of 10,000 and 1,000,000 Person rows;
//  - merge of a branch with 100 changed rows into the 1,000,000-row table
//    (the target changed one row too, so it is a row-level three-way merge);
//  - diff of 100 changed rows in the 1,000,000-row table (two commits);
//  - concurrent single-row commits from 16 threads (group commit, rebase).
// Prints the setup and the median of each measurement. A plain program
// (no Google Benchmark fixtures: the 1M-row setup is built once); it
// ignores the --benchmark_* flags `make bench` passes.
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/ulid.h"
#include "engine/graph_impl.h"
#include "omnigraph/graph.h"
#include "store/rocksdb_db.h"

namespace {

using namespace omnigraph;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kSchema = R"(
node Person {
  name: String @key
  age: I32?
  city: String?
}
)";

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

std::string person_name(size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "p%08zu", i);
  return buf;
}

// JSONL of `count` Person rows starting at `first`, ages offset by `age`.
std::string people(size_t first, size_t count, int age) {
  std::string out;
  out.reserve(count * 70);
  for (size_t i = first; i < first + count; ++i) {
    out += R"({"type": "Person", "data": {"name": ")" + person_name(i) + R"(", "age": )" +
           std::to_string((i + age) % 100) + R"(, "city": "c)" + std::to_string(i % 1000) +
           "\"}}\n";
  }
  return out;
}

void load(Graph& graph, const std::string& jsonl, const std::string& branch,
          engine::LoadMode mode) {
  std::istringstream in(jsonl);
  LoadRequest request;
  request.branch = branch;
  request.mode = mode;
  graph.load(in, request);
}

struct TempGraph {
  fs::path dir;
  std::unique_ptr<Graph> graph;
  size_t rows;
  explicit TempGraph(size_t n) : rows(n) {
    dir = fs::temp_directory_path() / ("og-version-bench-" + Ulid::generate().str());
    graph = Graph::init(dir, kSchema);
    auto start = Clock::now();
    // Loaded in slices of 250,000 rows (bounded generator memory).
    for (size_t first = 0; first < rows; first += 250'000) {
      load(*graph, people(first, std::min<size_t>(250'000, rows - first), 0), kMainBranch,
           engine::LoadMode::kMerge);
    }
    std::printf("  setup: %zu Person rows loaded in %.1f s (%s)\n", rows, ms_since(start) / 1000,
                dir.c_str());
  }
  ~TempGraph() {
    graph.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

void bench_branch_create(TempGraph& g, size_t rows) {
  std::vector<double> times;
  for (int i = 0; i < 101; ++i) {
    std::string name = "b" + std::to_string(rows) + "-" + std::to_string(i);
    auto start = Clock::now();
    g.graph->branch_create(name);
    times.push_back(ms_since(start));
  }
  for (int i = 0; i < 101; ++i)
    g.graph->branch_delete("b" + std::to_string(rows) + "-" + std::to_string(i));
  std::printf("branch create, %zu rows: median %.3f ms (101 creates; target <= 1 ms)\n", rows,
              median(times));
}

void bench_merge(TempGraph& g, size_t rows) {
  std::vector<double> times;
  for (int i = 0; i < 7; ++i) {
    std::string branch = "merge-" + std::to_string(i);
    g.graph->branch_create(branch);
    // 100 rows spread over the table, changed on the branch ...
    std::string changed;
    for (size_t k = 0; k < 100; ++k) changed += people((k * 9973 + i * 31) % rows, 1, 50 + i);
    load(*g.graph, changed, branch, engine::LoadMode::kMerge);
    // ... and one other row on main, so the table is merged row by row.
    load(*g.graph, people((i * 7919 + 5) % rows, 1, 77 + i), kMainBranch, engine::LoadMode::kMerge);
    auto start = Clock::now();
    MergeResult result = g.graph->branch_merge(branch, kMainBranch);
    times.push_back(ms_since(start));
    if (result.outcome != MergeOutcome::kMerged) std::printf("  unexpected merge outcome\n");
    g.graph->branch_delete(branch);
  }
  std::printf(
      "merge of a branch with 100 changed rows into %zu rows: median %.2f ms (7 merges; target "
      "<= 50 ms)\n",
      rows, median(times));
}

void bench_diff(TempGraph& g, size_t rows) {
  std::string before = g.graph->snapshot().commit_id;
  std::string changed;
  for (size_t k = 0; k < 100; ++k) changed += people((k * 104729 + 3) % rows, 1, 13);
  load(*g.graph, changed, kMainBranch, engine::LoadMode::kMerge);
  std::string after = g.graph->snapshot().commit_id;
  std::vector<double> times;
  uint64_t seen = 0;
  for (int i = 0; i < 21; ++i) {
    seen = 0;
    auto start = Clock::now();
    g.graph->diff(GraphTarget::at_commit(before), GraphTarget::at_commit(after), {},
                  [&](const EntityChange&) { ++seen; });
    times.push_back(ms_since(start));
  }
  std::printf(
      "diff of 100 changes in %zu rows: median %.3f ms (%llu changes; 21 runs; target <= "
      "20 ms)\n",
      rows, median(times), static_cast<unsigned long long>(seen));
}

void bench_concurrent_commits(TempGraph& g, int threads, int per_thread) {
  auto& refs = *GraphInternals::impl(*g.graph).store.refs;
  auto stats_before = store::rocksdb_detail::group_commit_stats(refs);
  std::atomic<int> conflicts{0};
  std::atomic<int> committed{0};
  auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        ChangeRequest request;
        // Half insert a new row, half update a row only this thread touches.
        if (i % 2 == 0) {
          request.query_source =
              "query q($n: String, $a: I32) { insert Person { name: $n, age: $a } }";
          request.params_json =
              R"({"n": "t)" + std::to_string(t) + "-" + std::to_string(i) + R"(", "a": 1})";
        } else {
          request.query_source =
              "query q($n: String, $a: I32) { update Person set { age: $a } where name = $n }";
          request.params_json = R"({"n": ")" + person_name(t * 10 + 1) + R"(", "a": )" +
                                std::to_string(i % 100) + "}";
        }
        try {
          g.graph->change(request);
          ++committed;
        } catch (const Error& e) {
          if (conflicts++ < 3) std::printf("  refused: %s\n", e.what());
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  double seconds = ms_since(start) / 1000;
  auto stats_after = store::rocksdb_detail::group_commit_stats(refs);
  uint64_t syncs = stats_after.synced_writes - stats_before.synced_writes;
  std::printf(
      "concurrent single-row commits, %d threads x %d, %zu rows: %.0f commits/s (%d committed, %d "
      "conflicts, %llu synced ref writes = %.1f commits per fsync; target >= 5,000/s)\n",
      threads, per_thread, g.rows, committed / seconds, committed.load(), conflicts.load(),
      static_cast<unsigned long long>(syncs), syncs ? double(committed) / syncs : 0.0);
}

}  // namespace

int main() {
  const bool small = std::getenv("OG_BENCH_SMALL") != nullptr;
  const size_t big = small ? 100'000 : 1'000'000;
  std::printf(
      "engine_version_bench: RocksDB graphs in %s, schema Person{name @key, age, city}; "
      "every commit synced; %u hardware threads\n",
      fs::temp_directory_path().c_str(), std::thread::hardware_concurrency());
  {
    TempGraph g(10'000);
    bench_branch_create(g, 10'000);
    bench_concurrent_commits(g, 16, small ? 100 : 400);
  }
  {
    TempGraph g(big);
    bench_branch_create(g, big);
    bench_merge(g, big);
    bench_diff(g, big);
    bench_concurrent_commits(g, 16, small ? 100 : 400);
  }
  return 0;
}
