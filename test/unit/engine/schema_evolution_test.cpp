// Schema evolution (engine.md §4, DESIGN.md §4/§9): the planner's step kinds
// and rejections, the wire shape of steps, and what an apply does to data —
// on main and on branches, through merges, and with soft and hard drops.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/ulid.h"
#include "engine/graph_root.h"
#include "omnigraph/graph.h"
#include "policy/policy.h"
#include "store/store.h"
#include "version/commit_store.h"

namespace omnigraph {
namespace {

namespace fs = std::filesystem;
using Kind = SchemaStep::Kind;

constexpr const char* kSchema = R"(node Person {
  name: String @key
  age: I32?
  city: String? @index
}
node Company {
  title: String @key
}
edge Knows: Person -> Person
edge WorksAt: Person -> Company {
  since: I32?
}
)";

constexpr const char* kData =
    R"({"type": "Person", "data": {"name": "Alice", "age": 30, "city": "Oslo"}}
{"type": "Person", "data": {"name": "Bob", "age": 25, "city": "Rome"}}
{"type": "Person", "data": {"name": "Carol", "age": 40}}
{"type": "Company", "data": {"title": "Acme"}}
{"edge": "Knows", "from": "Alice", "to": "Bob"}
{"edge": "Knows", "from": "Bob", "to": "Carol"}
{"edge": "WorksAt", "from": "Alice", "to": "Acme", "data": {"since": 2020}}
)";

// kSchema with `from` replaced by `to` (the test's edit of the schema).
std::string edited(const std::string& from, const std::string& to, std::string source = kSchema) {
  size_t at = source.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) source.replace(at, from.size(), to);
  return source;
}

class SchemaEvolutionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("og-schema-test-" + Ulid::generate().str());
    graph_ = Graph::init(dir_, kSchema);
    std::istringstream data(kData);
    loaded_commit_ = graph_->load(data, {}).commit_id;
  }
  void TearDown() override {
    graph_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  SchemaPlan plan(const std::string& desired, bool allow_data_loss = false) {
    return graph_->schema_plan(desired, kMainBranch, allow_data_loss);
  }
  SchemaApplyResult apply(const std::string& desired, const std::string& branch = kMainBranch,
                          bool allow_data_loss = false) {
    SchemaApplyRequest request;
    request.schema_source = desired;
    request.branch = branch;
    request.allow_data_loss = allow_data_loss;
    return graph_->schema_apply(request);
  }

  // Rows of a read, each "v1|v2|..." (Value::debug_string), joined by ",".
  std::string query(const std::string& source, const std::string& branch = kMainBranch,
                    std::optional<std::string> snapshot = std::nullopt) {
    ReadRequest request;
    request.query_source = source;
    request.branch = branch;
    request.snapshot = std::move(snapshot);
    ReadResult result = graph_->read(request);
    std::string out;
    for (const auto& row : result.rows) {
      if (!out.empty()) out += ",";
      for (size_t i = 0; i < row.size(); ++i) {
        if (i > 0) out += "|";
        out += row[i].debug_string();
      }
    }
    return out;
  }
  void change(const std::string& source, const std::string& branch = kMainBranch) {
    ChangeRequest request;
    request.query_source = source;
    request.branch = branch;
    graph_->change(request);
  }
  // The error code and message a read fails with ("" when it succeeds).
  std::string read_error(const std::string& source, std::optional<std::string> snapshot) {
    try {
      query(source, kMainBranch, std::move(snapshot));
      return "";
    } catch (const Error& e) {
      return e.what();
    }
  }
  std::string head_id(const std::string& branch = kMainBranch) {
    return graph_->snapshot(branch).commit_id;
  }
  const TableInfo* table(const SnapshotInfo& snapshot, const std::string& key) {
    for (const auto& info : snapshot.tables) {
      if (info.table_key == key) return &info;
    }
    return nullptr;
  }
  // The head's graph root, read straight from the store (the handle is
  // closed meanwhile: the store holds the directory's lock).
  engine::GraphRoot head_root(const std::string& branch = kMainBranch) {
    graph_.reset();
    engine::GraphRoot root;
    {
      store::Store store = store::open_rocksdb_store(dir_);
      version::CommitStore commits(store);
      auto head = commits.head(branch);
      EXPECT_TRUE(head.has_value());
      root = engine::decode_graph_root(*store.chunks->get(commits.read(*head)->root));
    }
    graph_ = Graph::open(dir_);
    return root;
  }

  fs::path dir_;
  std::unique_ptr<Graph> graph_;
  std::string loaded_commit_;
};

SchemaStep only_step(const SchemaPlan& plan) {
  EXPECT_EQ(plan.steps.size(), 1u) << schema_steps_json(plan.steps);
  return plan.steps.front();
}

// ---- planner: every step kind -------------------------------------------------

