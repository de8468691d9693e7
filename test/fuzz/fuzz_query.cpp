// libFuzzer target: the .gq parser, type checker and lowering must accept an
// input or reject it with an omnigraph::Error — never crash, hang or leak.
// Queries that parse are checked against a small schema that has every kind
// of property and both edge directions, so the checker's paths are reached.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "compiler/catalog/catalog.h"
#include "compiler/ir/ir.h"
#include "compiler/query/parser.h"

namespace {

constexpr std::string_view kSchema = R"(
interface Named { name: String @key }
node Person implements Named {
  age: I32?
  score: F64?
  tags: [String]?
  born: Date?
  seen: DateTime?
  status: enum(active, inactive)?
  bio: String?
  embedding: Vector(4)?
}
node Company implements Named { founded: I64? }
edge Knows: Person -> Person { since: Date? }
edge WorksAt: Person -> Company @card(0..1)
)";

const omnigraph::compiler::Catalog& catalog() {
  static const omnigraph::compiler::Catalog instance = omnigraph::compiler::compile_schema(kSchema);
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  try {
    auto file = omnigraph::compiler::query::parse_query_file(source);
    for (const auto& query : file.queries) {
      try {
        auto plan = omnigraph::compiler::ir::compile_query(catalog(), query);
        (void)omnigraph::compiler::ir::print_plan(plan);
      } catch (const omnigraph::Error&) {
      }
    }
  } catch (const omnigraph::Error&) {
    // Rejected input is fine; anything else escapes and fails the run.
  }
  return 0;
}
