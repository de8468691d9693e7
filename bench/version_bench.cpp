// Commit-layer and RocksDB store benchmarks:
//  - merge-base search on a 10,000-commit DAG with branches and merges (memory store);
//  - synced ref CAS latency on RocksDB, 1 and 4 threads (group commit);
//  - chunk put_many throughput on RocksDB (1000 x 4 KiB chunks per batch).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <random>

#include "store/rocksdb_db.h"
#include "store/store.h"
#include "version/ancestry.h"
#include "version/commit_store.h"

namespace {

using namespace omnigraph;

struct Dag {
  store::Store store = store::open_memory_store();
  version::CommitStore commits{store};
  std::vector<std::pair<Hash, Hash>> recent_pairs;  // main head vs a live branch head
  std::pair<Hash, Hash> long_lived;                 // a branch forked near the start
  size_t size = 0;
  size_t merges = 0;
  int64_t clock = 0;

  Hash add(std::vector<Hash> parents) {
    version::Commit c;
    c.root = Hash::of(std::to_string(size));
    c.parents = std::move(parents);
    c.time_us = ++clock;
    c.branch = "main";
    c.graph_commit_id = Ulid::generate();
    c.manifest_version = size;
    ++size;
    merges += c.parents.size() == 2;
    return commits.write(c);
  }
};

// main advances; branches fork from main, grow a few commits, sometimes
// pull main in (so criss-crosses occur), and are merged back.
Dag& dag() {
  static Dag* d = [] {
    auto* d = new Dag;
    std::mt19937_64 rng(42);
    Hash main = d->add({});
    for (int i = 0; i < 50; ++i) main = d->add({main});
    Hash old_branch = d->add({main});
    std::vector<Hash> branches;
    while (d->size < 10'000) {
      int r = static_cast<int>(rng() % 100);
      if (r < 10 && branches.size() < 8) {
        branches.push_back(d->add({main}));
      } else if (r < 20 && !branches.empty()) {
        size_t i = rng() % branches.size();
        main = d->add({main, branches[i]});
        branches.erase(branches.begin() + static_cast<long>(i));
      } else if (r < 23 && !branches.empty()) {
        size_t i = rng() % branches.size();
        branches[i] = d->add({branches[i], main});
      } else if (r < 60 && !branches.empty()) {
        size_t i = rng() % branches.size();
        branches[i] = d->add({branches[i]});
      } else if (r < 62) {
        old_branch = d->add({old_branch});
      } else {
        main = d->add({main});
      }
      if (d->size % 50 == 0) {
        for (const Hash& b : branches) d->recent_pairs.push_back({main, b});
      }
    }
    d->long_lived = {main, old_branch};
    return d;
  }();
  return *d;
}

void BM_MergeBaseRecentBranch(benchmark::State& state) {
  Dag& d = dag();
  size_t i = 0;
  for (auto _ : state) {
    auto& [a, b] = d.recent_pairs[i++ % d.recent_pairs.size()];
    benchmark::DoNotOptimize(version::merge_bases(d.commits, a, b));
  }
  state.counters["pairs"] = static_cast<double>(d.recent_pairs.size());
}
BENCHMARK(BM_MergeBaseRecentBranch);

void BM_MergeBaseLongLivedBranch(benchmark::State& state) {
  Dag& d = dag();
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        version::merge_bases(d.commits, d.long_lived.first, d.long_lived.second));
  }
}
BENCHMARK(BM_MergeBaseLongLivedBranch);

void BM_IsAncestorRootOfHead(benchmark::State& state) {
  Dag& d = dag();
  Hash root = version::first_parent_history(d.commits, d.long_lived.first).back().hash;
  for (auto _ : state) {
    benchmark::DoNotOptimize(version::is_ancestor(d.commits, root, d.long_lived.first));
  }
}
BENCHMARK(BM_IsAncestorRootOfHead);

std::filesystem::path bench_dir() {
  static std::filesystem::path dir = [] {
    char tmpl[] = "/tmp/og_version_bench_XXXXXX";
    if (!mkdtemp(tmpl)) std::abort();
    return std::filesystem::path(tmpl);
  }();
  return dir;
}

store::Store& rocks() {
  static store::Store* s = new store::Store(store::open_rocksdb_store(bench_dir() / "graph"));
  return *s;
}

void BM_RocksDbRefCasSynced(benchmark::State& state) {
  store::RefStore& refs = *rocks().refs;
  std::string name = "branch/bench-" + std::to_string(state.thread_index());
  std::optional<Hash> current = refs.get(name);
  uint64_t n = 0;
  auto before = state.thread_index() == 0 ? store::rocksdb_detail::group_commit_stats(refs)
                                          : store::rocksdb_detail::GroupCommitStats{};
  for (auto _ : state) {
    Hash next = Hash::of(name + std::to_string(n++));
    if (!refs.compare_and_swap(name, current, next)) state.SkipWithError("CAS lost");
    current = next;
  }
  if (state.thread_index() == 0) {
    auto after = store::rocksdb_detail::group_commit_stats(refs);
    // With several threads, calls per fsync shows how well group commit batches.
    state.counters["ops_per_sync"] =
        static_cast<double>(after.operations - before.operations) /
        static_cast<double>(std::max<uint64_t>(1, after.synced_writes - before.synced_writes));
  }
}
BENCHMARK(BM_RocksDbRefCasSynced)->Threads(1)->Threads(4)->UseRealTime();

void BM_RocksDbChunkPutMany(benchmark::State& state) {
  store::ChunkStore& chunks = *rocks().chunks;
  std::mt19937_64 rng(7);
  const size_t batch = 1000, size = 4096;
  size_t bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<store::Chunk> cs(batch);
    for (auto& c : cs) {
      c.data.resize(size);
      for (size_t i = 0; i < size; i += 8) {
        uint64_t v = rng();
        std::memcpy(c.data.data() + i, &v, 8);
      }
      c.hash = Hash::of(c.data);
    }
    state.ResumeTiming();
    chunks.put_many(cs);
    bytes += batch * size;
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * batch));
}
BENCHMARK(BM_RocksDbChunkPutMany)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  Dag& d = dag();
  std::printf(
      "setup: merge-base DAG = %zu commits (%zu merges), memory store; %zu (main, branch) pairs; "
      "long-lived branch forked at commit 51.\n"
      "       RocksDB store in %s (ext4, synced ref writes; chunks 4 KiB random, 1000/batch, "
      "unsynced).\n",
      d.size, d.merges, d.recent_pairs.size(), bench_dir().c_str());
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  delete &rocks();
  std::error_code ec;
  std::filesystem::remove_all(bench_dir(), ec);
  return 0;
}
