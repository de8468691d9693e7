// Value constraints: enum, @range, @check (RowValidator) and intra-batch
// @unique (UniqueTracker), languages.md §4.10.
#include "engine/constraints.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "common/error.h"

namespace omnigraph::engine {
namespace {

using compiler::Catalog;
using compiler::compile_schema;
using compiler::EdgeType;
using compiler::NodeType;

const char* kSchema = R"(
node Person {
  name: String @key
  age: I32? @range(age, 0..150)
  score: F64? @range(score, -1.5..2.25)
  ratio: F32? @range(ratio, ..0.5)
  big: U64? @range(big, 10..)
  handle: String? @check(handle, "[a-z]+")
  code: String? @check(code, "^a\\d$")
  status: enum(open, closed, blocked)?
  email: String? @unique
  born: Date?
  a: I64?
  b: I64?
  @unique(a, b)
  @unique(born)
}
edge Knows: Person -> Person {
  kind: enum(friend, colleague)?
  weight: F32?
  @unique(src, dst)
  @unique(weight)
}
edge Likes: Person -> Person
)";

class ConstraintsTest : public ::testing::Test {
 protected:
  ConstraintsTest()
      : catalog_(compile_schema(kSchema)),
        person_(*catalog_.find_node_type("Person")),
        knows_(*catalog_.find_edge_type("Knows")),
        validator_(catalog_) {}

  // A Person row with the given properties.
  Row person(std::initializer_list<std::pair<const char*, Value>> values) const {
    Row row;
    for (const auto& [name, value] : values) row.set(person_.find_property(name)->id, value);
    return row;
  }

  Row knows(std::initializer_list<std::pair<const char*, Value>> values) const {
    Row row;
    for (const auto& [name, value] : values) row.set(knows_.find_property(name)->id, value);
    return row;
  }

  std::string node_error(const Row& row) const {
    return error_of([&] { validator_.check_node(person_, row); });
  }

  static std::string error_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
      return e.what();
    }
    return "(no error)";
  }

  Catalog catalog_;
  const NodeType& person_;
  const EdgeType& knows_;
  RowValidator validator_;
};

TEST_F(ConstraintsTest, RangeBoundsAreInclusive) {
  EXPECT_EQ(node_error(person({{"age", Value::integer(0)}})), "(no error)");
  EXPECT_EQ(node_error(person({{"age", Value::integer(150)}})), "(no error)");
  EXPECT_EQ(node_error(person({{"age", Value::integer(300)}})),
            "@range violation on Person.age: value 300 > max 150");
  EXPECT_EQ(node_error(person({{"age", Value::integer(-1)}})),
            "@range violation on Person.age: value -1 < min 0");
  EXPECT_EQ(node_error(person({{"score", Value::floating(-1.75)}})),
            "@range violation on Person.score: value -1.75 < min -1.5");
  EXPECT_EQ(node_error(person({{"score", Value::floating(2.5)}})),
            "@range violation on Person.score: value 2.5 > max 2.25");
  EXPECT_EQ(node_error(person({{"big", Value::unsigned_integer(9)}})),
            "@range violation on Person.big: value 9 < min 10");
  EXPECT_EQ(node_error(person({{"big", Value::unsigned_integer(UINT64_MAX)}})), "(no error)");
}

TEST_F(ConstraintsTest, RangeNumbersPrintLikeRustF64) {
  // No exponent, no trailing ".0"; F32 values print as the f64 they widen to.
  EXPECT_EQ(node_error(person({{"score", Value::floating(1e20)}})),
            "@range violation on Person.score: value 100000000000000000000 > max 2.25");
  EXPECT_EQ(node_error(person({{"ratio", Value::floating(static_cast<double>(0.6f))}})),
            "@range violation on Person.ratio: value 0.6000000238418579 > max 0.5");
}

TEST_F(ConstraintsTest, RangeSkipsNullAndRejectsNaN) {
  EXPECT_EQ(node_error(person({})), "(no error)");
  EXPECT_EQ(node_error(person({{"score", Value::floating(std::nan(""))}})),
            "@range violation on Person.score: value is NaN");
}