TEST_F(SchemaEvolutionTest, SameSchemaPlansNothing) {
  SchemaPlan p = plan(std::string(kSchema) + "\n// a comment\n");
  EXPECT_TRUE(p.supported);
  EXPECT_TRUE(p.steps.empty());
}

TEST_F(SchemaEvolutionTest, PlansAddType) {
  SchemaStep step = only_step(plan(std::string(kSchema) + "node Tag { label: String @key }\n"));
  EXPECT_EQ(step.kind, Kind::kAddType);
  EXPECT_EQ(step.type_kind, "node");
  EXPECT_EQ(step.name, "Tag");
}

TEST_F(SchemaEvolutionTest, PlansAddNullablePropertyWithItsType) {
  SchemaStep step = only_step(plan(edited("age: I32?", "age: I32?\n  tags: [String]?")));
  EXPECT_EQ(step.kind, Kind::kAddProperty);
  EXPECT_EQ(step.type_kind, "node");
  EXPECT_EQ(step.type_name, "Person");
  EXPECT_EQ(step.property_name, "tags");
  ASSERT_TRUE(step.property_type.has_value());
  EXPECT_EQ(step.property_type->scalar, "String");
  EXPECT_TRUE(step.property_type->list);
  EXPECT_TRUE(step.property_type->nullable);
}

TEST_F(SchemaEvolutionTest, PlansRenames) {
  std::string desired = edited("node Person {", "node Human @rename_from(\"Person\") {");
  desired = edited("age: I32?", "years: I32? @rename_from(\"age\")", desired);
  desired = edited("Knows: Person -> Person", "Knows: Human -> Human", desired);
  desired = edited("WorksAt: Person -> Company", "WorksAt: Human -> Company", desired);
  SchemaPlan p = plan(desired);
  EXPECT_TRUE(p.supported) << schema_steps_json(p.steps);
  ASSERT_EQ(p.steps.size(), 2u) << schema_steps_json(p.steps);
  EXPECT_EQ(p.steps[0].kind, Kind::kRenameType);
  EXPECT_EQ(p.steps[0].from, "Person");
  EXPECT_EQ(p.steps[0].to, "Human");
  EXPECT_EQ(p.steps[1].kind, Kind::kRenameProperty);
  EXPECT_EQ(p.steps[1].type_name, "Human");
  EXPECT_EQ(p.steps[1].from, "age");
  EXPECT_EQ(p.steps[1].to, "years");

  SchemaStep edge = only_step(plan(edited(
      "edge Knows: Person -> Person", "edge Befriends: Person -> Person @rename_from(\"Knows\")")));
  EXPECT_EQ(edge.kind, Kind::kRenameType);
  EXPECT_EQ(edge.type_kind, "edge");
}

TEST_F(SchemaEvolutionTest, PlansAddIndexAsAddConstraint) {
  SchemaStep step = only_step(plan(edited("age: I32?", "age: I32? @index")));
  EXPECT_EQ(step.kind, Kind::kAddConstraint);
  EXPECT_EQ(step.type_name, "Person");
  EXPECT_EQ(step.constraint_json, R"({"Index":["age"]})");
}

TEST_F(SchemaEvolutionTest, PlansMetadataUpdates) {
  SchemaPlan p = plan(edited("node Person {\n  name: String @key\n  age: I32?",
                             "node Person @description(\"people\") @instruction(\"use names\") "
                             "{\n  name: String @key\n  age: I32? @description(\"years\")"));
  EXPECT_TRUE(p.supported);
  ASSERT_EQ(p.steps.size(), 2u) << schema_steps_json(p.steps);
  EXPECT_EQ(p.steps[0].kind, Kind::kUpdateTypeMetadata);
  EXPECT_EQ(p.steps[0].name, "Person");
  ASSERT_EQ(p.steps[0].annotations.size(), 2u);
  EXPECT_EQ(p.steps[0].annotations[0].name, "description");
  EXPECT_EQ(p.steps[0].annotations[0].value, "people");
  EXPECT_EQ(p.steps[0].annotations[1].name, "instruction");
  EXPECT_EQ(p.steps[1].kind, Kind::kUpdatePropertyMetadata);
  EXPECT_EQ(p.steps[1].property_name, "age");
}

TEST_F(SchemaEvolutionTest, PlansDropsSoftByDefaultAndHardWithDataLoss) {
  std::string desired = edited("  age: I32?\n", "");
  desired = edited("edge Knows: Person -> Person\n", "", desired);
  SchemaPlan soft = plan(desired);
  EXPECT_TRUE(soft.supported);
  ASSERT_EQ(soft.steps.size(), 2u) << schema_steps_json(soft.steps);
  EXPECT_EQ(soft.steps[0].kind, Kind::kDropProperty);
  EXPECT_EQ(soft.steps[0].property_name, "age");
  EXPECT_EQ(soft.steps[0].mode, "soft");
  EXPECT_EQ(soft.steps[1].kind, Kind::kDropType);
  EXPECT_EQ(soft.steps[1].type_kind, "edge");
  EXPECT_EQ(soft.steps[1].name, "Knows");
  EXPECT_EQ(soft.steps[1].mode, "soft");
  SchemaPlan hard = plan(desired, /*allow_data_loss=*/true);
  EXPECT_EQ(hard.steps[0].mode, "hard");
  EXPECT_EQ(hard.steps[1].mode, "hard");
}

