// Compiler throughput on real workloads: parse + type-check (+ lower) every
// query of the shared cookbooks (597 queries across 4 schemas). The target
// is well under 200 ms for the whole set; run with
//   build/bin/og_bench_compiler_bench --benchmark_filter=Cookbook
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/catalog/catalog.h"
#include "compiler/ir/ir.h"
#include "compiler/query/parser.h"
#include "compiler/query/typecheck.h"

namespace {

namespace fs = std::filesystem;
using namespace omnigraph::compiler;

struct Cookbook {
  std::string schema;
  std::vector<std::string> query_files;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::vector<Cookbook>& cookbooks() {
  static const std::vector<Cookbook> all = [] {
    std::vector<Cookbook> out;
    fs::path root = fs::path(OG_SOURCE_DIR) / ".." / "shared" / "workloads" / "cookbooks";
    if (!fs::exists(root)) return out;
    for (const auto& dir : fs::directory_iterator(root)) {
      if (!fs::exists(dir.path() / "schema.pg")) continue;
      Cookbook c;
      c.schema = read_file(dir.path() / "schema.pg");
      for (const auto& f : fs::directory_iterator(dir.path() / "queries")) {
        if (f.path().extension() == ".gq") c.query_files.push_back(read_file(f.path()));
      }
      out.push_back(std::move(c));
    }
    return out;
  }();
  return all;
}

// Parse + type-check all cookbook queries (catalogs compiled once, outside).
void BM_CookbookParseTypecheck(benchmark::State& state) {
  std::vector<Catalog> catalogs;
  for (const auto& c : cookbooks()) catalogs.push_back(compile_schema(c.schema));
  size_t queries = 0;
  for (auto _ : state) {
    queries = 0;
    for (size_t i = 0; i < cookbooks().size(); ++i) {
      for (const auto& src : cookbooks()[i].query_files) {
        query::QueryFile file = query::parse_query_file(src);
        for (const auto& q : file.queries) {
          benchmark::DoNotOptimize(query::typecheck_query(catalogs[i], q));
          ++queries;
        }
      }
    }
  }
  state.counters["queries"] = static_cast<double>(queries);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * queries));
}
BENCHMARK(BM_CookbookParseTypecheck)->Unit(benchmark::kMillisecond);

// The whole front end: schemas compiled, then every query parsed, checked
// and lowered to IR.
void BM_CookbookFullCompile(benchmark::State& state) {
  size_t queries = 0;
  for (auto _ : state) {
    queries = 0;
    for (const auto& c : cookbooks()) {
      Catalog catalog = compile_schema(c.schema);
      for (const auto& src : c.query_files) {
        query::QueryFile file = query::parse_query_file(src);
        for (const auto& q : file.queries) {
          benchmark::DoNotOptimize(ir::compile_query(catalog, q));
          ++queries;
        }
      }
    }
  }
  state.counters["queries"] = static_cast<double>(queries);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * queries));
}
BENCHMARK(BM_CookbookFullCompile)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
