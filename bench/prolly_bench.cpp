// Prolly tree micro-benchmarks on a 1,000,000-entry tree with ~100-byte
// values in the memory chunk store. The tree is built once and shared.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "prolly/counting_chunk_store.h"
#include "prolly/diff.h"
#include "prolly/tree.h"
#include "prolly/tree_builder.h"
#include "store/chunk_store.h"

namespace omnigraph::prolly {
namespace {

constexpr size_t kEntries = 1'000'000;
constexpr size_t kValueBytes = 100;
constexpr size_t kEditBatch = 100;

std::string make_key(uint64_t i) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "key%013llu", static_cast<unsigned long long>(i));
  return buf;
}

std::string make_value(std::mt19937_64& rng) {
  std::string v(kValueBytes, '\0');
  for (char& c : v) c = static_cast<char>('a' + rng() % 26);
  return v;
}

// Keys are every 7th integer, so inserts can land between existing keys.
struct Fixture {
  std::vector<Entry> entries;
  std::unique_ptr<store::ChunkStore> memory = store::make_memory_chunk_store();
  CountingChunkStore counting{*memory};
  NodeStore nodes{counting, 1024ull * 1024 * 1024};  // room for the whole tree: warm reads
  Hash root;

  Fixture() {
    std::mt19937_64 rng(42);
    entries.reserve(kEntries);
    for (size_t i = 0; i < kEntries; ++i) entries.emplace_back(make_key(i * 7), make_value(rng));
    root = Tree::build(nodes, entries).root();
    // Warm the cache: touch every node once.
    Tree t(nodes, root);
    size_t n = 0;
    t.scan("", std::nullopt, [&](std::string_view, std::string_view) { return ++n > 0; });
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

// 100 random edits: 60% updates, 20% inserts between keys, 20% deletes.
std::vector<Edit> random_batch(std::mt19937_64& rng) {
  std::vector<Edit> edits;
  for (size_t i = 0; i < kEditBatch; ++i) {
    uint64_t k = rng() % kEntries;
    int what = static_cast<int>(rng() % 10);
    if (what < 6) {
      edits.push_back(Edit::put(make_key(k * 7), make_value(rng)));
    } else if (what < 8) {
      edits.push_back(Edit::put(make_key(k * 7 + 3), make_value(rng)));
    } else {
      edits.push_back(Edit::remove(make_key(k * 7)));
    }
  }
  normalize_edits(edits);
  return edits;
}

void BM_BulkBuild(benchmark::State& state) {
  Fixture& f = fixture();
  uint64_t chunks = 0;
  for (auto _ : state) {
    auto store = store::make_memory_chunk_store();
    NodeStore nodes(*store);
    TreeBuilder builder(nodes);
    for (const Entry& e : f.entries) builder.add(e.first, e.second);
    Hash root = builder.finish();
    chunks = builder.chunks_written();
    benchmark::DoNotOptimize(root);
    if (root != f.root) state.SkipWithError("bulk build gave a different root");
    state.PauseTiming();
    store.reset();  // freeing 100+ MB is not part of the build
    state.ResumeTiming();
  }
  state.counters["entries_per_s"] =
      benchmark::Counter(static_cast<double>(kEntries) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  state.counters["chunks"] = static_cast<double>(chunks);
}
BENCHMARK(BM_BulkBuild)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_PointGetWarm(benchmark::State& state) {
  Fixture& f = fixture();
  Tree t(f.nodes, f.root);
  std::mt19937_64 rng(7);
  std::vector<std::string> keys;
  for (int i = 0; i < 4096; ++i) keys.push_back(make_key((rng() % kEntries) * 7));
  size_t i = 0, found = 0;
  for (auto _ : state) {
    auto v = t.get(keys[i++ & 4095]);
    found += v.has_value();
    benchmark::DoNotOptimize(v);
  }
  if (found != static_cast<size_t>(state.iterations())) state.SkipWithError("a key was not found");
  state.counters["tree_height"] = t.height();
}
BENCHMARK(BM_PointGetWarm)->Unit(benchmark::kNanosecond);

void BM_PointGetMissWarm(benchmark::State& state) {
  Fixture& f = fixture();
  Tree t(f.nodes, f.root);
  std::mt19937_64 rng(8);
  std::vector<std::string> keys;
  for (int i = 0; i < 4096; ++i) keys.push_back(make_key((rng() % kEntries) * 7 + 1));
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(t.get(keys[i++ & 4095]));
}
BENCHMARK(BM_PointGetMissWarm)->Unit(benchmark::kNanosecond);

void BM_BatchEdit100(benchmark::State& state) {
  Fixture& f = fixture();
  Tree base(f.nodes, f.root);
  std::mt19937_64 rng(11);
  uint64_t chunks = 0;
  uint64_t store_puts = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Edit> edits = random_batch(rng);
    uint64_t before = f.counting.chunks_put();
    state.ResumeTiming();
    uint64_t written = 0;
    Tree t = base.apply(edits, &written);
    benchmark::DoNotOptimize(t.root());
    chunks += written;
    store_puts += f.counting.chunks_put() - before;
  }
  double iters = static_cast<double>(state.iterations());
  int height = base.height();
  state.counters["chunks_written"] = static_cast<double>(chunks) / iters;
  state.counters["store_chunk_puts"] = static_cast<double>(store_puts) / iters;
  state.counters["tree_height"] = height;
  state.counters["limit_100xheight"] = 100.0 * height;
}
BENCHMARK(BM_BatchEdit100)->Unit(benchmark::kMicrosecond);

void BM_SingleEdit(benchmark::State& state) {
  Fixture& f = fixture();
  Tree base(f.nodes, f.root);
  std::mt19937_64 rng(12);
  uint64_t chunks = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Edit> e{Edit::put(make_key((rng() % kEntries) * 7), make_value(rng))};
    state.ResumeTiming();
    uint64_t written = 0;
    benchmark::DoNotOptimize(base.apply(e, &written).root());
    chunks += written;
  }
  state.counters["chunks_written"] =
      static_cast<double>(chunks) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_SingleEdit)->Unit(benchmark::kMicrosecond);

// A large batch (as a big merge or import produces): 100,000 updates.
void BM_BatchEdit100k(benchmark::State& state) {
  Fixture& f = fixture();
  Tree base(f.nodes, f.root);
  std::mt19937_64 rng(15);
  std::vector<Edit> edits;
  for (size_t i = 0; i < 100000; ++i)
    edits.push_back(Edit::put(make_key((rng() % kEntries) * 7), make_value(rng)));
  normalize_edits(edits);
  uint64_t chunks = 0;
  for (auto _ : state) {
    uint64_t written = 0;
    benchmark::DoNotOptimize(base.apply(edits, &written).root());
    chunks = written;
  }
  state.counters["edits"] = static_cast<double>(edits.size());
  state.counters["chunks_written"] = static_cast<double>(chunks);
  state.counters["edits_per_s"] = benchmark::Counter(
      static_cast<double>(edits.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BatchEdit100k)->Unit(benchmark::kMillisecond)->Iterations(3);

// Two roots that differ in 100 keys.
struct DiffPair {
  Hash a, b;
  size_t expected = 0;
};
DiffPair& diff_pair() {
  static DiffPair p = [] {
    Fixture& f = fixture();
    std::mt19937_64 rng(13);
    std::vector<Edit> edits = random_batch(rng);
    DiffPair out;
    out.a = f.root;
    out.b = Tree(f.nodes, f.root).apply(edits).root();
    out.expected = diff_all(f.nodes, out.a, out.b).size();
    return out;
  }();
  return p;
}

void BM_Diff100Keys(benchmark::State& state) {
  Fixture& f = fixture();
  DiffPair& p = diff_pair();
  size_t n = 0;
  for (auto _ : state) {
    n = 0;
    diff(f.nodes, p.a, p.b, [&](const DiffEntry&) { ++n; });
  }
  if (n != p.expected || n == 0) state.SkipWithError("diff size changed");
  state.counters["differences"] = static_cast<double>(n);
}
BENCHMARK(BM_Diff100Keys)->Unit(benchmark::kMicrosecond);

void BM_Diff100KeysColdCache(benchmark::State& state) {
  Fixture& f = fixture();
  DiffPair& p = diff_pair();
  size_t n = 0;
  uint64_t reads = 0;
  for (auto _ : state) {
    state.PauseTiming();
    NodeStore cold(f.counting);  // empty cache: every node comes from the chunk store
    uint64_t before = f.counting.chunks_got();
    state.ResumeTiming();
    n = 0;
    diff(cold, p.a, p.b, [&](const DiffEntry&) { ++n; });
    reads += f.counting.chunks_got() - before;
  }
  if (n != p.expected) state.SkipWithError("diff size changed");
  state.counters["differences"] = static_cast<double>(n);
  state.counters["chunks_read"] =
      static_cast<double>(reads) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Diff100KeysColdCache)->Unit(benchmark::kMicrosecond);

void BM_ScanAll(benchmark::State& state) {
  Fixture& f = fixture();
  Tree t(f.nodes, f.root);
  for (auto _ : state) {
    size_t n = 0;
    t.scan("", std::nullopt, [&](std::string_view k, std::string_view v) {
      benchmark::DoNotOptimize(k.size() + v.size());
      return ++n > 0;
    });
    if (n != kEntries) state.SkipWithError("scan missed entries");
  }
  state.counters["entries_per_s"] =
      benchmark::Counter(static_cast<double>(kEntries) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ScanAll)->Unit(benchmark::kMillisecond);

void BM_Rank(benchmark::State& state) {
  Fixture& f = fixture();
  Tree t(f.nodes, f.root);
  std::mt19937_64 rng(14);
  for (auto _ : state) benchmark::DoNotOptimize(t.rank(make_key(rng() % (kEntries * 7))));
}
BENCHMARK(BM_Rank)->Unit(benchmark::kNanosecond);

}  // namespace
}  // namespace omnigraph::prolly

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::printf(
      "prolly bench setup: %zu entries, 16-byte keys, %zu-byte values, memory chunk store, "
      "1 GiB node cache, %zu-edit batches\n",
      omnigraph::prolly::kEntries, omnigraph::prolly::kValueBytes, omnigraph::prolly::kEditBatch);
  std::fflush(stdout);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