TEST_F(SchemaEvolutionTest, StepsComeInTheReferenceOrder) {
  // Nodes (by name) before edges; a type's own steps before its drops.
  std::string desired = edited("node Company {", "node Company @description(\"firms\") {");
  desired = edited("  age: I32?\n", "  nick: String?\n", desired);
  desired += "node Aardvark { id: String @key }\nedge Likes: Person -> Person\n";
  SchemaPlan p = plan(desired);
  std::vector<std::string> kinds;
  for (const auto& step : p.steps) {
    kinds.push_back(step.type_kind + ":" + (step.name.empty() ? step.type_name : step.name) + ":" +
                    std::to_string(static_cast<int>(step.kind)));
  }
  std::vector<std::string> expected = {
      "node:Aardvark:" + std::to_string(static_cast<int>(Kind::kAddType)),
      "node:Company:" + std::to_string(static_cast<int>(Kind::kUpdateTypeMetadata)),
      "node:Person:" + std::to_string(static_cast<int>(Kind::kAddProperty)),
      "node:Person:" + std::to_string(static_cast<int>(Kind::kDropProperty)),
      "edge:Likes:" + std::to_string(static_cast<int>(Kind::kAddType)),
  };
  EXPECT_EQ(kinds, expected) << schema_steps_json(p.steps);
}

// ---- planner: every rejection ---------------------------------------------------

struct Rejection {
  std::string entity;
  std::string message;  // unsupported_message: "[code] reason" or the reason
};

Rejection rejection(const SchemaPlan& plan) {
  EXPECT_FALSE(plan.supported);
  for (const auto& step : plan.steps) {
    if (step.kind == Kind::kUnsupportedChange) {
      return {step.entity, step.code ? "[" + *step.code + "] " + step.reason : step.reason};
    }
  }
  ADD_FAILURE() << "no unsupported step in " << schema_steps_json(plan.steps);
  return {};
}

TEST_F(SchemaEvolutionTest, RequiredPropertyIsOgMf103) {
  Rejection r = rejection(plan(edited("age: I32?", "age: I32?\n  score: I64")));
  EXPECT_EQ(r.entity, "node:Person.score");
  EXPECT_EQ(r.message,
            "[OG-MF-103] adding required property 'Person.score' requires a backfill and is not "
            "supported in schema migration v1");
}

TEST_F(SchemaEvolutionTest, TypeChangesAreOgMf106) {
  for (const char* changed : {"age: I64?", "age: I32", "age: [I32]?", "age: String?"}) {
    Rejection r = rejection(plan(edited("age: I32?", changed)));
    EXPECT_EQ(r.entity, "node:Person.age") << changed;
    EXPECT_EQ(r.message,
              "[OG-MF-106] changing property type for 'Person.age' is not supported in schema "
              "migration v1")
        << changed;
  }
}

TEST_F(SchemaEvolutionTest, UncodedRejections) {
  auto expect = [&](const std::string& desired, const std::string& entity,
                    const std::string& message) {
    Rejection r = rejection(plan(desired));
    EXPECT_EQ(r.entity, entity) << desired;
    EXPECT_EQ(r.message, message) << desired;
  };
  expect(edited("node Person {", "node Human @rename_from(\"Ghost\") {",
                edited("Person -> Person", "Human -> Human",
                       edited("WorksAt: Person", "WorksAt: Human"))),
         "node:Human",
         "node 'Human' declares @rename_from(\"Ghost\") but no accepted node with that name "
         "exists");
  expect(edited("edge Knows: Person -> Person",
                "edge Befriends: Person -> Person @rename_from(\"Ghost\")"),
         "edge:Befriends",
         "edge 'Befriends' declares @rename_from(\"Ghost\") but no accepted edge with that name "
         "exists");
  expect(edited("age: I32?", "years: I32? @rename_from(\"ghost\")"), "node:Person.years",
         "property 'Person.years' declares @rename_from(\"ghost\") but no accepted property with "
         "that name exists");
  // Two properties continuing the same one would share its stored values.
  expect(
      edited("age: I32?", "years: I32? @rename_from(\"age\")\n  yrs: I32? @rename_from(\"age\")"),
      "node:Person.yrs",
      "property 'Person.yrs' declares @rename_from(\"age\") but no accepted property with "
      "that name exists");
  expect(edited("city: String? @index", "city: String?"), "node:Person",
         "removing constraints from 'Person' is not supported in schema migration v1");
  expect(edited("age: I32?", "age: I32? @unique"), "node:Person",
         "adding constraint 'unique:age' to 'Person' is not supported in schema migration v1");
  expect(edited("edge Knows: Person -> Person", "edge Knows: Person -> Company"), "edge:Knows",
         "changing edge endpoints on 'Knows' is not supported in schema migration v1");
  expect(edited("edge Knows: Person -> Person", "edge Knows: Person -> Person @card(0..1)"),
         "edge:Knows",
         "changing cardinality on edge 'Knows' is not supported in schema migration v1");
  expect(edited("node Company {", "node Company @deprecated {"), "node:Company",
         "changing annotations beyond @description/@instruction is not supported in schema "
         "migration v1");
  expect(edited("age: I32?", "age: I32? @sensitive"), "node:Person.age",
         "changing annotations beyond @description/@instruction is not supported in schema "
         "migration v1");
}

