// libFuzzer target: JSONL loading must accept an input or reject it with an
// omnigraph::Error — never crash, hang or leak — and a rejected load must
// leave the graph as it was. The input goes to a fresh in-memory graph whose
// schema has every kind of property, constraints and both edge shapes; the
// first byte picks the load mode.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "common/error.h"
#include "omnigraph/graph.h"

namespace {

constexpr const char* kSchema = R"(
node Person {
  name: String @key
  age: I32?
  score: F64?
  tags: [String]?
  nums: [I32]?
  born: Date?
  seen: DateTime?
  status: enum(active, inactive)?
  email: String? @unique
  photo: Blob?
  embedding: Vector(3)?
  @range(age, 0..150)
  @check(email, "^[^@]+@[^@]+$")
}
node Note { body: String  city: String? @index }
edge Knows: Person -> Person { since: Date? }
edge WorksAt: Person -> Note @card(0..1)
)";

constexpr const char* kSeed = R"({"type":"Person","data":{"name":"Alice","age":30}})"
                              "\n"
                              R"({"type":"Person","data":{"name":"Bob"}})"
                              "\n"
                              R"({"edge":"Knows","from":"Alice","to":"Bob"})"
                              "\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  auto graph = omnigraph::Graph::init_in_memory(kSchema);
  {
    std::istringstream seed(kSeed);
    graph->load(seed, {});
  }
  std::string before = graph->snapshot().commit_id;
  omnigraph::LoadRequest request;
  request.mode = static_cast<omnigraph::engine::LoadMode>(data[0] % 3);
  std::istringstream input(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  try {
    graph->load(input, request);
  } catch (const omnigraph::Error&) {
    if (graph->snapshot().commit_id != before) std::abort();  // a failed load changed the graph
  }
  return 0;
}
