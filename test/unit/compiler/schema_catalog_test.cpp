// Catalog API and cookbook tests for the schema compiler. Grammar and error
// coverage lives in the data-driven suite (test/cases/schema/*.case).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/catalog/catalog.h"
#include "compiler/source_error.h"

namespace omnigraph::compiler {
namespace {

namespace fs = std::filesystem;

const char* kSchema = R"(
interface Named {
  name: String @key
  aliases: [String]?
}

node Person @description("A human") implements Named {
  age: I32? @range(age, 0..150)
  email: String? @unique
  bio: String?
  embedding: Vector(4)? @embed(bio) @index
  status: enum(open, closed, blocked)
}

node Company implements Named {
  founded: Date?
}

edge Knows: Person -> Person {
  since: Date?
  @unique(src, dst)
}
edge WorksAt: Person -> Company @card(0..1)
)";

TEST(SchemaCatalog, LookupsAndShape) {
  Catalog c = compile_schema(kSchema);
  ASSERT_EQ(c.node_types().size(), 2u);
  ASSERT_EQ(c.edge_types().size(), 2u);
  ASSERT_EQ(c.interfaces().size(), 1u);

  const NodeType* person = c.find_node_type("Person");
  ASSERT_NE(person, nullptr);
  EXPECT_EQ(c.find_node_type("person"), nullptr);  // node names are case-sensitive
  EXPECT_EQ(person->table_key(), "node:Person");
  EXPECT_EQ(c.node_for_table_key("node:Person"), person);
  EXPECT_EQ(c.node_for_table_key("edge:Person"), nullptr);
  EXPECT_TRUE(person->implements_interface("Named"));
  EXPECT_EQ(person->description, "A human");

  // Own properties first, then interface-injected ones.
  ASSERT_EQ(person->properties.size(), 7u);
  EXPECT_EQ(person->properties[0].name, "age");
  EXPECT_EQ(person->properties[5].name, "name");
  EXPECT_EQ(person->properties[5].from_interface, "Named");
  EXPECT_EQ(person->properties[6].type.display(), "[String]?");

  ASSERT_NE(person->key_property(), nullptr);
  EXPECT_EQ(person->key_property()->name, "name");
  EXPECT_EQ(person->key, std::vector<std::string>{"name"});
  EXPECT_EQ(person->unique_constraints, (std::vector<std::vector<std::string>>{{"email"}}));
  ASSERT_EQ(person->range_constraints.size(), 1u);
  EXPECT_EQ(person->range_constraints[0].min->int_value, 0);
  EXPECT_EQ(person->range_constraints[0].max->int_value, 150);

  const Property* emb = person->find_property("embedding");
  ASSERT_NE(emb, nullptr);
  EXPECT_EQ(emb->type, Type::vector_of(4, true));
  EXPECT_EQ(emb->embed_source, "bio");
  const Property* status = person->find_property("status");
  EXPECT_EQ(status->type.display(), "enum(blocked, closed, open)");

  const EdgeType* knows = c.lookup_edge("knows");
  ASSERT_NE(knows, nullptr);
  EXPECT_EQ(knows->name, "Knows");
  EXPECT_EQ(c.lookup_edge("KNOWS"), knows);
  EXPECT_EQ(c.lookup_edge("worksAt")->name, "WorksAt");
  EXPECT_EQ(c.find_edge_type("knows"), nullptr);  // exact lookup only
  EXPECT_EQ(c.lookup_edge("Likes"), nullptr);
  EXPECT_EQ(knows->unique_constraints, (std::vector<std::vector<std::string>>{{"src", "dst"}}));
  const EdgeType* works = c.find_edge_type("WorksAt");
  EXPECT_EQ(works->cardinality.min, 0u);
  EXPECT_EQ(works->cardinality.max, 1u);
  EXPECT_TRUE(knows->cardinality.is_default());

  EXPECT_EQ(c.edges_from("Person").size(), 2u);
  EXPECT_EQ(c.edges_to("Company").size(), 1u);
  EXPECT_EQ(c.table_keys(), (std::vector<std::string>{"node:Person", "node:Company", "edge:Knows",
                                                      "edge:WorksAt"}));
}

TEST(SchemaCatalog, StableIdsAreFnv1a32) {
  // Values computed independently (FNV-1a 32-bit of "kind:owner[:prop]").
  EXPECT_EQ(stable_id_hash("node:Person"), 3227219152u);
  EXPECT_EQ(stable_id_hash("node:Person:name"), 1466009789u);
  EXPECT_EQ(stable_id_hash("edge:Knows"), 2041814322u);
  EXPECT_EQ(stable_id_hash("interface:Named"), 1580757211u);
  Catalog c = compile_schema(kSchema);
  EXPECT_EQ(c.find_node_type("Person")->type_id, 3227219152u);
  EXPECT_EQ(c.find_node_type("Person")->find_property("name")->id, 1466009789u);
  EXPECT_EQ(c.find_edge_type("Knows")->type_id, 2041814322u);
  EXPECT_EQ(c.find_edge_type("Knows")->find_property("since")->id, 2596498354u);
}

TEST(SchemaCatalog, ErrorsCarryStagePrefixAndPosition) {
  try {
    compile_schema("node A {\n  x: Strin\n}");
    FAIL();
  } catch (const CompileError& e) {
    EXPECT_EQ(e.stage(), ErrorStage::kParse);
    EXPECT_EQ(std::string(e.what()).rfind("parse error: ", 0), 0u);
    EXPECT_EQ(e.line(), 2u);
    EXPECT_EQ(e.column(), 6u);
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
  }
  try {
    compile_schema("node A { x: I32 }\nedge E: A -> B");
    FAIL();
  } catch (const CompileError& e) {
    EXPECT_EQ(e.stage(), ErrorStage::kCatalog);
    EXPECT_EQ(e.bare_message(), "edge E references unknown target type: B");
    EXPECT_EQ(std::string(e.what()).rfind("catalog error: ", 0), 0u);
    EXPECT_EQ(e.line(), 2u);
    EXPECT_EQ(e.column(), 14u);
  }
}

TEST(SchemaTypes, DisplayAndCompatibility) {
  EXPECT_EQ(Type::scalar_of(ScalarKind::kI32, true).display(), "I32?");
  EXPECT_EQ(Type::list_of(ScalarKind::kString).display(), "[String]");
  EXPECT_EQ(Type::vector_of(3).display(), "Vector(3)");
  EXPECT_EQ(Type::enum_of({"b", "a", "b"}).enum_values, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(
      types_compatible(Type::scalar_of(ScalarKind::kI32), Type::scalar_of(ScalarKind::kF64, true)));
  EXPECT_TRUE(types_compatible(Type::enum_of({"a"}), Type::scalar_of(ScalarKind::kString)));
  EXPECT_FALSE(
      types_compatible(Type::list_of(ScalarKind::kI32), Type::scalar_of(ScalarKind::kI32)));
  EXPECT_FALSE(types_compatible(Type::vector_of(3), Type::vector_of(4)));
  EXPECT_FALSE(
      types_compatible(Type::scalar_of(ScalarKind::kDate), Type::scalar_of(ScalarKind::kDateTime)));
  EXPECT_EQ(Type::list_of(ScalarKind::kI64).element(), Type::scalar_of(ScalarKind::kI64, true));
  EXPECT_EQ(parse_base_type("DateTime"), ScalarKind::kDateTime);
  EXPECT_FALSE(parse_base_type("Vector").has_value());
}

fs::path cookbooks_dir() {
  if (const char* env = std::getenv("OG_COOKBOOKS_DIR")) return env;
  return fs::path(OG_SOURCE_DIR) / ".." / "shared" / "workloads" / "cookbooks";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct CookbookFacts {
  const char* name;
  size_t nodes;
  size_t edges;
};

class Cookbook : public ::testing::TestWithParam<CookbookFacts> {};

TEST_P(Cookbook, SchemaCompilesWithReadmeCounts) {
  const auto& facts = GetParam();
  fs::path path = cookbooks_dir() / facts.name / "schema.pg";
  if (!fs::exists(path)) GTEST_SKIP() << "cookbook schema not found at " << path;
  Catalog c = compile_schema(read_file(path));
  EXPECT_EQ(c.node_types().size(), facts.nodes);
  EXPECT_EQ(c.edge_types().size(), facts.edges);
  for (const auto& e : c.edge_types()) {
    EXPECT_NE(c.find_node_type(e.from_type), nullptr) << e.name;
    EXPECT_NE(c.find_node_type(e.to_type), nullptr) << e.name;
    EXPECT_EQ(c.lookup_edge(fold_edge_name(e.name)), &e);
  }
  for (const auto& n : c.node_types()) {
    for (const auto& p : n.properties) EXPECT_NE(p.id, 0u);
    if (const Property* k = n.key_property()) {
      EXPECT_FALSE(k->type.nullable) << n.name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(All, Cookbook,
                         ::testing::Values(CookbookFacts{"industry-intel", 10, 23},
                                           CookbookFacts{"pharma-intel", 15, 38},
                                           CookbookFacts{"second-brain", 13, 43},
                                           CookbookFacts{"vc-os", 17, 67}),
                         [](const auto& info) {
                           std::string n = info.param.name;
                           for (char& ch : n) ch = ch == '-' ? '_' : ch;
                           return n;
                         });

TEST(CookbookFacts, SpecificSchemaFacts) {
  fs::path path = cookbooks_dir() / "industry-intel" / "schema.pg";
  if (!fs::exists(path)) GTEST_SKIP() << "cookbook schema not found at " << path;
  Catalog c = compile_schema(read_file(path));
  const NodeType* signal = c.find_node_type("Signal");
  ASSERT_NE(signal, nullptr);
  ASSERT_NE(signal->key_property(), nullptr);
  EXPECT_EQ(signal->key_property()->name, "slug");
  EXPECT_EQ(signal->find_property("domain")->type.display(),
            "enum(context, data-eng, harness, inference, infra, robotics, security, training)?");
  const EdgeType* part = c.find_edge_type("PartOfArtifact");
  ASSERT_NE(part, nullptr);
  EXPECT_EQ(part->cardinality.min, 1u);
  EXPECT_EQ(part->cardinality.max, 1u);
  EXPECT_EQ(part->unique_constraints, (std::vector<std::vector<std::string>>{{"src"}}));
  bool has_embed = false;
  for (const auto& n : c.node_types()) {
    for (const auto& p : n.properties) {
      if (p.embed_source) {
        has_embed = true;
        EXPECT_EQ(*p.embed_source, "text");
        EXPECT_EQ(p.type.vector_dim, 3072u);
      }
    }
  }
  EXPECT_TRUE(has_embed);
}

}  // namespace
}  // namespace omnigraph::compiler

namespace omnigraph::compiler {
namespace {

// Every ```pg example in docs/schema-language.md must compile and must be a
// case of test/cases/schema/docs.case, so docs and suite cannot drift apart.
TEST(SchemaDocs, ExamplesAreCompiledCases) {
  fs::path root(OG_SOURCE_DIR);
  std::string doc = read_file(root / "docs" / "schema-language.md");
  std::string cases = read_file(root / "test" / "cases" / "schema" / "docs.case");
  ASSERT_FALSE(doc.empty());
  size_t count = 0;
  for (size_t pos = doc.find("```pg\n"); pos != std::string::npos; pos = doc.find("```pg\n", pos)) {
    pos += 6;
    size_t end = doc.find("```", pos);
    ASSERT_NE(end, std::string::npos);
    std::string example = doc.substr(pos, end - pos);
    ++count;
    EXPECT_NO_THROW(compile_schema(example)) << example;
    EXPECT_NE(cases.find("--- schema\n" + example + "--- expect\nok\n"), std::string::npos)
        << "example missing from docs.case:\n"
        << example;
    pos = end + 3;
  }
  EXPECT_GE(count, 8u);
}

}  // namespace
}  // namespace omnigraph::compiler

namespace omnigraph::compiler {
namespace {

// Cheap robustness check next to the libFuzzer target: random edits of a
// real schema must compile or fail with a CompileError, never anything else.
TEST(SchemaRobustness, RandomEditsOnlyRaiseCompileErrors) {
  std::string base = std::string(kSchema) + R"(
node Reading { t: F64 @range(t, -1.5..2.25) code: String @check(code, "^a\\d") }
)";
  const char* scale = std::getenv("OG_TEST_SCALE");
  int rounds = scale && std::string(scale) == "small" ? 500 : 5000;
  const std::string alphabet = "{}()[]@:?,.-\"\\/*$ \nazAZ09_=><#";
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&]() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  int accepted = 0;
  for (int i = 0; i < rounds; ++i) {
    std::string s = base;
    int edits = 1 + static_cast<int>(next() % 4);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      size_t at = next() % s.size();
      switch (next() % 3) {
        case 0: s.erase(at, 1 + next() % 8); break;
        case 1: s.insert(at, 1, alphabet[next() % alphabet.size()]); break;
        default: s[at] = alphabet[next() % alphabet.size()]; break;
      }
    }
    try {
      Catalog c = compile_schema(s);
      (void)c.summary();
      ++accepted;
    } catch (const CompileError& err) {
      EXPECT_GT(std::string(err.what()).size(), 0u);
    }
  }
  // Some edits (inside comments or names) keep the schema valid.
  EXPECT_GT(accepted, 0);
}

TEST(SchemaRobustness, HugeNumbersAreErrorsOrValues) {
  EXPECT_THROW(compile_schema("node A { v: Vector(99999999999999999999999999) }"), CompileError);
  EXPECT_THROW(compile_schema("node A { n: I64 @range(n, 99999999999999999999..) }"), CompileError);
  std::string big(400, '9');
  Catalog c = compile_schema("node A { n: F64 @range(n, 0.5.." + big + ".5) }");
  EXPECT_TRUE(c.find_node_type("A")->range_constraints[0].max->is_float);
}

}  // namespace
}  // namespace omnigraph::compiler