TEST_F(SchemaEvolutionTest, InterfaceChangesAreRejected) {
  std::string with_interface = edited("node Company {",
                                      "interface Named { title: String }\n"
                                      "node Company implements Named {");
  // Adding an interface (and implementing it) has no table to apply to.
  SchemaPlan added = plan(with_interface);
  EXPECT_FALSE(added.supported);
  bool saw_interface = false, saw_implements = false;
  for (const auto& step : added.steps) {
    if (step.kind != Kind::kUnsupportedChange) continue;
    saw_interface =
        saw_interface ||
        step.reason == "adding interface 'Named' is not supported in schema migration v1";
    saw_implements = saw_implements ||
                     step.reason ==
                         "changing implemented interfaces on node 'Company' is not supported in "
                         "schema migration v1";
  }
  EXPECT_TRUE(saw_interface) << schema_steps_json(added.steps);
  EXPECT_TRUE(saw_implements) << schema_steps_json(added.steps);

  // Removing one, from a graph that has it.
  graph_.reset();
  fs::remove_all(dir_);
  graph_ = Graph::init(dir_, with_interface);
  Rejection r = rejection(plan(kSchema));
  EXPECT_EQ(r.entity, "interface:Named");
  EXPECT_EQ(r.message, "removing interface 'Named' is not supported in schema migration v1");
  // Changing an interface's properties (which reaches every implementing
  // node) is refused too.
  SchemaPlan grown =
      plan(edited("interface Named { title: String }",
                  "interface Named { title: String\n  motto: String? }", with_interface));
  EXPECT_FALSE(grown.supported);
  bool saw_properties = false;
  for (const auto& step : grown.steps) {
    saw_properties = saw_properties || (step.kind == Kind::kUnsupportedChange &&
                                        step.reason ==
                                            "changing the properties of interface 'Named' is not "
                                            "supported in schema migration v1");
  }
  EXPECT_TRUE(saw_properties) << schema_steps_json(grown.steps);
}

TEST_F(SchemaEvolutionTest, UnsupportedApplyFailsWithTheFirstMessageAndCommitsNothing) {
  std::string before = head_id();
  try {
    apply(edited("age: I32?", "age: I32?\n  score: I64"));
    ADD_FAILURE() << "an unsupported plan was applied";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    EXPECT_EQ(std::string(e.what()),
              "[OG-MF-103] adding required property 'Person.score' requires a backfill and is "
              "not supported in schema migration v1");
  }
  EXPECT_EQ(head_id(), before);
  EXPECT_EQ(graph_->schema_source(), kSchema);
}

TEST_F(SchemaEvolutionTest, EmptyPlanAppliesNothing) {
  std::string before = head_id();
  uint64_t version = graph_->snapshot().manifest_version;
  SchemaApplyResult result = apply(kSchema);
  EXPECT_TRUE(result.supported);
  EXPECT_FALSE(result.applied);
  EXPECT_TRUE(result.steps.empty());
  EXPECT_EQ(result.manifest_version, version);
  EXPECT_EQ(head_id(), before);
}

// ---- wire shape -----------------------------------------------------------------

