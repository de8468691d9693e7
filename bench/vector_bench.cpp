// Vector search benchmark (docs/performance.md "Vector search"), run by
// scripts/bench_vectors.sh, which also runs LanceDB on the same data.
//
//   og_bench_vector_bench [--n N] [--dim D] [--queries Q] [--k K] [--out DIR]
//                         [--ef E1,E2,...] [--store DIR]
//
// Setup: N random vectors (uniform in [-1,1]^D, seed 42) as `node V { key:
// String @key, emb: Vector(D) }` in a RocksDB graph store under a temporary
// directory, Q random queries (seed 43). Measures: bulk load; the first
// nearest() (HNSW build + persist); recall@K against a brute-force scan and
// single-thread QPS; a 100-row write (50 changed, 50 new vectors) and the
// next query (must be a diff update, not a rebuild); a simulated restart
// (index loaded from the store). With --out, writes vectors.f32,
// queries.f32 (raw little-endian float32) and truth.i32 (Q×K row numbers)
// for the peer script; when DIR already holds them for the same setup
// (data.key), the brute-force ground truth is read back instead of
// recomputed. With --store, the graph store lives in DIR and is kept: a
// later run with the same setup reloads the same rows (same rows root) and
// its first query loads the persisted index instead of building it; the
// build time of the run that built it is kept in DIR/build.txt and shown.
//
// Invoked with Google Benchmark flags (the generic `make bench` loop) it
// does nothing: scripts/bench_vectors.sh runs it with its own sizes.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "compiler/catalog/catalog.h"
#include "engine/graph_view.h"
#include "engine/graph_writer.h"
#include "engine/search/vector/distance.h"
#include "engine/search/vector/vector_search.h"
#include "prolly/node_store.h"
#include "store/store.h"

using namespace omnigraph;
using Clock = std::chrono::steady_clock;
namespace vs = omnigraph::engine::search::vector;

namespace {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string key_of(size_t i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "v%08zu", i);
  return buf;
}

float l2(const float* a, const float* b, size_t dim) {
  float s = 0;
  for (size_t i = 0; i < dim; ++i) {
    float d = a[i] - b[i];
    s += d * d;
  }
  return s;
}

template <typename T>
void write_raw(const std::filesystem::path& path, const std::vector<T>& data) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data.data()),
            static_cast<std::streamsize>(data.size() * sizeof(T)));
}

}  // namespace

