// Every query of the real cookbooks (shared/workloads/cookbooks/*/queries/
// *.gq) must parse, type-check and lower against its cookbook's schema.pg.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/catalog/catalog.h"
#include "compiler/ir/ir.h"
#include "compiler/query/parser.h"
#include "compiler/source_error.h"

namespace omnigraph::compiler {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(CookbookQueries, AllTypeCheck) {
  fs::path root = fs::path(OG_SOURCE_DIR) / ".." / "shared" / "workloads" / "cookbooks";
  if (!fs::exists(root)) GTEST_SKIP() << "no cookbooks at " << root;
  size_t files = 0, queries = 0, reads = 0, mutations = 0;
  for (const auto& dir : fs::directory_iterator(root)) {
    if (!dir.is_directory() || !fs::exists(dir.path() / "schema.pg")) continue;
    Catalog catalog = compile_schema(read_file(dir.path() / "schema.pg"));
    for (const auto& f : fs::directory_iterator(dir.path() / "queries")) {
      if (f.path().extension() != ".gq") continue;
      ++files;
      SCOPED_TRACE(f.path().string());
      query::QueryFile file;
      try {
        file = query::parse_query_file(read_file(f.path()));
      } catch (const CompileError& e) {
        ADD_FAILURE() << e.what();
        continue;
      }
      for (const auto& q : file.queries) {
        ++queries;
        try {
          ir::Plan plan = ir::compile_query(catalog, q);
          ++(plan.mutation ? mutations : reads);
          EXPECT_FALSE(ir::print_plan(plan).empty());
        } catch (const CompileError& e) {
          ADD_FAILURE() << "query " << q.name << ": " << e.what();
        }
      }
    }
  }
  std::cout << "[cookbook] " << files << " files, " << queries << " queries (" << reads << " read, "
            << mutations << " mutation) type-checked\n";
  EXPECT_EQ(queries, 597u);
}

}  // namespace
}  // namespace omnigraph::compiler