TEST_F(SchemaEvolutionTest, StepsJsonIsInternallyTagged) {
  std::string desired = edited("age: I32?", "age: I32? @index\n  score: F64?");
  desired = edited("edge Knows: Person -> Person\n", "", desired);
  EXPECT_EQ(
      schema_steps_json(plan(desired, true).steps),
      R"([{"kind":"add_property","type_kind":"node","type_name":"Person","property_name":"score",)"
      R"("property_type":{"scalar":"F64","nullable":true,"list":false,"enum_values":null}},)"
      R"({"kind":"add_constraint","type_kind":"node","type_name":"Person","constraint":{"Index":["age"]}},)"
      R"({"kind":"drop_type","type_kind":"edge","name":"Knows","mode":"hard"}])");
  EXPECT_EQ(
      schema_steps_json(plan(edited("age: I32?", "age: I32 ")).steps),
      R"([{"kind":"unsupported_change","entity":"node:Person.age","reason":"changing property type for 'Person.age' is not supported in schema migration v1","code":"OG-MF-106"}])");
  EXPECT_EQ(
      schema_steps_json(plan(edited("node Company {", "node Company @description(\"x\") {")).steps),
      R"([{"kind":"update_type_metadata","type_kind":"node","name":"Company","annotations":[{"name":"description","value":"x"}]}])");
  EXPECT_EQ(
      schema_steps_json(
          plan(edited("age: I32?", "age: I32?\n  kind: enum(a, b)?\n  v: Vector(3)?")).steps),
      R"([{"kind":"add_property","type_kind":"node","type_name":"Person","property_name":"kind",)"
      R"("property_type":{"scalar":"String","nullable":true,"list":false,"enum_values":["a","b"]}},)"
      R"({"kind":"add_property","type_kind":"node","type_name":"Person","property_name":"v",)"
      R"("property_type":{"scalar":{"Vector":3},"nullable":true,"list":false,"enum_values":null}}])");
}

// ---- apply: data ----------------------------------------------------------------

constexpr const char* kPeople =
    "query q() { match { $p: Person } return { $p.name, $p.age } order { $p.name } }";

TEST_F(SchemaEvolutionTest, AddNullablePropertyRewritesNoRow) {
  engine::GraphRoot before = head_root();
  SchemaApplyResult result = apply(edited("age: I32?", "age: I32?\n  nick: String?"));
  EXPECT_TRUE(result.applied);
  ASSERT_EQ(result.steps.size(), 1u);
  EXPECT_EQ(result.commit_id, head_id());
  engine::GraphRoot after = head_root();
  EXPECT_NE(after.schema, before.schema);
  EXPECT_EQ(after.tables, before.tables);  // not one tree changed
  EXPECT_EQ(
      query("query q() { match { $p: Person } return { $p.name, $p.nick } order { $p.name } }"),
      "\"Alice\"|null,\"Bob\"|null,\"Carol\"|null");
  change("query q() { update Person set { nick: \"Al\" } where name = \"Alice\" }");
  EXPECT_EQ(query("query q() { match { $p: Person { nick: \"Al\" } } return { $p.name, $p.age } }"),
            "\"Alice\"|30");
  EXPECT_NE(graph_->schema_source().find("nick: String?"), std::string::npos);
}

TEST_F(SchemaEvolutionTest, AddTypeCreatesAnEmptyTable) {
  apply(std::string(kSchema) + "node Tag { label: String @key }\nedge Tagged: Person -> Tag\n");
  SnapshotInfo snapshot = graph_->snapshot();  // `info` points into it
  const TableInfo* info = table(snapshot, "node:Tag");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->row_count, 0u);
  ASSERT_NE(table(graph_->snapshot(), "edge:Tagged"), nullptr);
  change("query q() { insert Tag { label: \"x\" } }");
  change("query q() { insert Tagged { from: \"Alice\", to: \"x\" } }");
  EXPECT_EQ(query("query q() { match { $p: Person $p tagged $t } return { $p.name, $t.label } }"),
            "\"Alice\"|\"x\"");
}