TEST_F(ConstraintsTest, CheckIsAnUnanchoredSearch) {
  EXPECT_EQ(node_error(person({{"handle", Value::string("ABCd")}})), "(no error)");
  EXPECT_EQ(node_error(person({{"handle", Value::string("ABC")}})),
            "@check violation on Person.handle: value 'ABC' does not match pattern '[a-z]+'");
  EXPECT_EQ(node_error(person({{"code", Value::string("a1")}})), "(no error)");
  EXPECT_EQ(node_error(person({{"code", Value::string("a12")}})),
            "@check violation on Person.code: value 'a12' does not match pattern '^a\\d$'");
  EXPECT_EQ(node_error(person({{"handle", Value::null()}})), "(no error)");
}

TEST_F(ConstraintsTest, InvalidRegexFailsAtWriteTime) {
  Catalog bad = compile_schema("node T { x: String? @check(x, \"(\") y: I32? }");
  RowValidator validator(bad);  // building the validator does not fail
  const NodeType& t = *bad.find_node_type("T");
  std::string message = error_of([&] { validator.check_node(t, Row{}); });
  EXPECT_EQ(message.rfind("@check on T.x has invalid regex '(': ", 0), 0u) << message;
}

TEST_F(ConstraintsTest, EnumValues) {
  EXPECT_EQ(node_error(person({{"status", Value::string("open")}})), "(no error)");
  EXPECT_EQ(node_error(person({{"status", Value::string("pending")}})),
            "invalid enum value 'pending' for Person.status (expected: blocked, closed, open)");
  EXPECT_EQ(error_of([&] {
              validator_.check_edge(knows_, knows({{"kind", Value::string("enemy")}}));
            }),
            "invalid enum value 'enemy' for Knows.kind (expected: colleague, friend)");
  EXPECT_EQ(error_of([&] {
              validator_.check_edge(knows_, knows({{"kind", Value::string("friend")}}));
            }),
            "(no error)");
  EXPECT_EQ(error_of([&] { validator_.check_edge(knows_, Row{}); }), "(no error)");
}

TEST_F(ConstraintsTest, ListEnumsCheckEachElement) {
  // The schema language has no [enum(..)]; the check still covers it.
  NodeType t;
  t.name = "T";
  compiler::Property tags;
  tags.name = "tags";
  tags.type = compiler::Type::enum_of({"b", "a"});
  tags.type.list = true;
  tags.id = 42;
  t.properties.push_back(tags);
  Catalog catalog("", {}, {t}, {});
  RowValidator validator(catalog);
  Row row;
  row.set(42, Value::list({Value::string("a"), Value::null(), Value::string("b")}));
  EXPECT_EQ(error_of([&] { validator.check_node(t, row); }), "(no error)");
  row.set(42, Value::list({Value::string("a"), Value::string("c")}));
  EXPECT_EQ(error_of([&] { validator.check_node(t, row); }),
            "invalid enum value 'c' for T.tags (expected: a, b)");
}

TEST_F(ConstraintsTest, RangeAndCheckComeBeforeEnum) {
  EXPECT_EQ(node_error(person({{"status", Value::string("x")},
                               {"handle", Value::string("X")},
                               {"age", Value::integer(200)}})),
            "@range violation on Person.age: value 200 > max 150");
  EXPECT_EQ(node_error(person({{"status", Value::string("x")}, {"handle", Value::string("X")}})),
            "@check violation on Person.handle: value 'X' does not match pattern '[a-z]+'");
}

TEST_F(ConstraintsTest, UniqueWithinTheBatch) {
  UniqueTracker tracker(person_);
  tracker.add(person({{"name", Value::string("Ann")}, {"email", Value::string("a@x")}}), 0);
  tracker.add(person({{"name", Value::string("Bob")}}), 1);  // null email: exempt
  tracker.add(person({{"name", Value::string("Cy")}}), 2);
  EXPECT_EQ(
      error_of([&] {
        tracker.add(person({{"name", Value::string("Dee")}, {"email", Value::string("a@x")}}), 3);
      }),
      "@unique violation on Person.email: value 'a@x' appears in rows 0 and 3");
}