int main(int argc, char** argv) {
  std::cout << std::unitbuf;  // progress shows up when redirected to a file
  size_t n = 100000, dim = 128, queries = 200, k = 10;
  std::string out_dir, store_dir;
  std::vector<size_t> efs;  // ef_search values to measure (default: the configured one)
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--benchmark", 0) == 0) {
      std::cout << "og_bench_vector_bench: run by scripts/bench_vectors.sh (skipped here)\n";
      return 0;
    }
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--n")
      n = std::stoul(next());
    else if (a == "--dim")
      dim = std::stoul(next());
    else if (a == "--queries")
      queries = std::stoul(next());
    else if (a == "--k")
      k = std::stoul(next());
    else if (a == "--out")
      out_dir = next();
    else if (a == "--store")
      store_dir = next();
    else if (a == "--ef") {
      std::string list = next();
      for (size_t p = 0; p < list.size();) {
        size_t c = list.find(',', p);
        efs.push_back(std::stoul(list.substr(p, c - p)));
        p = c == std::string::npos ? list.size() : c + 1;
      }
    } else {
      std::cerr << "usage: og_bench_vector_bench [--n N] [--dim D] [--queries Q] [--k K] [--out "
                   "DIR] [--ef E1,E2,...] [--store DIR]\n";
      return 2;
    }
  }
  const auto options = vs::vector_search_options();
  std::cout << "setup: n=" << n << " dim=" << dim << " queries=" << queries << " k=" << k
            << " hnsw M=" << (options.hnsw.m ? options.hnsw.m : vs::hnsw_m_for(n))
            << (options.hnsw.m ? "" : " (auto)")
            << " quantize=" << (options.hnsw.quantize ? "sq8+rerank" : "off")
            << " l2_kernels=" << vs::l2_kernels().name
            << " ef_construction=" << options.hnsw.ef_construction << " ef_search="
            << (options.hnsw.ef_search ? options.hnsw.ef_search : vs::default_ef_search(n))
            << (options.hnsw.ef_search ? "" : " (auto)")
            << " build_threads=" << options.build_threads
            << " exact_threshold=" << options.exact_threshold << "\n";

  std::mt19937 rng(42);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> data(n * dim), qs(queries * dim);
  for (float& x : data) x = u(rng);
  std::mt19937 qrng(43);
  for (float& x : qs) x = u(qrng);

  // Ground truth: a brute-force scan on 2 threads (or the one an earlier
  // run with the same setup left in --out).
  auto t0 = Clock::now();
  std::vector<int32_t> truth(queries * k);
  const std::string data_key = "n=" + std::to_string(n) + " dim=" + std::to_string(dim) +
                               " queries=" + std::to_string(queries) + " k=" + std::to_string(k) +
                               " seeds=42,43\n";
  bool cached_truth = false;
  if (!out_dir.empty()) {
    std::ifstream key_in(std::filesystem::path(out_dir) / "data.key");
    std::stringstream key;
    key << key_in.rdbuf();
    std::ifstream truth_in(std::filesystem::path(out_dir) / "truth.i32", std::ios::binary);
    if (key_in && key.str() == data_key && truth_in) {
      truth_in.read(reinterpret_cast<char*>(truth.data()),
                    static_cast<std::streamsize>(truth.size() * sizeof(int32_t)));
      cached_truth = truth_in.gcount() == static_cast<std::streamsize>(truth.size() * 4);
    }
  }
  auto truth_for = [&](size_t from, size_t to) {
    std::vector<std::pair<float, int32_t>> all(n);
    for (size_t q = from; q < to; ++q) {
      for (size_t i = 0; i < n; ++i) {
        all[i] = {l2(&qs[q * dim], &data[i * dim], dim), static_cast<int32_t>(i)};
      }
      std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end());
      for (size_t j = 0; j < k; ++j) truth[q * k + j] = all[j].second;
    }
  };
  if (cached_truth) {
    std::cout << "brute force ground truth: read from " << out_dir << "\n";
  } else {
    std::thread other(truth_for, 0, queries / 2);
    truth_for(queries / 2, queries);
    other.join();
    std::cout << "brute force ground truth: " << seconds_since(t0) << " s\n";
    if (!out_dir.empty()) {
      std::filesystem::create_directories(out_dir);
      write_raw(std::filesystem::path(out_dir) / "vectors.f32", data);
      write_raw(std::filesystem::path(out_dir) / "queries.f32", qs);
      write_raw(std::filesystem::path(out_dir) / "truth.i32", truth);
      std::ofstream(std::filesystem::path(out_dir) / "data.key") << data_key;
    }
  }

  const bool keep_store = !store_dir.empty();
  const std::filesystem::path dir = keep_store
                                        ? std::filesystem::path(store_dir)
                                        : std::filesystem::temp_directory_path() /
                                              ("og-vector-bench-" + std::to_string(::getpid()));
  if (!keep_store) std::filesystem::remove_all(dir);
  {
    store::Store store = store::open_rocksdb_store(dir);
    prolly::NodeStore nodes(*store.chunks);
    const std::string schema =
        "node V {\n  key: String @key\n  emb: Vector(" + std::to_string(dim) + ")\n}\n";
    auto catalog = std::make_shared<const compiler::Catalog>(compiler::compile_schema(schema));
    const auto& type = *catalog->find_node_type("V");
    const auto& emb = *type.find_property("emb");
    auto row_of = [&](size_t i, const float* v) {
      engine::Row row;
      row.set(type.key_property()->id, engine::Value::string(key_of(i)));
      row.set(emb.id, engine::Value::vector(engine::FloatVector{std::vector<float>(v, v + dim)}));
      return row;
    };

    t0 = Clock::now();
    engine::GraphWriter writer(catalog, engine::GraphRoot{}, nodes);
    writer.set_bulk(true);
    const size_t batch = 50000;
    for (size_t from = 0; from < n; from += batch) {
      std::vector<std::pair<std::string, engine::Row>> rows;
      for (size_t i = from; i < std::min(n, from + batch); ++i) {
        rows.emplace_back(key_of(i), row_of(i, &data[i * dim]));
      }
      writer.put_nodes(type, std::move(rows));
    }
    engine::GraphRoot root = writer.finish("main");
    std::cout << "load " << n << " rows: " << seconds_since(t0) << " s\n";

    auto search = [&](const engine::GraphRoot& at, const float* q) {
      engine::GraphView view(catalog, at, nodes, store.refs.get());
      return vs::nearest(view, type, emb, std::vector<float>(q, q + dim), k);
    };

    // First query: builds (and persists) the index, or loads the one a
    // previous run persisted in the kept store.
    t0 = Clock::now();
    search(root, &qs[0]);
    double build_s = seconds_since(t0);
    auto stats = vs::vector_index_stats();
    const auto build_note = dir / "build.txt";
    if (stats.builds > 0) {
      std::cout << "first query (HNSW build + persist): " << build_s
                << " s (builds=" << stats.builds << ", persists=" << stats.persists << ")\n";
      if (keep_store) std::ofstream(build_note) << build_s << "\n";
    } else {
      double built_s = -1;
      std::ifstream(build_note) >> built_s;
      std::cout << "first query (index loaded from the kept store): " << build_s
                << " s (loads=" << stats.loads
                << "); HNSW build + persist in the run that built it: " << built_s << " s\n";
      build_s = built_s;
    }

    // Recall and QPS, per ef_search.
    if (efs.empty()) efs.push_back(options.hnsw.ef_search);
    double recall = 0, qps = 0;
    for (size_t ef : efs) {
      auto o = vs::vector_search_options();
      o.hnsw.ef_search = ef;
      vs::set_vector_search_options(o);
      size_t found = 0;
      t0 = Clock::now();
      std::vector<std::vector<vs::Neighbor>> results(queries);
      for (size_t q = 0; q < queries; ++q) results[q] = search(root, &qs[q * dim]);
      double query_s = seconds_since(t0);
      for (size_t q = 0; q < queries; ++q) {
        std::vector<std::string> want;
        for (size_t j = 0; j < k; ++j) {
          want.push_back(key_of(static_cast<size_t>(truth[q * k + j])));
        }
        for (const auto& hit : results[q]) {
          if (std::find(want.begin(), want.end(), hit.id) != want.end()) ++found;
        }
      }
      recall = static_cast<double>(found) / static_cast<double>(queries * k);
      qps = static_cast<double>(queries) / query_s;
      std::cout << "ef_search=" << ef << ": recall@" << k << " " << recall
                << ", qps (1 thread, nearest() incl. cache lookup) " << qps << " ("
                << 1000.0 * query_s / static_cast<double>(queries) << " ms/query)\n";
    }

    // A 100-row write, then the next query, timed separately: the diff
    // applied to the index (the query's extra cost) and a plain search at
    // the configured ef_search.
    vs::set_vector_search_options(options);
    engine::GraphWriter small(catalog, root, nodes);
    std::vector<std::pair<std::string, engine::Row>> rows;
    std::vector<float> fresh(dim);
    for (size_t i = 0; i < 100; ++i) {
      for (float& x : fresh) x = u(rng);
      size_t id = i < 50 ? i * (n / 50) : n + i;  // 50 changed, 50 new
      rows.emplace_back(key_of(id), row_of(id, fresh.data()));
    }
    small.put_nodes(type, std::move(rows));
    t0 = Clock::now();
    engine::GraphRoot next = small.finish("main");
    double write_s = seconds_since(t0);
    auto before = vs::vector_index_stats();
    t0 = Clock::now();
    search(next, &qs[0]);
    double after_write_ms = 1000 * seconds_since(t0);
    auto after = vs::vector_index_stats();
    t0 = Clock::now();
    search(next, &qs[0]);
    double plain_ms = 1000 * seconds_since(t0);
    std::cout << "same query again (no update): " << plain_ms << " ms\n";
    std::cout << "100-row write: " << 1000 * write_s
              << " ms; next query incl. index update: " << after_write_ms << " ms (builds +"
              << after.builds - before.builds << ", diff updates +"
              << after.diff_updates - before.diff_updates << ", rows applied +"
              << after.rows_applied - before.rows_applied << ")\n";

    // A restart: the index comes back from the store.
    vs::clear_vector_index_cache();
    before = vs::vector_index_stats();
    t0 = Clock::now();
    search(root, &qs[0]);
    double reload_s = seconds_since(t0);
    after = vs::vector_index_stats();
    std::cout << "after restart, first query (index loaded from the store): " << reload_s
              << " s (loads +" << after.loads - before.loads << ", builds +"
              << after.builds - before.builds << ")\n";
    std::cout << "{\"n\":" << n << ",\"dim\":" << dim << ",\"build_s\":" << build_s
              << ",\"recall\":" << recall << ",\"qps\":" << qps
              << ",\"after_write_ms\":" << after_write_ms << ",\"reload_s\":" << reload_s << "}\n";
  }
  if (!keep_store) std::filesystem::remove_all(dir);
  return 0;
}
