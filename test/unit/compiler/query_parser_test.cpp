// The .gq parser's tree shapes and positions (spec §2); the case files
// under test/cases/query cover accept/reject behaviour end to end.
#include <gtest/gtest.h>

#include "compiler/query/parser.h"
#include "compiler/source_error.h"

namespace omnigraph::compiler::query {
namespace {

TEST(QueryParser, ReadQueryShape) {
  QueryFile f = parse_query_file(R"(query friends($name: String, $min: I32?) @description("d") {
  match {
    $p: Person { name: $name }
    $p knows{1,3} $f
    $f.age >= $min
    not { $f worksAt $_ }
  }
  return { $p.name, count($f) as n }
  order { n desc }
  limit 7
})");
  ASSERT_EQ(f.queries.size(), 1u);
  const QueryDecl& q = f.queries[0];
  EXPECT_EQ(q.name, "friends");
  EXPECT_EQ(q.description, "d");
  ASSERT_EQ(q.params.size(), 2u);
  EXPECT_EQ(q.params[1].name, "min");
  EXPECT_EQ(q.params[1].type_name, "I32");
  EXPECT_TRUE(q.params[1].nullable);
  ASSERT_EQ(q.match.size(), 4u);
  EXPECT_EQ(q.match[0].kind, Clause::Kind::kBinding);
  EXPECT_EQ(q.match[0].binding.type_name, "Person");
  EXPECT_EQ(q.match[0].binding.prop_matches[0].value.kind, MatchValue::Kind::kVariable);
  const Traversal& t = q.match[1].traversal;
  EXPECT_EQ(q.match[1].kind, Clause::Kind::kTraversal);
  EXPECT_EQ(t.edge_name, "knows");
  EXPECT_EQ(t.min_hops, 1u);
  EXPECT_EQ(t.max_hops, 3u);
  EXPECT_EQ(t.edge_pos.line, 4u);
  EXPECT_EQ(t.edge_pos.column, 8u);
  EXPECT_EQ(q.match[2].kind, Clause::Kind::kFilter);
  EXPECT_EQ(q.match[2].filter.op, CompOp::kGe);
  EXPECT_EQ(q.match[3].kind, Clause::Kind::kNegation);
  ASSERT_EQ(q.returns.size(), 2u);
  EXPECT_EQ(q.returns[1].expr.kind, Expr::Kind::kAggregate);
  EXPECT_EQ(q.returns[1].alias, "n");
  ASSERT_EQ(q.order.size(), 1u);
  EXPECT_EQ(q.order[0].expr.kind, Expr::Kind::kAliasRef);
  EXPECT_TRUE(q.order[0].descending);
  EXPECT_EQ(q.limit, 7u);
  EXPECT_FALSE(q.is_mutation());
}

TEST(QueryParser, TextSearchClauseIsSugarForEqualsTrue) {
  QueryFile f =
      parse_query_file("query q($s: String) { match { $d: Doc search($d.t, $s) } return { $d } }");
  const Filter& flt = f.queries[0].match[1].filter;
  EXPECT_TRUE(flt.text_search_sugar);
  EXPECT_EQ(flt.left.kind, Expr::Kind::kSearch);
  EXPECT_EQ(flt.op, CompOp::kEq);
  EXPECT_EQ(flt.right.literal.kind, Literal::Kind::kBool);
  EXPECT_TRUE(flt.right.literal.bool_value);
}

TEST(QueryParser, UnboundedAndExtensions) {
  QueryFile f = parse_query_file(
      "query q() { match { $a knows{2,} $b $a <knows> $c $a $e:knows $d $a <$g:knows> $h } "
      "return { $a } }");
  const auto& m = f.queries[0].match;
  EXPECT_FALSE(m[0].traversal.max_hops.has_value());
  EXPECT_TRUE(m[1].traversal.undirected);
  EXPECT_TRUE(m[1].traversal.edge_var.empty());
  EXPECT_FALSE(m[2].traversal.undirected);
  EXPECT_EQ(m[2].traversal.edge_var, "e");
  EXPECT_TRUE(m[3].traversal.undirected);
  EXPECT_EQ(m[3].traversal.edge_var, "g");
}

TEST(QueryParser, MutationShapes) {
  QueryFile f = parse_query_file(R"(query m($n: String) {
  insert Person { name: $n, seen: now() }
  update Person set { age: 3 } where name = $n
  delete Knows where from != "x"
})");
  const QueryDecl& q = f.queries[0];
  ASSERT_EQ(q.mutations.size(), 3u);
  EXPECT_EQ(q.mutations[0].kind, Mutation::Kind::kInsert);
  EXPECT_EQ(q.mutations[0].assignments[1].value.kind, MatchValue::Kind::kNow);
  EXPECT_EQ(q.mutations[1].kind, Mutation::Kind::kUpdate);
  EXPECT_EQ(q.mutations[1].predicate.property, "name");
  EXPECT_EQ(q.mutations[2].kind, Mutation::Kind::kDelete);
  EXPECT_EQ(q.mutations[2].predicate.op, CompOp::kNe);
  EXPECT_EQ(q.mutations[2].pos.line, 4u);
}

TEST(QueryParser, FindReturnsFirstMatch) {
  QueryFile f = parse_query_file(
      "query a() { match { $p: P } return { $p } } query a() { match { $q: Q } return { $q } }");
  ASSERT_NE(f.find("a"), nullptr);
  EXPECT_EQ(f.find("a")->match[0].binding.type_name, "P");
  EXPECT_EQ(f.find("zz"), nullptr);
}

TEST(QueryParser, ErrorsCarryPositions) {
  try {
    parse_query_file("query q() {\n  match { $p: Person }\n  return { $p.name\n}");
    FAIL() << "expected a parse error";
  } catch (const CompileError& e) {
    EXPECT_EQ(e.stage(), ErrorStage::kParse);
    EXPECT_EQ(e.line(), 4u);
    EXPECT_EQ(e.column(), 2u);
    EXPECT_NE(std::string(e.what()).find("parse error: "), std::string::npos);
  }
}

TEST(QueryParser, EmptyFileHasNoQueries) {
  EXPECT_TRUE(parse_query_file("  // nothing\n").queries.empty());
}

// Found by the query fuzzer: thousands of nested '[' overflowed the stack.
TEST(QueryParser, DeepNestingIsAParseErrorNotACrash) {
  for (const char* open : {"[", "not { "}) {
    std::string body;
    for (int i = 0; i < 5000; ++i) body += open;
    std::string source = "query q() { match { $p: Person } return { " + body + " } }";
    if (std::string(open) != "[") source = "query q() { match { " + body + " } return { 1 } }";
    try {
      parse_query_file(source);
      FAIL() << "expected a parse error for nesting of " << open;
    } catch (const CompileError& e) {
      EXPECT_NE(std::string(e.what()).find("nesting is deeper than 64 levels"), std::string::npos)
          << e.what();
    }
  }
  // Nesting within the limit still parses as far as the grammar allows.
  std::string nested_ok = "query q() { match { $p: Person { tags: [[1]] } } return { $p } }";
  EXPECT_NO_THROW(parse_query_file(nested_ok));
}

}  // namespace
}  // namespace omnigraph::compiler::query