TEST_F(ConstraintsTest, KeyIsUniqueWithinTheBatch) {
  UniqueTracker tracker(person_);
  tracker.add(person({{"name", Value::string("Ann")}}), 0);
  EXPECT_EQ(error_of([&] {
              tracker.add(person({{"name", Value::string("Ann")}}), 1);
            }),
            "@unique violation on Person.name: value 'Ann' appears in rows 0 and 1");
}

TEST_F(ConstraintsTest, CompositeUniqueChecksEachColumnSeparately) {
  UniqueTracker tracker(person_);
  tracker.add(
      person({{"name", Value::string("p0")}, {"a", Value::integer(1)}, {"b", Value::integer(2)}}),
      0);
  // (1, 3) differs from (1, 2) as a pair, but `a` repeats: a violation (quirk).
  EXPECT_EQ(error_of([&] {
              tracker.add(person({{"name", Value::string("p1")},
                                  {"a", Value::integer(1)},
                                  {"b", Value::integer(3)}}),
                          1);
            }),
            "@unique violation on Person.a: value '1' appears in rows 0 and 1");
  // The rejected row was not recorded: its b=3 and name p1 are still free.
  tracker.add(
      person({{"name", Value::string("p1")}, {"a", Value::integer(5)}, {"b", Value::integer(3)}}),
      1);
  EXPECT_EQ(error_of([&] {
              tracker.add(person({{"name", Value::string("p2")},
                                  {"a", Value::integer(9)},
                                  {"b", Value::integer(2)}}),
                          2);
            }),
            "@unique violation on Person.b: value '2' appears in rows 0 and 2");
}

TEST_F(ConstraintsTest, UniqueColumnsAreCheckedInNameOrder) {
  UniqueTracker tracker(person_);
  tracker.add(
      person(
          {{"name", Value::string("x")}, {"email", Value::string("e")}, {"a", Value::integer(1)}}),
      0);
  EXPECT_EQ(error_of([&] {
              tracker.add(person({{"name", Value::string("x")},
                                  {"email", Value::string("e")},
                                  {"a", Value::integer(1)}}),
                          1);
            }),
            "@unique violation on Person.a: value '1' appears in rows 0 and 1");
}

TEST_F(ConstraintsTest, UniqueValueTextFollowsTheReference) {
  // Dates compare (and print) as days since the epoch.
  UniqueTracker people(person_);
  people.add(person({{"name", Value::string("p0")}, {"born", Value::date(Date{19723})}}), 0);
  EXPECT_EQ(
      error_of([&] {
        people.add(person({{"name", Value::string("p1")}, {"born", Value::date(Date{19723})}}), 1);
      }),
      "@unique violation on Person.born: value '19723' appears in rows 0 and 1");
  // F32 values print as the float they are.
  UniqueTracker edges(knows_);
  Value w = Value::floating(static_cast<double>(0.1f));
  edges.add(knows({{"weight", w}}), "a", "b", 0);
  EXPECT_EQ(error_of([&] {
              edges.add(knows({{"weight", w}}), "c", "d", 1);
            }),
            "@unique violation on Knows.weight: value '0.1' appears in rows 0 and 1");
}

TEST_F(ConstraintsTest, EdgeSrcAndDstAreEachUnique) {
  UniqueTracker tracker(knows_);
  tracker.add(Row{}, "p1", "p2", 0);
  tracker.add(Row{}, "p2", "p1", 1);  // a different src and dst: fine
  EXPECT_EQ(error_of([&] { tracker.add(Row{}, "p1", "p3", 2); }),
            "@unique violation on Knows.src: value 'p1' appears in rows 0 and 2");
  EXPECT_EQ(error_of([&] { tracker.add(Row{}, "p3", "p2", 2); }),
            "@unique violation on Knows.dst: value 'p2' appears in rows 0 and 2");
  // Without endpoints the src/dst columns are not checked.
  tracker.add(Row{}, 3);
  tracker.add(Row{}, 4);
}

TEST_F(ConstraintsTest, TypesWithoutUniqueAcceptAnything) {
  UniqueTracker tracker(*catalog_.find_edge_type("Likes"));
  tracker.add(Row{}, "p1", "p2", 0);
  tracker.add(Row{}, "p1", "p2", 1);
}

}  // namespace
}  // namespace omnigraph::engine