TEST_F(SchemaEvolutionTest, RenamesKeepEveryRowEdgeAndIndex) {
  engine::GraphRoot before = head_root();
  std::string desired = edited("node Person {", "node Human @rename_from(\"Person\") {");
  desired = edited("city: String? @index", "town: String? @index @rename_from(\"city\")", desired);
  desired = edited("Knows: Person -> Person", "Knows: Human -> Human", desired);
  desired = edited("edge WorksAt: Person -> Company",
                   "edge Employs: Human -> Company @rename_from(\"WorksAt\")", desired);
  SchemaApplyResult result = apply(desired);
  ASSERT_TRUE(result.applied);
  engine::GraphRoot after = head_root();
  ASSERT_EQ(after.tables.count("node:Person"), 0u);
  ASSERT_EQ(after.tables.count("node:Human"), 1u);
  // Moved, not rewritten: the same trees under the new keys, the index
  // tree under its property's new name.
  const engine::TableState& old_people = before.tables.at("node:Person");
  const engine::TableState& humans = after.tables.at("node:Human");
  EXPECT_EQ(humans.rows, old_people.rows);
  EXPECT_EQ(humans.indexes.at("prop:town"), old_people.indexes.at("prop:city"));
  EXPECT_EQ(humans.row_count, 3u);
  EXPECT_EQ(after.tables.at("edge:Employs").rows, before.tables.at("edge:WorksAt").rows);
  EXPECT_EQ(after.tables.at("edge:Knows"), before.tables.at("edge:Knows"));

  EXPECT_EQ(query("query q() { match { $h: Human } return { $h.name, $h.age, $h.town } order { "
                  "$h.name } }"),
            "\"Alice\"|30|\"Oslo\",\"Bob\"|25|\"Rome\",\"Carol\"|40|null");
  EXPECT_EQ(query("query q() { match { $a: Human $a knows $b } return { $a.name, $b.name } order "
                  "{ $a.name } }"),
            "\"Alice\"|\"Bob\",\"Bob\"|\"Carol\"");
  EXPECT_EQ(query("query q() { match { $h: Human $h employs $c } return { $h.name, $c.title } }"),
            "\"Alice\"|\"Acme\"");
  EXPECT_EQ(query("query q() { match { $h: Human { town: \"Rome\" } } return { $h.name } }"),
            "\"Bob\"");
  // The commit before the rename still reads under the old names.
  EXPECT_EQ(query(kPeople, kMainBranch, loaded_commit_), "\"Alice\"|30,\"Bob\"|25,\"Carol\"|40");
  // Renaming again, and a new type taking the old name, start from kept ids.
  std::string again = edited("node Human @rename_from(\"Person\") {",
                             "node Being @rename_from(\"Human\") {", desired);
  again = edited("Knows: Human -> Human", "Knows: Being -> Being", again);
  again = edited("Employs: Human -> Company @rename_from(\"WorksAt\")", "Employs: Being -> Company",
                 again);
  again += "node Person { name: String @key }\n";
  ASSERT_TRUE(apply(again).applied);
  EXPECT_EQ(query("query q() { match { $b: Being } return { $b.name, $b.age } order { $b.name } }"),
            "\"Alice\"|30,\"Bob\"|25,\"Carol\"|40");
  EXPECT_EQ(query("query q() { match { $p: Person } return { $p.name } }"), "");
}

TEST_F(SchemaEvolutionTest, AddIndexBuildsTheIndexTree) {
  ASSERT_TRUE(apply(edited("age: I32?", "age: I32?\n  nick: String? @index")).applied);
  change("query q() { update Person set { nick: \"B\" } where name = \"Bob\" }");
  // An index on a property that already has values is built from the rows.
  std::string desired = edited("age: I32?", "age: I32? @index\n  nick: String? @index");
  SchemaApplyResult result = apply(desired);
  ASSERT_EQ(result.steps.size(), 1u);
  EXPECT_EQ(result.steps[0].kind, Kind::kAddConstraint);
  engine::GraphRoot root = head_root();
  const auto& people = root.tables.at("node:Person");
  ASSERT_EQ(people.indexes.count("prop:age"), 1u);
  EXPECT_FALSE(people.indexes.at("prop:age").is_zero());
  EXPECT_EQ(query("query q() { match { $p: Person { age: 25 } } return { $p.name } }"), "\"Bob\"");
  EXPECT_EQ(query("query q() { match { $p: Person { nick: \"B\" } } return { $p.name } }"),
            "\"Bob\"");
}

TEST_F(SchemaEvolutionTest, MetadataChangeCommitsOnlyTheSchema) {
  engine::GraphRoot before = head_root();
  SchemaApplyResult result =
      apply(edited("node Company {", "node Company @description(\"firms\") {"));
  ASSERT_TRUE(result.applied);
  engine::GraphRoot after = head_root();
  EXPECT_EQ(after.tables, before.tables);
  EXPECT_EQ(graph_->catalog()->find_node_type("Company")->description, "firms");
}

const char* kAges =
    "query q() { match { $p: Person } return { $p.name, $p.age } order { $p.name } }";

TEST_F(SchemaEvolutionTest, SoftDropPropertyStaysReadableAtOlderCommits) {
  SchemaApplyResult result = apply(edited("  age: I32?\n", ""));
  ASSERT_TRUE(result.applied);
  EXPECT_EQ(result.steps.at(0).mode, "soft");
  EXPECT_NE(read_error(kAges, std::nullopt), "");  // gone from the head's schema
  EXPECT_EQ(query(kAges, kMainBranch, loaded_commit_), "\"Alice\"|30,\"Bob\"|25,\"Carol\"|40");
  // Re-adding the property does not bring the old values back.
  ASSERT_TRUE(apply(kSchema).applied);
  EXPECT_EQ(query(kAges), "\"Alice\"|null,\"Bob\"|null,\"Carol\"|null");
}

TEST_F(SchemaEvolutionTest, HardDropPropertyIsGoneFromOlderCommits) {
  std::string before_drop = head_id();
  SchemaApplyResult result = apply(edited("  age: I32?\n", ""), kMainBranch, true);
  ASSERT_TRUE(result.applied);
  EXPECT_EQ(result.steps.at(0).mode, "hard");
  for (const std::string& commit : {before_drop, loaded_commit_}) {
    std::string error = read_error(kAges, commit);
    EXPECT_NE(error.find("age"), std::string::npos) << commit << ": " << error;
    // The rest of the commit is still readable.
    EXPECT_EQ(query("query q() { match { $p: Person } return { $p.name, $p.city } order { "
                    "$p.name } }",
                    kMainBranch, commit),
              "\"Alice\"|\"Oslo\",\"Bob\"|\"Rome\",\"Carol\"|null");
  }
  // The rows at the head no longer carry the values either.
  ASSERT_TRUE(apply(kSchema).applied);
  EXPECT_EQ(query(kAges), "\"Alice\"|null,\"Bob\"|null,\"Carol\"|null");
}

TEST_F(SchemaEvolutionTest, SoftAndHardDropType) {
  std::string without_company = edited("node Company {\n  title: String @key\n}\n", "");
  without_company =
      edited("edge WorksAt: Person -> Company {\n  since: I32?\n}\n", "", without_company);
  const char* companies = "query q() { match { $c: Company } return { $c.title } }";
  SchemaApplyResult soft = apply(without_company);
  ASSERT_EQ(soft.steps.size(), 2u);
  EXPECT_EQ(table(graph_->snapshot(), "node:Company"), nullptr);
  EXPECT_NE(read_error(companies, std::nullopt), "");
  EXPECT_EQ(query(companies, kMainBranch, loaded_commit_), "\"Acme\"");

  ASSERT_TRUE(apply(kSchema).applied);  // back, empty
  EXPECT_EQ(query(companies), "");
  change("query q() { insert Company { title: \"Initech\" } }");
  std::string with_initech = head_id();
  ASSERT_TRUE(apply(without_company, kMainBranch, true).applied);
  EXPECT_NE(read_error(companies, with_initech), "");
  EXPECT_NE(read_error(companies, loaded_commit_), "");
  EXPECT_EQ(query("query q() { match { $p: Person } return { $p.name } order { $p.name } }",
                  kMainBranch, with_initech),
            "\"Alice\",\"Bob\",\"Carol\"");
}

// ---- branches and merges ----------------------------------------------------------

TEST_F(SchemaEvolutionTest, BranchApplyLeavesMainAloneAndMergesIn) {
  graph_->branch_create("feature");
  std::string desired = edited("age: I32?", "years: I32? @rename_from(\"age\")\n  nick: String?");
  ASSERT_TRUE(apply(desired, "feature").applied);
  EXPECT_EQ(graph_->schema_source(), kSchema);
  EXPECT_EQ(graph_->schema_source(GraphTarget::at_branch("feature")), desired);
  // Both sides write rows meanwhile.
  change("query q() { insert Person { name: \"Dan\", age: 50 } }");
  change("query q() { update Person set { nick: \"Al\" } where name = \"Alice\" }", "feature");
  MergeResult merged = graph_->branch_merge("feature", kMainBranch);
  EXPECT_EQ(merged.outcome, MergeOutcome::kMerged);
  EXPECT_EQ(graph_->schema_source(), desired);
  EXPECT_EQ(query("query q() { match { $p: Person } return { $p.name, $p.years, $p.nick } order "
                  "{ $p.name } }"),
            "\"Alice\"|30|\"Al\",\"Bob\"|25|null,\"Carol\"|40|null,\"Dan\"|50|null");
}

TEST_F(SchemaEvolutionTest, MergeAdoptsTheTargetsSchemaChange) {
  graph_->branch_create("feature");
  change("query q() { insert Person { name: \"Eve\", age: 22, city: \"Bonn\" } }", "feature");
  std::string desired =
      edited("city: String? @index", "town: String? @index @rename_from(\"city\")");
  ASSERT_TRUE(apply(desired).applied);
  EXPECT_EQ(graph_->branch_merge("feature", kMainBranch).outcome, MergeOutcome::kMerged);
  EXPECT_EQ(graph_->schema_source(), desired);
  EXPECT_EQ(query("query q() { match { $p: Person { town: \"Bonn\" } } return { $p.name } }"),
            "\"Eve\"");
}

TEST_F(SchemaEvolutionTest, FastForwardTakesTheSchema) {
  graph_->branch_create("feature");
  std::string desired = std::string(kSchema) + "node Tag { label: String @key }\n";
  ASSERT_TRUE(apply(desired, "feature").applied);
  EXPECT_EQ(graph_->branch_merge("feature", kMainBranch).outcome, MergeOutcome::kFastForward);
  EXPECT_EQ(graph_->schema_source(), desired);
}

TEST_F(SchemaEvolutionTest, MergeMovesTheOtherSidesRowsAndEdgesIntoARenamedType) {
  graph_->branch_create("feature");
  std::string desired = edited("node Person {", "node Human @rename_from(\"Person\") {");
  desired = edited("Knows: Person -> Person", "Knows: Human -> Human", desired);
  desired = edited("WorksAt: Person -> Company", "WorksAt: Human -> Company", desired);
  ASSERT_TRUE(apply(desired, "feature").applied);
  change("query q() { insert Person { name: \"Dan\", age: 50 } }");
  change("query q() { insert Knows { from: \"Dan\", to: \"Alice\" } }");
  change("query q() { update Person set { age: 31 } where name = \"Alice\" }");
  EXPECT_EQ(graph_->branch_merge("feature", kMainBranch).outcome, MergeOutcome::kMerged);
  EXPECT_EQ(query("query q() { match { $h: Human } return { $h.name, $h.age } order { $h.name } }"),
            "\"Alice\"|31,\"Bob\"|25,\"Carol\"|40,\"Dan\"|50");
  EXPECT_EQ(query("query q() { match { $a: Human $a knows $b } return { $a.name, $b.name } order "
                  "{ $a.name } }"),
            "\"Alice\"|\"Bob\",\"Bob\"|\"Carol\",\"Dan\"|\"Alice\"");
  EXPECT_EQ(table(graph_->snapshot(), "node:Person"), nullptr);
}

TEST_F(SchemaEvolutionTest, HardDropOnABranchLeavesMainsHeadReadable) {
  change("query q() { insert Person { name: \"Dan\", age: 50 } }");
  graph_->branch_create("feature");
  change("query q() { insert Person { name: \"Eve\", age: 60 } }");
  ASSERT_TRUE(apply(edited("  age: I32?\n", ""), "feature", true).applied);
  // main's head (not in the dropping branch's history) keeps its ages.
  EXPECT_EQ(query(kAges), "\"Alice\"|30,\"Bob\"|25,\"Carol\"|40,\"Dan\"|50,\"Eve\"|60");
  EXPECT_EQ(query(kAges, kMainBranch, head_id()),
            "\"Alice\"|30,\"Bob\"|25,\"Carol\"|40,\"Dan\"|50,\"Eve\"|60");
  // The feature branch's own history no longer shows them.
  EXPECT_NE(read_error(kAges, loaded_commit_), "");
}

TEST_F(SchemaEvolutionTest, BothSidesChangingTheSchemaDifferentlyIsRefused) {
  graph_->branch_create("feature");
  ASSERT_TRUE(apply(edited("age: I32?", "age: I32?\n  nick: String?"), "feature").applied);
  ASSERT_TRUE(apply(edited("age: I32?", "age: I32?\n  score: F64?")).applied);
  std::string main_before = head_id();
  try {
    graph_->branch_merge("feature", kMainBranch);
    ADD_FAILURE() << "diverged schemas were merged";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
    std::string message = e.what();
    EXPECT_NE(message.find("both branches changed the schema"), std::string::npos) << message;
    EXPECT_NE(message.find("add property 'Person.nick'"), std::string::npos) << message;
    EXPECT_NE(message.find("drop property 'Person.score'"), std::string::npos) << message;
  }
  EXPECT_EQ(head_id(), main_before);
}

TEST_F(SchemaEvolutionTest, SameChangeOnBothSidesMerges) {
  graph_->branch_create("feature");
  std::string desired = edited("age: I32?", "age: I32?\n  nick: String?");
  ASSERT_TRUE(apply(desired, "feature").applied);
  ASSERT_TRUE(apply(desired).applied);
  change("query q() { update Person set { nick: \"B\" } where name = \"Bob\" }", "feature");
  EXPECT_EQ(graph_->branch_merge("feature", kMainBranch).outcome, MergeOutcome::kMerged);
  EXPECT_EQ(query("query q() { match { $p: Person { nick: \"B\" } } return { $p.name } }"),
            "\"Bob\"");
}

TEST_F(SchemaEvolutionTest, ApplyIsCheckedAgainstTheBranchPolicy) {
  graph_->branch_create("feature");
  graph_->set_policy(std::make_shared<policy::Policy>(policy::Policy::from_yaml(R"(
version: 1
groups:
  admins: [act-admin]
  devs: [act-dev]
protected_branches: [main]
rules:
  - id: admins-any
    allow:
      actors: { group: admins }
      actions: [schema_apply]
      target_branch_scope: any
  - id: devs-unprotected
    allow:
      actors: { group: devs }
      actions: [schema_apply]
      target_branch_scope: unprotected
)")));
  SchemaApplyRequest request;
  request.schema_source = std::string(kSchema) + "node Tag { label: String @key }\n";
  request.actor = "act-dev";
  try {
    graph_->schema_apply(request);
    ADD_FAILURE() << "a dev changed main's schema";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden) << e.what();
  }
  request.branch = "feature";
  EXPECT_TRUE(graph_->schema_apply(request).applied);
  request.branch = kMainBranch;
  request.actor = "act-admin";
  EXPECT_TRUE(graph_->schema_apply(request).applied);
}

}  // namespace
}  // namespace omnigraph
